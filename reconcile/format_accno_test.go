package reconcile_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/reconcile"
)

// TestRecordsPrintMaskedAccNo: a record, an error record, a result holding a record and a
// settlement holding both, printed with fmt's verbs (by value and by pointer), show AccNo masked
// as their LogValue does, even when the file gave it in full, and their other fields as they are.
func TestRecordsPrintMaskedAccNo(t *testing.T) {
	t.Parallel()
	const full, masked = "6216261000000000018", "621626******0018"
	rec := reconcile.Record{Line: 7, OrderID: "ORDER7", AccNo: full, TxnAmt: 12800}
	erec := reconcile.ErrorRecord{Line: 8, TraceNo: "ORDER8", AccNo: full}
	values := map[string]any{
		"record":             rec,
		"*record":            &rec,
		"error record":       erec,
		"*error record":      &erec,
		"result":             reconcile.Result{Class: reconcile.MissingAtUnionPay, Record: rec},
		"settlement":         reconcile.Settlement{MerID: "777290058110048", Records: []reconcile.Record{rec}, ErrorRecords: []reconcile.ErrorRecord{erec}},
		"records in a slice": []reconcile.Record{rec},
	}
	for name, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			out := fmt.Sprintf(verb, v)
			if ok, form := leaktest.Shows(out, full); ok || !strings.Contains(out, masked) {
				t.Errorf("%s with %s shows the card number (%s) or not its mask: %s", name, verb, form, out)
			}
			if !strings.Contains(out, "ORDER") {
				t.Errorf("%s with %s lost its other fields: %s", name, verb, out)
			}
		}
	}
	if got := fmt.Sprintf("%#v", rec); !strings.HasPrefix(got, "reconcile.Record{Line:7,") {
		t.Errorf("%%#v of a record = %s, want reconcile.Record{Line:7, ...}", got)
	}
	if got := fmt.Sprintf("%+v", rec); !strings.Contains(got, "TxnAmt:12800") || !strings.Contains(got, "AccNo:"+masked) {
		t.Errorf("%%+v of a record = %s, want its fields named", got)
	}
	if got := fmt.Sprintf("%#v", erec); !strings.HasPrefix(got, "reconcile.ErrorRecord{Line:8,") {
		t.Errorf("%%#v of an error record = %s, want reconcile.ErrorRecord{Line:8, ...}", got)
	}
	if got := fmt.Sprintf("%+v", erec); !strings.Contains(got, "TraceNo:ORDER8") || !strings.Contains(got, "AccNo:"+masked) {
		t.Errorf("%%+v of an error record = %s, want its fields named", got)
	}
	if rec.AccNo != full {
		t.Errorf("printing changed the record's AccNo to %s", rec.AccNo)
	}
}
