package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// -at half a second after the certificate's notAfter (2021-11-26T03:54:31Z), given in UTC or
// with a local offset: refused as expired, but the message says "not valid at 03:54:31Z:
// EXPIRED since 03:54:31Z", the same second twice, as -at is printed without its fraction.
func TestTrialClockAtFractionPrinted(t *testing.T) {
	v510 := readTestFile(t, vectorsDir+"/consume_request.signed-5.1.0-acp_test_sign.kv")
	for _, at := range []string{"2021-11-26T03:54:31.5Z", "2021-11-25T19:54:31.5-08:00"} {
		r := runCLI(t, v510, "verify", "-request", "-at", at, "-verify-cert", testPFX, "-password", "000000")
		requireFailure(t, r, exitFailed, "EXPIRED since 2021-11-26T03:54:31Z")
		require.False(t, strings.Contains(r.stderr, "not valid at 2021-11-26T03:54:31Z"),
			"-at must not print as the notAfter it is after: %s", r.stderr)
	}
}
