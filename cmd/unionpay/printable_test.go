package main

import (
	"archive/zip"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// TestPrintable: what a terminal would act on is written as an escape; text, tabs, line feeds
// and CR LF pairs stay (found by a penetration test: escape sequences from files and answers
// reached the terminal).
func TestPrintable(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"plain 中文 text", "plain 中文 text"},
		{"tab\tand\nline", "tab\tand\nline"},
		{"crlf\r\nkept", "crlf\r\nkept"},
		{"lone\rcr", `lone\rcr`},
		{"\x1b[2KOK", `\x1b[2KOK`},
		{"bell\x07", `bell\a`},
		{"del\x7f", `del\x7f`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"bidi \u202egnp.exe", `bidi \u202egnp.exe`},
		{"isolate \u2066x\u2069", `isolate \u2066x\u2069`},
		{"bad byte \xff end", `bad byte \xff end`},
		{"replacement \ufffd kept", "replacement \ufffd kept"},
	} {
		assert.Equal(t, tt.want, printable(tt.in), "%q", tt.in)
	}
	assert.Equal(t, `member "a\x1b[8m": bad`, oneLine("member \"a\x1b[8m\":\n  bad"))
}

// TestReconcileHostileMemberName: a zip member name holding escape sequences reaches stderr
// escaped, not as the cursor moves and colours it asks for.
func TestReconcileHostileMemberName(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("INN25112588ZM_777290058110048\x1b[1G\x1b[2K\x1b[32mOK all records match\x1b[8m")
	require.NoError(t, err)
	_, err = w.Write([]byte("not a ZM line\r\n"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	path := writeTestFile(t, t.TempDir(), "hostile.zip", buf.Bytes())
	r := runCLI(t, "", "reconcile", path)
	assert.NotEqual(t, exitOK, r.code)
	assert.NotContains(t, r.stderr, "\x1b")
	assert.Contains(t, r.stderr, `\x1b[32mOK`)
	assert.False(t, strings.ContainsAny(r.stdout, "\x1b"))
}

// TestReconcileControlBytesInFields: control bytes inside a settlement file's text fields are
// printed escaped in both formats.
func TestReconcileControlBytesInFields(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	recs := testRecords(day)
	recs[0].OrderID = "SHOP\x1b[2J01"
	recs[1].OrderID = "SHOP\a02"
	s := reconcile.Settlement{MerID: "777290058110048", MerName: "测试商户", AcqInsCode: "88022900", SettleDate: day,
		Records: recs}
	zipBytes, err := s.Zip()
	require.NoError(t, err)
	path := writeTestFile(t, t.TempDir(), reconcile.ArchiveName(s.MerID, day), zipBytes)
	for _, format := range []string{"json", "csv"} {
		r := runCLI(t, "", "reconcile", "-format", format, path)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.NotContains(t, r.stdout, "\x1b", format)
		assert.NotContains(t, r.stdout, "\a", format)
		assert.Contains(t, r.stdout, `SHOP\`, format) // \x1b escaped (JSON doubles the backslash)
	}
}

// TestCertinfoHostileName: a certificate whose name holds escape sequences (certificates come in
// answers and notifications) prints them escaped, not as a false "status: valid" line.
func TestCertinfoHostileName(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7),
		Subject:   pkix.Name{CommonName: "ok\x1b[2K\x1b[1Gstatus: valid\u202e"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	path := writeTestFile(t, t.TempDir(), "hostile.cer", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	r := runCLI(t, "", "certinfo", path)
	assert.NotContains(t, r.stdout, "\x1b")
	assert.NotContains(t, r.stdout, "\u202e")
	assert.Contains(t, r.stdout, `\x1b[2K`)
}

// TestFilecontentGBKRespMsg: a GBK answer refusing the download shows its respMsg as Chinese,
// not as escapes of its bytes (found by a review once errors were escaped).
func TestFilecontentGBKRespMsg(t *testing.T) {
	msg, err := simplifiedchinese.GBK.NewEncoder().String("交易失败")
	require.NoError(t, err)
	r := runCLI(t, "encoding=GBK&respCode=01&respMsg="+msg, "filecontent", "-o", filepath.Join(t.TempDir(), "f.zip"))
	assert.NotEqual(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "respCode 01 (交易失败)")
}

// TestFilecontentSuccessNotGBK: an answer marked GBK whose bytes are not all GBK (converted by a
// tool, say) still gives its file when it succeeded: only a refusal's respMsg is decoded (the
// whole answer was, and refused; found by a review).
func TestFilecontentSuccessNotGBK(t *testing.T) {
	var zipBuf bytes.Buffer
	zw := zip.NewWriter(&zipBuf)
	w, err := zw.Create("INN25112588ZM_777290058110048")
	require.NoError(t, err)
	_, err = w.Write([]byte("x"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	out := filepath.Join(t.TempDir(), "f.zip")
	r := runCLI(t, "encoding=GBK&respCode=00&respMsg=\x80\xff&fileContent="+unionpay.EncodeFileContent(zipBuf.Bytes()),
		"filecontent", "-o", out)
	require.Equal(t, exitOK, r.code, r.stderr)
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, zipBuf.Bytes(), got)
}
