package reconcile

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require" // The member-name table FuzzOpen checks names against, written out by hand.
)

// memberNames are member names with the kind, merId and settle date (yyyymmdd; "" for none) that
// UnionPay's naming gives them, written out by hand from the naming rule in the Kind
// documentation (INN{yymmdd}{nn}ZM_{merId}, INN{yymmdd}{nn}ZME_{merId},
// RD{nnnn}{yymmdd}{nn}_{merId}, names holding PED_ or PEDERR_; "ZME_" and "PEDERR_" are tested
// before "ZM_" and "PED_"; merId after the last '_') and the official sample zip's names,
// with near misses.
var memberNames = []struct {
	name  string
	kind  Kind
	merID string
	date  string
}{
	{"INN15090588ZM_802310048993424", KindZM, "802310048993424", "20150905"}, // the official sample
	{"RD201015090501_802310048993424", KindRD, "802310048993424", "20150905"},
	{"INN25123188ZM_777290058110097", KindZM, "777290058110097", "20251231"},
	{"INN25123188ZME_777290058110097", KindZME, "777290058110097", "20251231"},
	{"RD201025123101_777290058110097", KindRD, "777290058110097", "20251231"},
	{"INN25123188PED_777290058110097", KindPED, "777290058110097", ""},
	{"INN25123188PEDERR_777290058110097", KindPEDERR, "777290058110097", ""},
	{"INN24022988ZM_777290058110097", KindZM, "777290058110097", "20240229"}, // a leap day
	{"INN00010188ZME_1", KindZME, "1", "20000101"},
	{"INN99123188ZM_1", KindZM, "1", "20991231"},
	{"INN25022988ZM_777290058110097", KindZM, "777290058110097", ""}, // 2025 has no 29 February
	{"INN25023088ZME_777290058110097", KindZME, "777290058110097", ""},
	{"INN25133188ZM_1", KindZM, "1", ""}, // month 13
	{"INN25120088ZM_1", KindZM, "1", ""}, // day 0
	{"INNx5123188ZM_1", KindZM, "1", ""},
	{"INN2512ZM_1", KindZM, "1", ""},
	{"ABC25123188ZM_1", KindZM, "1", ""}, // a date only after INN
	{"INN25123188ZM_", KindZM, "", "20251231"},
	{"INN25123188ZM777290058110097", KindUnknown, "", ""},
	{"INN25123188ZME_ZM_1", KindZME, "1", "20251231"},
	{"INN25123188ZM_PED_1", KindZM, "1", "20251231"},
	{"INN25123188PEDERR_PED_1", KindPEDERR, "1", ""},
	{"INN25123188ZM_777290058110097.txt", KindZM, "777290058110097.txt", "20251231"},
	{"RD201025123101_ZM_1", KindZM, "1", ""}, // ZM_ wins over RD, and ZM dates are INN's
	{"RD201025123101", KindUnknown, "", ""},
	{"RD2010_777290058110097", KindRD, "777290058110097", ""},
	{"rd201025123101_1", KindUnknown, "1", ""},
	{"XRD201025123101_1", KindUnknown, "1", ""},
	{"RD_", KindRD, "", ""},
	{"PED_1", KindPED, "1", ""},
	{"PEDERR_", KindPEDERR, "", ""},
	{"ZM_", KindZM, "", ""},
	{"_", KindUnknown, "", ""},
	{"x", KindUnknown, "", ""},
}

// checkTableMember fails unless m has the kind, merId and settle date of its name in
// memberNames, if its name is there.
func checkTableMember(t *testing.T, m *Member) {
	t.Helper()
	for _, c := range memberNames {
		if c.name != m.Name {
			continue
		}
		var want time.Time
		if c.date != "" {
			var err error
			if want, err = time.ParseInLocation("20060102", c.date, Beijing()); err != nil {
				t.Fatal(err)
			}
		}
		if m.Kind != c.kind || m.MerID != c.merID || m.SettleDate.String() != want.String() { // the instant and the zone
			t.Fatalf("member %q: %v %q %v, want %v %q %v", m.Name, m.Kind, m.MerID, m.SettleDate, c.kind, c.merID, want)
		}
	}
}

// TestMemberNames: each name of memberNames, as a member of a zip, has the kind, merId and
// settle date (Beijing midnight) the table gives.
func TestMemberNames(t *testing.T) {
	for _, c := range memberNames {
		t.Run(c.name, func(t *testing.T) {
			a, err := Open(makeZip(t, zipEntry{c.name, []byte("x")}))
			require.NoError(t, err)
			require.Len(t, a.Members(), 1)
			checkTableMember(t, a.Members()[0])
		})
	}
}

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

// TestMutation2MemberNames: kinds, merId and settle date from member names.
func TestMutation2MemberNames(t *testing.T) {
	day := time.Date(2015, 9, 5, 0, 0, 0, 0, Beijing())
	cases := []struct {
		name   string
		kind   Kind
		merID  string
		settle time.Time
	}{
		{"INN15090588ZM_802310048993424", KindZM, "802310048993424", day},
		{"INN15090588ZME_802310048993424", KindZME, "802310048993424", day},
		{"RD201015090501_802310048993424", KindRD, "802310048993424", day},
		{"INN15090588ZM_X_802310048993424", KindZM, "802310048993424", day},
		{"RD201015090501", KindUnknown, "", time.Time{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := kindOf(c.name)
			require.Equal(t, c.kind, k)
			merID, settleDate := nameInfo(c.name, k)
			require.Equal(t, c.merID, merID)
			require.True(t, c.settle.Equal(settleDate), "settle date %v, want %v", settleDate, c.settle)
		})
	}
}
