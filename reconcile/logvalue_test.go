package reconcile_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/goacp/unionpay/reconcile"
)

// TestRecordsLogMaskedAccNo: a record, an error record or a result logged whole through slog, with
// the text or the JSON handler, shows AccNo masked even when the file gave it in full, and its
// other fields as they are.
func TestRecordsLogMaskedAccNo(t *testing.T) {
	t.Parallel()
	const full, masked = "6216261000000000018", "621626******0018"
	values := map[string]any{
		"record":       reconcile.Record{Line: 7, OrderID: "ORDER7", AccNo: full, TxnAmt: 12800},
		"error record": reconcile.ErrorRecord{Line: 8, TraceNo: "ORDER8", AccNo: full},
		"result":       reconcile.Result{Class: reconcile.Matched, Record: reconcile.Record{OrderID: "ORDER9", AccNo: full}},
		// Matched is Class's zero value: another class shows that the result's own fields are logged.
		"result, missing": reconcile.Result{Class: reconcile.MissingAtUnionPay, Record: reconcile.Record{OrderID: "ORDER9", AccNo: full}},
	}
	// What else each logs, as it is.
	shows := map[string][]string{"record": {"ORDER7", "12800"}, "error record": {"ORDER8"}, "result": {"ORDER9", "matched"}, "result, missing": {"ORDER9", fmt.Sprint(reconcile.MissingAtUnionPay)}}
	for name, v := range values {
		for _, json := range []bool{false, true} {
			var buf bytes.Buffer
			var h slog.Handler = slog.NewTextHandler(&buf, nil)
			if json {
				h = slog.NewJSONHandler(&buf, nil)
			}
			slog.New(h).Info("reconcile", "v", v)
			out := buf.String()
			if strings.Contains(out, full) || !strings.Contains(out, masked) || !strings.Contains(out, "ORDER") {
				t.Errorf("%s (JSON %v) logged as %s", name, json, out)
			}
			for _, field := range shows[name] {
				if !strings.Contains(out, field) {
					t.Errorf("%s (JSON %v) logged without %q: %s", name, json, field, out)
				}
			}
		}
	}
}
