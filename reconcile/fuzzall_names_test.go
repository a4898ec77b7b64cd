package reconcile

import (
	"strings"
	"testing"
	"time"
)

// FuzzMemberNames: a name MemberName writes reads back (kindOf, nameInfo) as the kind, merId
// and settle date it was written for; and any name's settle date, when nameInfo finds one, is
// a Beijing midnight of 2000-2099 written in the name at its place.
func FuzzMemberNames(f *testing.F) {
	f.Add("802310048993424", uint16(5360), "INN15090588ZM_802310048993424")
	f.Add("", uint16(0), "RD201015090501_802310048993424")
	f.Add("ZM", uint16(59), "INN000229ZME_x")
	f.Fuzz(func(t *testing.T, merID string, days uint16, name string) {
		d := time.Date(2000, 1, 1, 0, 0, 0, 0, Beijing()).AddDate(0, 0, int(days)%36524)
		if !strings.Contains(merID, "_") && plainName("x"+merID) {
			for _, k := range []Kind{KindZM, KindZME, KindRD} {
				n := MemberName(k, merID, d)
				if got := kindOf(n); got != k {
					t.Fatalf("MemberName(%v, %q, %v) = %q, read as %v", k, merID, d, n, got)
				}
				m, s := nameInfo(n, k)
				if m != merID || !s.Equal(d) {
					t.Fatalf("MemberName(%v, %q, %v) = %q, read as merId %q, date %v", k, merID, d, n, m, s)
				}
			}
		}
		k := kindOf(name)
		m, s := nameInfo(name, k)
		if m != "" && !strings.HasSuffix(name, "_"+m) || strings.Contains(m, "_") {
			t.Fatalf("%q: merId %q", name, m)
		}
		if !s.IsZero() {
			at := 3
			if k == KindRD {
				at = 6
			}
			if s.Year() < 2000 || s.Year() > 2099 || s.Location() != Beijing() || s.Hour() != 0 ||
				name[at:at+6] != s.Format("060102") {
				t.Fatalf("%q (%v): settle date %v", name, k, s)
			}
		}
	})
}
