package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExitStatusesDocumented: each exit status a script tests for is the number the usage text,
// the package documentation and the commands' help give it (a cron job alerts on 6 and
// queries again on 5).
func TestExitStatusesDocumented(t *testing.T) {
	usage := runCLI(t, "", "-h")
	require.Equal(t, exitOK, usage.code)
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	texts := map[string]string{"usage": usage.stdout, "doc.go": string(src), "query -h": queryHelp, "download -h": downloadHelp,
		"certinfo -h": certinfoHelp}
	tests := []struct {
		code  int
		where string
		what  string // the words after the number
	}{
		{exitNoFile, "usage", "no file for that day"},
		{exitDiscrepancies, "usage", "discrepancies between a settlement file"},
		{exitQueryAgain, "usage", "not final or not known yet"},
		{exitRefused, "usage", "the service's credentials or configuration refused"},
		{exitNoFile, "doc.go", "when filecontent is given an answer of respCode 98"},
		{exitQueryAgain, "doc.go", "when query finds the outcome not final or not known"},
		{exitRefused, "doc.go", "when query or download is refused the service's credentials"},
		{exitDiscrepancies, "doc.go", "when reconcile -orders finds discrepancies"},
		{exitQueryAgain, "query -h", "not final or not known: pending"},
		{exitRefused, "query -h", "the credentials or configuration were refused"},
		{exitNoFile, "download -h", "UnionPay has no file for that day"},
		{exitQueryAgain, "download -h", "not final or not known: the download failed in a way that may pass"},
		{exitQueryAgain, "doc.go", "when download fails in a way that may pass"},
		{exitQueryAgain, "usage", "not final or not known yet (query: pending, not found, the query failed): " +
			"query again later; download: the download failed"},
		{exitRefused, "download -h", "the credentials or configuration were refused"},
		{exitExpiring, "usage", "a certificate not valid now or expiring within DURATION (certinfo -expires-within)"},
		{exitExpiring, "doc.go", "when certinfo -expires-within finds the certificate not valid now or expiring"},
		{exitExpiring, "certinfo -h", "when the certificate is not valid now (expired, or not yet valid) or expires within DURATION"},
		{exitFailed, "certinfo -h", "for a file that could not be read: a wrong password"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %d", tt.where, tt.code), func(t *testing.T) {
			text := strings.Join(strings.Fields(strings.ReplaceAll(texts[tt.where], "//", " ")), " ")
			assert.Contains(t, text, fmt.Sprintf("%d %s", tt.code, tt.what))
		})
	}
}
