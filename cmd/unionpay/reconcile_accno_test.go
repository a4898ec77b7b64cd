package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
)

// digitCount is how many ASCII digits s shows.
func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// TestReconcileAccNoShown: reconcile writes a settlement file's accNo as query does
// (shownAccNo), in ZM and ZME records, JSON and CSV alike: as the file masks it, UnionPay's 6+4
// with as many stars as the card has hidden digits, and a whole card number, or one masked too
// little, as notify.MaskPAN masks it; never more digits than MaskPAN shows.
func TestReconcileAccNoShown(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"the file's mask, 16 digits", "622609******0048", "622609******0048"},
		{"the file's mask, 19 digits", "621626*********0018", "621626*********0018"},
		{"the file's short mask", "******0018", "******0018"},
		{"UnionPay's message mask, 4+4", "6216***********0018", "6216***********0018"},
		{"whole, 19 digits", "6216261000000000018", "621626******0018"},
		{"whole, 16 digits", "6216261234560018", "621626******0018"},
		{"whole, 13 digits", "6216261000018", "******0018"},
		{"too little hidden", "62162610****0018", "621626******0018"},
		{"not a card number", "62162610000000A0018", "621626******0018"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.LessOrEqual(t, digitCount(tt.want), digitCount(notify.MaskPAN(tt.in)),
				"shows more digits than MaskPAN")
			for _, format := range []string{"json", "csv"} {
				var out bytes.Buffer
				w := newRecordWriter(&out, format, false)
				require.NoError(t, w.zm(&reconcile.Record{Line: 1, AccNo: tt.in}))
				require.NoError(t, w.zme(&reconcile.ErrorRecord{Line: 2, AccNo: tt.in}))
				require.NoError(t, w.finish(&reconcile.Tally{}, true))
				var got []string
				if format == "json" {
					for line := range strings.Lines(out.String()) {
						var r row
						require.NoError(t, json.Unmarshal([]byte(line), &r))
						got = append(got, r.AccNo)
					}
				} else {
					rows, err := csv.NewReader(&out).ReadAll()
					require.NoError(t, err)
					require.Len(t, rows, 3)
					require.Equal(t, "accNo", rows[0][12])
					got = []string{rows[1][12], rows[2][12]}
				}
				assert.Equal(t, []string{tt.want, tt.want}, got, format)
			}
		})
	}
}

// FuzzShownAccNo: whatever a file's accNo holds, reconcile shows it as it is or as
// notify.MaskPAN masks it, never with more digits than MaskPAN shows, and as it is only with
// six characters at least hidden (all of one of six or fewer).
func FuzzShownAccNo(f *testing.F) {
	for _, s := range []string{"", "622609******0048", "621626*********0018", "******0018", "6216***********0018",
		"6216261000000000018", "6216261000018", "62162610****0018", "**********", "*****", "0018", "6*0",
		"621626*********00180", "62162610000000A0018", "６２１６２６******0018"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, m := shownAccNo(s), notify.MaskPAN(s)
		if got != s && got != m {
			t.Fatalf("shownAccNo(%q) = %q, neither the value nor MaskPAN's %q", s, got, m)
		}
		if digitCount(got) > digitCount(m) {
			t.Fatalf("shownAccNo(%q) = %q shows more digits than MaskPAN's %q", s, got, m)
		}
		if got == s && got != m && len(s)-digitCount(s) < min(len(s), 6) {
			t.Fatalf("shownAccNo(%q) = %q hides fewer than six characters", s, got)
		}
	})
}
