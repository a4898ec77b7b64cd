package unionpay

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goacp/unionpay/internal/tz"
	"github.com/goacp/unionpay/sign"
)

// FuzzExtraPayTimeout: whatever payTimeout Extra carries, extraPayTimeout returns (never
// panics), and accepts exactly a blank one (not sent) or one that, trimmed as it is sent, is 14
// ASCII digits naming a real second, yyyyMMddHHmmss, in Beijing time (UTC+8: txnTime is after
// 1991, and China has kept UTC+8 since) later than txnTime; any other is a *RequestError naming
// Extra["payTimeout"], which says why: the layout, or txnTime. The rule is found here by hand,
// field by field, not with time.Parse.
func FuzzExtraPayTimeout(f *testing.F) {
	beijing := time.FixedZone("CST", 8*3600)
	now := time.Date(2024, 1, 4, 10, 30, 0, 0, beijing).Unix()
	for _, v := range []string{"20240104104500", " 20240104103001 ", "20240104023000", "20240104103000",
		"2024-01-04 10:45:00", "202401041045", "20240231103000", "20240229103000", "20230229103000",
		"20241304103000", "20240104243000", "20240104106000", "20240104103060", "2024010410300\u0660",
		"\t20240104110000\n", "+2024010411000", "-2024010411000", "", "   ", "99991231235959", "00000101000000"} {
		f.Add(v, now)
	}
	c := &Client{loc: tz.Beijing()}
	const span = 100 * 365 * 24 * 3600
	base := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	f.Fuzz(func(t *testing.T, v string, sec int64) {
		sec = base + (sec%span+span)%span // txnTime from 2000 to 2100
		txn := time.Unix(sec, 0).In(tz.Beijing())
		got, err := c.extraPayTimeout("qrcode apply", sign.Fields{"payTimeout": v}, txn)

		sent := strings.TrimFunc(v, func(c rune) bool { return c <= ' ' })
		want := "" // accepted
		if sent != "" {
			want = "layout"
			if when, ok := beijingSecond(sent, beijing); ok {
				want = "txnTime"
				if when.After(txn) {
					want = ""
				}
			}
		}
		var re *RequestError
		switch {
		case want == "" && err != nil:
			t.Fatalf("payTimeout %q after txnTime %s refused: %v", v, txn.Format(timeLayout), err)
		case want == "" && sent == "" && !got.IsZero():
			t.Fatalf("blank payTimeout %q read as %v, want the zero time", v, got)
		case want == "" && sent != "" && (got.Location() != c.loc || got.Format(timeLayout) != sent):
			t.Fatalf("payTimeout %q read as %v, want %s in Beijing time", v, got, sent)
		case want == "":
		case !errors.As(err, &re) || re.Field != `Extra["payTimeout"]`:
			t.Fatalf("payTimeout %q (txnTime %s): %v, want a RequestError naming Extra[\"payTimeout\"]", v, txn.Format(timeLayout), err)
		case (want == "txnTime") != strings.Contains(re.Reason, "after txnTime"):
			t.Fatalf("payTimeout %q (txnTime %s): %q, want a refusal for its %s", v, txn.Format(timeLayout), re.Reason, want)
		}
	})
}

// beijingSecond reads s as yyyyMMddHHmmss, 14 ASCII digits naming a second that exists, in zone.
func beijingSecond(s string, zone *time.Location) (time.Time, bool) {
	if len(s) != 14 {
		return time.Time{}, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, false
		}
	}
	n := func(i, j int) int { v, _ := strconv.Atoi(s[i:j]); return v }
	y, mo, d, h, mi, sec := n(0, 4), n(4, 6), n(6, 8), n(8, 10), n(10, 12), n(12, 14)
	if mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	if days := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day(); d > days {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, 0, zone), true
}
