package unionpay

import "testing"

// TestWindowsDrive: a drive letter (either case, A to Z), a colon and either separator start a
// Windows drive path; anything else, shorter or with another first character, does not.
func TestWindowsDrive(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]bool{
		"D:/certs": true, `D:\certs`: true, "d:/certs": true, "A:/": true, "a:/": true, "Z:/": true, "z:/": true,
		"D:": false, "D:certs": false, "D/certs": false, "1:/certs": false, "@:/": false, "`:/": false,
		"[:/": false, "Dx/certs": false, `Dx\certs`: false, "{:/": false, "/certs": false, "": false, "DD:/": false,
	} {
		if got := windowsDrive(p); got != want {
			t.Errorf("windowsDrive(%q) = %v, want %v", p, got, want)
		}
	}
}
