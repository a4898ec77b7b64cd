package reconcile

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestReportString: a Report printed with %v, %+v, %s or %#v (a value or a pointer) names each
// class's totals by the class's word, in report order, and its data errors, and shows no
// unexported field; once a total has overflowed it says so with Err's text.
func TestReportString(t *testing.T) {
	t.Parallel()
	var rep Report
	rep.Add(Result{Class: UnknownToMerchant, Record: Record{OrderID: "ORDER1", TxnAmt: 1800, MerchantFee: -8, SettleAmt: 1792}})
	rep.AddError(errors.New("order 1 (ORDER2): order state not set"))
	const want = "{Totals:{matched:{Count:0 Amount:0 Fees:0 Net:0 OrderAmount:0} " +
		"unknown_to_merchant:{Count:1 Amount:1800 Fees:-8 Net:1792 OrderAmount:0} " +
		"missing_at_unionpay:{Count:0 Amount:0 Fees:0 Net:0 OrderAmount:0} " +
		"amount_mismatch:{Count:0 Amount:0 Fees:0 Net:0 OrderAmount:0} " +
		"state_mismatch:{Count:0 Amount:0 Fees:0 Net:0 OrderAmount:0} " +
		"duplicate:{Count:0 Amount:0 Fees:0 Net:0 OrderAmount:0}} " +
		"ErrorCount:1 Errors:[order 1 (ORDER2): order state not set]}"
	tests := []struct {
		format string
		arg    any
		want   string
	}{
		{"%v", rep, want},
		{"%+v", rep, want},
		{"%s", rep, want},
		{"%v", &rep, want},
		{"%+v", &rep, want},
		{"%#v", rep, "reconcile.Report" + want},
		{"%#v", &rep, "reconcile.Report" + want},
		{"%v", (*Report)(nil), "<nil>"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %T", tt.format, tt.arg), func(t *testing.T) {
			t.Parallel()
			got := fmt.Sprintf(tt.format, tt.arg)
			assert.Equal(t, tt.want, got)
			assert.NotContains(t, got, "overflow")
		})
	}

	// Overflowed totals are wrong: the text says from which result, as Err does.
	var over Report
	over.Add(Result{Class: AmountMismatch, Record: Record{TxnAmt: math.MaxInt64}})
	over.Add(Result{Class: AmountMismatch, Record: Record{TxnAmt: 1}})
	got := fmt.Sprintf("%+v", &over)
	assert.True(t, strings.HasSuffix(got, " Err:"+over.Err().Error()+"}"), got)
}

// TestReportStringEscapesErrors: a data error may quote the settlement file or the merchant's
// orders; printed, its control and bidi characters are escaped as the reports escape them, so
// that fmt.Println(report) sends no terminal escape sequence.
func TestReportStringEscapesErrors(t *testing.T) {
	t.Parallel()
	var rep Report
	rep.AddError(errors.New("line 3: \x1b[2Jcleared\u202e"))
	got := rep.String()
	assert.NotContains(t, got, "\x1b")
	assert.NotContains(t, got, "\u202e")
	assert.Contains(t, got, "Errors:["+reportText("line 3: \x1b[2Jcleared\u202e")+"]}")
}

// TestReportStringSeveralErrors: the errors are listed one space apart, as %v lists a slice, a
// nil one (a caller's AddError(nil)) as <nil>.
func TestReportStringSeveralErrors(t *testing.T) {
	t.Parallel()
	var rep Report
	rep.AddError(errors.New("first"))
	rep.AddError(nil)
	rep.AddError(errors.New("third"))
	assert.True(t, strings.HasSuffix(rep.String(), " ErrorCount:3 Errors:[first <nil> third]}"), rep.String())
}
