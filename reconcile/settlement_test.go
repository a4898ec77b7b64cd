package reconcile_test

import (
	"testing"
	"time"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// A Settlement (the zip a fake gateway or a test writes) names its members and writes its RD
// report's 清算日期 from one SettleDate: the two must agree, whatever zone SettleDate carries
// (a Kiritimati midnight, or unionpay.SettleDay's Beijing midnight read back as UTC).
func TestTrialTZSettlementAgreesWithItself(t *testing.T) {
	kir, _ := time.LoadLocation("Pacific/Kiritimati")
	la, _ := time.LoadLocation("America/Los_Angeles")
	bj := unionpay.SettleDay(time.Date(2026, 11, 1, 15, 0, 0, 0, time.UTC)) // 2 November
	for name, sd := range map[string]time.Time{
		"Beijing midnight":        bj,
		"Beijing midnight as UTC": bj.UTC(),
		"Beijing midnight in LA":  bj.In(la),
		"Kiritimati midnight":     time.Date(2026, 11, 2, 0, 0, 0, 0, kir),
		"Los Angeles midnight":    time.Date(2026, 11, 2, 0, 0, 0, 0, la),
	} {
		s := &reconcile.Settlement{MerID: "777290058110048", MerName: "shop", AcqInsCode: "00010000", SettleDate: sd}
		b, err := s.Zip()
		if err != nil {
			t.Fatal(err)
		}
		a, err := reconcile.Open(b)
		if err != nil {
			t.Fatal(err)
		}
		rdm := a.First(reconcile.KindRD)
		zm := a.First(reconcile.KindZM)
		rc, err := rdm.Open()
		if err != nil {
			t.Fatal(err)
		}
		sum, err := reconcile.ParseRD(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got := sum.SettleDate.Format("20060102"); got != "20261102" {
			t.Errorf("%s: RD 清算日期 %s, want 20261102", name, got)
		}
		if got := zm.SettleDate.Format("20060102"); got != "20261102" {
			t.Errorf("%s: ZM member %q dated %s, want 20261102", name, zm.Name, got)
		}
	}
}
