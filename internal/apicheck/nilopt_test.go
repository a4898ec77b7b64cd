package apicheck_test

import (
	"io"
	"testing"
	"time"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// A nil functional option, as a caller passes when it builds options conditionally
// (var opt reconcile.Option; if big { opt = reconcile.WithMaxMemberSize(n) }), panics.
// STYLE.md §3.11: never "panics or silent defaults on bad input"; OnResult(nil) is documented as
// ignored, which sets the expectation that nil is tolerated.
func TestPublicNilOptionsDoNotPanic(t *testing.T) {
	day := time.Date(2024, 1, 5, 0, 0, 0, 0, reconcile.Beijing())
	s := reconcile.Settlement{MerID: "777290058110048", SettleDate: day, Records: []reconcile.Record{
		{TxnTime: day.Add(10 * time.Hour), TxnAmt: 100, OrderID: "A0000001", TxnType: "01", SettleAmt: 100, QueryID: "1"}}}
	zb, err := s.Zip()
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, f func()) {
		t.Helper()
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("%s: panics: %v", name, r)
			}
		}()
		f()
	}
	check("reconcile.Open(b, nil)", func() { _, _ = reconcile.Open(zb, nil) })
	check("reconcile.WriteCSV(w, seq, nil)", func() {
		a, _ := reconcile.Open(zb)
		_, _ = reconcile.WriteCSV(io.Discard, reconcile.Match(a.Records(day, ""), seq(reconcile.Order{OrderID: "A0000001", Amount: 100, State: reconcile.StateSucceeded})), nil)
	})
	check("reconcile.WriteJSON(w, seq, nil)", func() {
		a, _ := reconcile.Open(zb)
		_, _ = reconcile.WriteJSON(io.Discard, reconcile.Match(a.Records(day, ""), seq(reconcile.Order{OrderID: "A0000001", Amount: 100, State: reconcile.StateSucceeded})), nil)
	})
	check("unionpaytest.NewServer(nil)", func() {
		srv := unionpaytest.NewServer(unionpaytest.WithKeys(keys(t)), nil)
		srv.Close()
	})
}
