package main

import (
	"testing"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// FuzzParseTxnTimeFlag holds -txn-time's parser to what query does with its result: it never
// panics, and a time it accepts is to the second, its year in Beijing time of four digits (as the
// client requires of a txnTime), and sent as the 14 digits of Beijing time that
// unionpay.ParseTxnTime reads back as the same instant. (The campaign found
// 9999-12-31T23:59:59-01:00 accepted, sent as 15 characters, 100000101085959, and
// 0000-01-01T00:00:00+23:59 sent as -00011231080643: testdata/fuzz/FuzzParseTxnTimeFlag.)
func FuzzParseTxnTimeFlag(f *testing.F) {
	for _, s := range []string{"20261129100000", "2026-11-29T10:00:00+08:00", "2026-11-29T02:00:00Z",
		"2026-11-29T10:00:00.5+08:00", "2026-11-29T10:00:00", "00000101000000", "99991231235959",
		"9999-12-31T23:59:59-01:00", "0000-01-01T00:00:00+23:59", "0000-01-01T07:59:59Z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		when, err := parseTxnTimeFlag(s)
		if err != nil {
			return
		}
		sent := when.In(reconcile.Beijing()).Format(txnTimeLayout)
		if len(sent) != 14 {
			t.Fatalf("parseTxnTimeFlag(%q) accepted %v, sent as %q: not 14 digits", s, when, sent)
		}
		for i := range len(sent) {
			if sent[i] < '0' || sent[i] > '9' {
				t.Fatalf("parseTxnTimeFlag(%q) accepted %v, sent as %q: not 14 digits", s, when, sent)
			}
		}
		back, err := unionpay.ParseTxnTime(sent)
		if err != nil || !back.Equal(when) {
			t.Fatalf("parseTxnTimeFlag(%q) = %v, sent as %q, read back as %v, %v", s, when, sent, back, err)
		}
		if y := when.In(reconcile.Beijing()).Year(); y < 1000 || y > 9999 {
			t.Fatalf("parseTxnTimeFlag(%q) = %v: year %d in Beijing time, which the client refuses", s, when, y)
		}
		if when.Nanosecond() != 0 {
			t.Fatalf("parseTxnTimeFlag(%q) = %v: a fraction of a second", s, when)
		}
	})
}
