package pan

import (
	"strings"
	"testing"
)

// TestMaskRunsDefaultIgnorable: characters Unicode tells renderers to show as nothing
// (Default_Ignorable_Code_Point) but that are letters or unassigned, not format characters or
// marks: Hangul fillers (U+115F, U+1160, U+3164, U+FFA0, which some fonts show as a blank), the
// reserved U+2065 and U+FFF0-U+FFF8. Between the digits of a card number, a person reads the card
// number, whole or in groups; MaskRuns read them as letters and showed it.
func TestMaskRunsDefaultIgnorable(t *testing.T) {
	t.Parallel()
	const card, want = "6216261000000000018", "621626******0018"
	for _, tt := range []struct{ name, sep string }{
		{"Hangul filler", "\u3164"},
		{"Hangul choseong filler", "\u115f"},
		{"Hangul jungseong filler", "\u1160"},
		{"half-width Hangul filler", "\uffa0"},
		{"reserved U+2065", "\u2065"},
		{"reserved U+FFF0", "\ufff0"},
	} {
		for _, in := range []string{
			strings.Join(strings.Split(card, ""), tt.sep),                         // between every digit
			strings.Join([]string{"6216", "2610", "0000", "0000", "018"}, tt.sep), // between groups
		} {
			if got := MaskRuns("卡号" + in + "无效"); got != "卡号"+want+"无效" {
				t.Errorf("%s: MaskRuns(%q) = %q, want %q", tt.name, in, got, "卡号"+want+"无效")
			}
		}
	}
	// A Hangul filler in Korean text, away from digits, is left as it is.
	if in := "\u3164\uac00 123456 \u3164"; MaskRuns(in) != in {
		t.Errorf("MaskRuns(%q) = %q", in, MaskRuns(in))
	}
}
