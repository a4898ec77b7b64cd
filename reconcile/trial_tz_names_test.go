package reconcile_test

import (
	"testing"
	"time"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// A settle day as unionpay.SettleDay gives it (Beijing midnight), read back from a database that
// stores times as UTC, or shown in a Los Angeles or Kiritimati server's zone, is the same instant:
// DownloadFile and Archive.Records read it as that Beijing date (a time that is not a midnight in
// its own zone names its Beijing date). ArchiveName and MemberName must name the same day, not
// the date the instant has in whatever zone the time.Time happens to carry.
func TestTrialTZNamesFollowSettleDateRule(t *testing.T) {
	la, _ := time.LoadLocation("America/Los_Angeles")
	kir, _ := time.LoadLocation("Pacific/Kiritimati")
	// 23:00 Beijing on the day LA falls back (2026-11-01 15:00 UTC): settle day 2 November.
	day := unionpay.SettleDay(time.Date(2026, 11, 1, 15, 0, 0, 0, time.UTC))
	if got := day.Format("20060102"); got != "20261102" {
		t.Fatalf("SettleDay = %s", got)
	}
	for _, z := range []*time.Location{time.UTC, la, kir, time.Local} {
		d := day.In(z)
		if got, want := reconcile.ArchiveName("777290058110048", d), "777290058110048_20261102.zip"; got != want {
			t.Errorf("ArchiveName(settle day in %v) = %s, want %s", z, got, want)
		}
		if got, want := reconcile.MemberName(reconcile.KindZM, "777290058110048", d), "INN26110288ZM_777290058110048"; got != want {
			t.Errorf("MemberName(ZM, settle day in %v) = %s, want %s", z, got, want)
		}
	}
	// And a midnight in the server's own zone still names that date (as DownloadFile reads it).
	if got, want := reconcile.ArchiveName("m", time.Date(2026, 11, 2, 0, 0, 0, 0, la)), "m_20261102.zip"; got != want {
		t.Errorf("ArchiveName(LA midnight) = %s, want %s", got, want)
	}
}

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
