package main

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
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
	// The file the answer carries, decoded by the library: the CLI writes it byte for byte. (Not
	// a zip the gateway builds again: its members' times would differ when a second passes.)
	answer, err := sign.ParseRaw(d.rawAnswer)
	require.NoError(t, err)
	carried, err := unionpay.DecodeFileContent(answer["fileContent"], 1<<30)
	require.NoError(t, err)
	assert.Equal(t, carried, got)

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
	assert.Equal(t, fmt.Sprintf(`{"records":%d,"txnAmtCredit":12345,"txnAmtDebit":2345,"txnAmtNet":10000,"merchantFee":%d,"settleAmt":%d,"zmeRecords":0,"zmeSettleAmt":0}`+"\n",
		want.Records, want.MerchantFee, want.SettleAmt), r.stdout)
}

func TestFilecontentFailures(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		want  string
	}{
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
	// No file for the day has a status of its own: a nightly job retries later rather than alerts.
	requireFailure(t, runCLI(t, "respCode=98&respMsg=无对账文件[9800000]&signature=x", "filecontent"), exitNoFile, "respCode 98")
	requireFailure(t, runCLI(t, "", "filecontent", "extra"), exitUsage, "unexpected argument")
	requireFailure(t, runCLI(t, readTestFile(t, vectorsDir+"/filecontent.official.b64"), "filecontent", "-o",
		filepath.Join(t.TempDir(), "no", "such", "dir")), exitFailed, notExist(filepath.Join(t.TempDir(), "no", "such", "dir", "x")))
}

// zlibBase64 returns n zero bytes, zlib-compressed and base64-encoded: a small fileContent that
// inflates to n bytes.
func zlibBase64(t *testing.T, n int) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	_, err := zw.Write(make([]byte, n))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// TestFilecontentStreams: a small answer that inflates to many bytes is decoded as a stream:
// memory stays far below the file's size, and beyond the limit it fails without output.
func TestFilecontentStreams(t *testing.T) {
	const size = 48 << 20
	bomb := zlibBase64(t, size)
	require.Less(t, len(bomb), 1<<20)
	tests := []struct {
		name  string
		limit int64
		err   string
	}{
		{"within the limit", size, ""},
		{"beyond the limit", size - 1, "exceeds the size limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var n countWriter
			err := decodeFileContent(bomb, &n, tt.limit)
			runtime.ReadMemStats(&after)
			allocated := after.TotalAlloc - before.TotalAlloc
			require.Less(t, allocated, uint64(size/8), "%d bytes allocated to inflate %d", allocated, size)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				require.ErrorIs(t, err, unionpay.ErrFileTooLarge)
				return
			}
			require.NoError(t, err)
			require.Equal(t, countWriter(size), n)
		})
	}

	// Through the command, to a file: written whole, and nothing left behind on a failure.
	dir := t.TempDir()
	out := filepath.Join(dir, "day.zip")
	r := runCLI(t, bomb, "filecontent", "-o", out)
	require.Equal(t, exitOK, r.code, r.stderr)
	fi, err := os.Stat(out)
	require.NoError(t, err)
	require.Equal(t, int64(size), fi.Size())
	if runtime.GOOS != "windows" { // Go reports 0666 for any writable file there: ACLs decide
		require.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	}
	cut := bomb[:len(bomb)/2]
	requireFailure(t, runCLI(t, cut, "filecontent", "-o", filepath.Join(dir, "cut.zip")), exitFailed, "fileContent")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no cut.zip and no temporary file")
	requireFailure(t, runCLI(t, cut, "filecontent"), exitFailed, "fileContent") // and nothing on stdout
}

// countWriter counts the bytes written to it.
type countWriter int64

// Write implements io.Writer.
func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// TestFilecontentRefusesTerminal: without -o, the binary file is not written to a terminal; to a
// file or pipe, or with -o, it is.
func TestFilecontentRefusesTerminal(t *testing.T) {
	b64 := readTestFile(t, vectorsDir+"/filecontent.official.b64")
	out := filepath.Join(t.TempDir(), "file.zip")
	tests := []struct {
		name string
		tty  bool
		args []string
		code int
	}{
		{"terminal", true, nil, exitUsage},
		{"terminal with -o", true, []string{"-o", out}, exitOK},
		{"pipe", false, nil, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			e := &env{ctx: context.Background(), stdin: strings.NewReader(b64), stdout: &stdout, stderr: &stderr,
				getenv: func(string) string { return "" }, stdoutTTY: tt.tty}
			code := e.dispatch(append([]string{"filecontent"}, tt.args...))
			require.Equal(t, tt.code, code, stderr.String())
			if tt.code == exitUsage {
				require.Empty(t, stdout.String())
				require.Contains(t, stderr.String(), "give -o FILE or redirect standard output")
			}
		})
	}
}
