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

// TestMemberKind: MemberKind reads the kind of every name MemberName writes, and of the periodic
// members' names, as Open lists them; a name that says none is KindUnknown.
func TestMemberKind(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	for _, k := range []reconcile.Kind{reconcile.KindZM, reconcile.KindZME, reconcile.KindRD} {
		if got := reconcile.MemberKind(reconcile.MemberName(k, "777290058110048", day)); got != k {
			t.Errorf("MemberKind(MemberName(%v)) = %v", k, got)
		}
	}
	for name, want := range map[string]reconcile.Kind{
		"INN26112588PED_777290058110048":    reconcile.KindPED,
		"INN26112588PEDERR_777290058110048": reconcile.KindPEDERR,
		"INN26112588ZME_777290058110048":    reconcile.KindZME,
		"readme.txt":                        reconcile.KindUnknown,
		"RD":                                reconcile.KindUnknown,
	} {
		if got := reconcile.MemberKind(name); got != want {
			t.Errorf("MemberKind(%q) = %v, want %v", name, got, want)
		}
	}
}
