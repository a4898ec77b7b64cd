package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The official SDK's encoded file decodes to its plain text.
func TestFilecontentOfficialVector(t *testing.T) {
	want := readTestFile(t, vectorsDir+"/filecontent.plain.txt")
	r := runCLI(t, readTestFile(t, vectorsDir+"/filecontent.official.b64"), "filecontent")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, want, r.stdout)
	assert.Empty(t, r.stderr)

	out := filepath.Join(t.TempDir(), "plain.txt")
	r = runCLI(t, readTestFile(t, vectorsDir+"/filecontent.official.b64"), "filecontent", "-o", out)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stdout)
	assert.Equal(t, want, readTestFile(t, out))
}

// The gateway's raw answer to a file download verifies, decodes to the day's settlement zip, and
// the zip reads back as the day's records: the pipeline a merchant runs by hand.
func TestFilecontentDownloadAnswer(t *testing.T) {
	g := testGateway(t)
	d := testSettlement(t)

	r := runCLI(t, d.rawAnswer, "verify", "-raw", "-root", g.root, "-middle", g.middle)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "OK "))

	zipPath := filepath.Join(t.TempDir(), "settlement.zip")
	r = runCLI(t, d.rawAnswer, "filecontent", "-o", zipPath)
	require.Equal(t, exitOK, r.code, r.stderr)
	got, err := os.ReadFile(zipPath)
	require.NoError(t, err)
	assert.Equal(t, d.zip, got)

	r = runCLI(t, "", "reconcile", "-summary", zipPath)
	require.Equal(t, exitOK, r.code, r.stderr)
	var want totals // what the gateway settled that day: the payment of 123.45 and the refund of 23.45
	var ids []string
	for _, rec := range g.srv.Records(d.day) {
		ids = append(ids, rec.OrderID)
		want.Records++
		want.MerchantFee += rec.MerchantFee
		want.SettleAmt += rec.SettleAmt
	}
	require.Equal(t, []string{d.consumeID, d.refundID}, ids)
	assert.Equal(t, fmt.Sprintf(`{"records":%d,"txnAmtCredit":12345,"txnAmtDebit":2345,"txnAmtNet":10000,"merchantFee":%d,"settleAmt":%d}`+"\n",
		want.Records, want.MerchantFee, want.SettleAmt), r.stdout)
}

func TestFilecontentFailures(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		want  string
	}{
		{"no file for the day", "respCode=98&respMsg=无对账文件[9800000]&signature=x", "respCode 98"},
		{"empty fileContent", "respCode=00&fileContent=&signature=x", "empty fileContent"},
		{"not base64", "@@@@", "unionpay"},
		{"base64 but not zlib", "aGVsbG8gd29ybGQ=", "unionpay"},
		{"nothing", "\n", "nothing on standard input"},
		{"malformed answer", "respCode=00&fileContent", "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireFailure(t, runCLI(t, tt.stdin, "filecontent"), exitFailed, tt.want)
		})
	}
	requireFailure(t, runCLI(t, "", "filecontent", "extra"), exitUsage, "unexpected argument")
	requireFailure(t, runCLI(t, readTestFile(t, vectorsDir+"/filecontent.official.b64"), "filecontent", "-o",
		filepath.Join(t.TempDir(), "no", "such", "dir")), exitFailed, "no such file")
}
