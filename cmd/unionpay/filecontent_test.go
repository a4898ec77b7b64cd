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
		filepath.Join(t.TempDir(), "no", "such", "dir")), exitFailed, "does not exist (create it first)")
}

// TestFilecontentCutShort: an answer saved or received in part ends its fileContent mid-way, in
// a base64 group or in the zlib stream; the error says so and to download it again. A bad
// character inside the value is not taken for that.
func TestFilecontentCutShort(t *testing.T) {
	t.Parallel()
	content := strings.TrimSpace(readTestFile(t, vectorsDir+"/filecontent.official.b64"))
	require.Greater(t, len(content), 400)
	const again = "the answer was cut short, saved or received in part? download it again)"
	badSum, err := base64.StdEncoding.DecodeString(zlibBase64(t, 100))
	require.NoError(t, err)
	badSum[len(badSum)-1] ^= 0xFF // the Adler-32 at the end of a whole stream
	tests := []struct {
		name, stdin, want, not string
	}{
		{"in a base64 group", content[:401], "illegal base64 data at input byte 400 (it ends mid-way: " + again, ""},
		{"in the zlib stream", content[:400], "inflating: unexpected EOF (the stream ends early: " + again, ""},
		{"the answer cut", "respCode=00&fileContent=" + content[:402], "(it ends mid-way: " + again, ""},
		{"a bad character inside", content[:100] + "!" + content[101:], "illegal base64 data at input byte 100",
			"cut short"},
		{"a checksum that does not match", base64.StdEncoding.EncodeToString(badSum), "inflating: zlib: invalid checksum",
			"cut short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, tt.stdin, "filecontent", "-o", filepath.Join(t.TempDir(), "day.zip"))
			requireFailure(t, r, exitFailed, tt.want)
			if tt.not != "" {
				assert.NotContains(t, r.stderr, tt.not)
			}
		})
	}
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

// FuzzFilecontentAgrees: "unionpay filecontent" decodes a bare fileContent with a decoder of
// its own (a streaming base64 and compress/zlib); it must agree with unionpay.DecodeFileContent,
// which Client.DownloadFile uses: the same bytes for what the library reads, a failure for what
// it refuses. Otherwise the tool shows a file the SDK would not return, or the reverse.
func FuzzFilecontentAgrees(f *testing.F) {
	f.Add([]byte("hello"), "", byte(0))
	f.Add([]byte{}, "eJwDAAAAAAE=", byte(0))
	f.Add([]byte{}, "eJwDAAAAAAE=AAAA", byte(0))
	f.Add([]byte{}, "eJwDAAAAAAE", byte(0))
	f.Add([]byte("x"), "", byte(3))
	f.Fuzz(func(t *testing.T, file []byte, text string, edit byte) {
		if text == "" {
			text = unionpay.EncodeFileContent(file)
			if edit != 0 && len(text) > 0 {
				b := []byte(text)
				b[int(edit)%len(b)] ^= edit
				text = string(b)
			}
		}
		if strings.Contains(text, "fileContent=") || strings.Contains(text, "respCode=") {
			return // read as an answer
		}
		r := runCLI(t, text, "filecontent")
		checkOutcome(t, r)
		want, err := unionpay.DecodeFileContent(strings.TrimSpace(text), maxFileBytes)
		switch {
		case err == nil && r.code != exitOK:
			t.Fatalf("filecontent refuses %q (%s), DecodeFileContent reads %q", text, r.stderr, want)
		case err != nil && r.code == exitOK:
			t.Fatalf("filecontent reads %q as %q, DecodeFileContent refuses it: %v", text, r.stdout, err)
		case err == nil && r.stdout != string(want):
			t.Fatalf("filecontent reads %q as %q, DecodeFileContent as %q", text, r.stdout, want)
		}
	})
}

// TestFilecontentTextAfterPadding: base64 text after the padding of a fileContent ("=" then
// more characters) is read by "unionpay filecontent" (the streaming base64 decoder checks
// padding per chunk only), while unionpay.DecodeFileContent refuses it. Found by
// FuzzFilecontentAgrees.
func TestFilecontentTextAfterPadding(t *testing.T) {
	const text = "eJwDAAAAAAE=AAAA" // the empty file, then "AAAA"
	if _, err := unionpay.DecodeFileContent(text, maxFileBytes); err == nil {
		t.Fatal("DecodeFileContent reads it")
	}
	if r := runCLI(t, text, "filecontent"); r.code == exitOK {
		t.Errorf("filecontent reads %q as %q; DecodeFileContent refuses it", text, r.stdout)
	}
}

// errNoFile is matched through any wrapping; no other command's failure is status 3.
func TestReviewNoFileOnlyForFilecontent(t *testing.T) {
	for _, args := range [][]string{
		{"verify", "-raw", "-secure-key", "88888888"},
		{"sign", "-sign-method", "11", "-secure-key", "88888888"},
		{"decrypt", "-pfx", testPFX, "-password", "000000"},
	} {
		r := runCLI(t, "respCode=98&respMsg=x&signature=x", args...)
		assert.NotEqual(t, exitNoFile, r.code, "%v: %q", args, r.stderr)
	}
	r := runCLI(t, "respCode=98&respMsg=x\r\n", "filecontent")
	assert.Equal(t, exitNoFile, r.code, r.stderr)
}

// A nightly job must tell "UnionPay has no file for that day" (respCode 98: nothing settled, or
// not published yet: retry later) from a corrupt or failed answer (alert now). filecontent exits
// 1 for both, the only difference the text on stderr: 98 has a status of its own (3).
func TestTrialFilecontentNoFileHasItsOwnStatus(t *testing.T) {
	noFile := "accessType=0&bizType=000000&encoding=UTF-8&fileType=00&merId=777290058110048&respCode=98&respMsg=文件不存在[0000098]&settleDate=1120&txnType=76&version=5.1.0"
	corrupt := "accessType=0&bizType=000000&encoding=UTF-8&fileContent=!!!!&merId=777290058110048&respCode=00&respMsg=ok&settleDate=1120&txnType=76&version=5.1.0"
	a := runCLI(t, noFile, "filecontent")
	b := runCLI(t, corrupt, "filecontent")
	require.NotEqual(t, exitOK, a.code)
	require.NotEqual(t, exitOK, b.code)
	require.NotEqual(t, a.code, b.code, "respCode 98 %q and a corrupt fileContent %q share exit status %d", a.stderr, b.stderr, a.code)
}
