package respcode

import "testing"

// TestBusy: 02, 06 and 37 are busy; pending codes, success, refusals and near misses are not.
func TestBusy(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]bool{
		"02": true, "06": true, "37": true,
		"00": false, "03": false, "04": false, "05": false, "83": false, "34": false, "98": false,
		"2": false, "002": false, " 02": false, "": false,
	} {
		if got := Busy(code); got != want {
			t.Errorf("Busy(%q) = %v, want %v", code, got, want)
		}
	}
}
