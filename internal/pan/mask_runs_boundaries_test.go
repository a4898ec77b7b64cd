package pan

import "testing"

// TestMaskRunsEveryDot: every dot dotAt lists joins the groups of a card number, as the doc of
// MaskRuns says (the full stop, middle dots and bullet were tested, not the others).
func TestMaskRunsEveryDot(t *testing.T) {
	t.Parallel()
	for _, dot := range []string{".", "\uFE52", "\uFF0E", "\u00B7", "\u30FB", "\uFF65", "\u2022", "\u2024", "\u2027", "\u2219", "\u22C5"} {
		in := "6216" + dot + "2610" + dot + "0000" + dot + "0000" + dot + "018"
		if got, want := MaskRuns("卡号"+in+"无效"), "卡号621626******0018无效"; got != want {
			t.Errorf("dot %U: MaskRuns(%q) = %q, want %q", []rune(dot)[0], in, got, want)
		}
	}
}

// TestMaskRunsGroupBoundaries: where a run's groups begin and end, as the spaced-mark rule of
// MaskRuns reads them: white space on one side of a mark makes it spaced as white space on both
// does; white space (a tab too) ends a group while an invisible character does not; a group is
// counted past invisible characters; a run of 11 digits is not joined to a spaced group after it
// unless both are card groups, and one of 12 is, whatever that group.
func TestMaskRunsGroupBoundaries(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, in, want string }{
		// A spaced mark between non-card groups cuts, with white space on either side only.
		{"a date range, space before the dash only", "2026-11-27 -2026-12-27", ""},
		{"a date range, space after the dash only", "2026-11-27- 2026-12-27", ""},
		{"a date range, space after the dot only", "27.11.2026. 28.11.2026", ""},
		// Groups after white space or a mark alone start anew: 6216 2610 is two card groups.
		{"spaced hyphen after space-separated groups", "6216 2610 - 0000 0000 018", "621626******0018"},
		{"spaced hyphen after hyphenated groups", "6216-2610 - 0000-0000-018", "621626******0018"},
		{"spaced hyphen after a tab", "1234\t567 - 89012", "******9012"},
		{"spaced hyphen after a line feed", "1234\n567 - 89012", "******9012"},
		// An invisible character does not end a group: 1234\u200b567 is one group of 7.
		{"spaced hyphen after a zero-width space", "1234\u200b567 - 89012", ""},
		// A group is counted past invisible characters: 00\u200b00 is a group of 4.
		{"a spaced group holding a zero-width space", "6216 - 2610 - 00\u200b00 - 0000 - 018", "621626******0018"},
		// The length at which a spaced group joins whatever it is: 12 digits, not 11 nor 13.
		{"11 digits, then a spaced group of 2", "13552535506 - 12", ""},
		{"12 digits, then a spaced group of 2", "6216 - 2610 - 0000 - 18", "******0018"},
		{"12 digits, then a spaced group of 7", "6216 - 2610 - 0000 - 0000018", "621626******0018"},
	} {
		want := tt.want
		if want == "" {
			want = tt.in
		}
		if got := MaskRuns(tt.in); got != want {
			t.Errorf("%s: MaskRuns(%q) = %q, want %q", tt.name, tt.in, got, want)
		}
	}
}
