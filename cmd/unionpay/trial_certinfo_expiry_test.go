package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A weekly cron job must fail when the merchant's certificate expires within 30 days, or has
// expired. certinfo exits 0 for an EXPIRED certificate and has no threshold flag, so a script
// has to parse notAfter itself. Proposed: -expires-within DURATION, exit status 1 (check failed)
// when the certificate is not valid now or expires before now+DURATION; the lines still printed.
func TestTrialCertinfoExpiresWithin(t *testing.T) {
	notAfter := time.Date(2021, 11, 26, 3, 54, 31, 0, time.UTC) // testPFX
	tests := []struct {
		name string
		now  time.Time
		code int
		err  string
	}{
		{"valid for months", notAfter.AddDate(0, -3, 0), exitOK, ""},
		{"expires in 10 days", notAfter.AddDate(0, 0, -10), exitFailed, "expires within"},
		{"expired", notAfter.AddDate(0, 0, 1), exitFailed, "EXPIRED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
				getenv: func(string) string { return "" }, now: func() time.Time { return tt.now }}
			code := e.dispatch([]string{"certinfo", "-password", "000000", "-expires-within", "720h", testPFX})
			require.Equal(t, tt.code, code, "stdout %q stderr %q", out.String(), errOut.String())
			assert.Contains(t, out.String(), "notAfter: 2021-11-26T03:54:31Z\n")
			assert.Contains(t, errOut.String(), tt.err)
		})
	}
}
