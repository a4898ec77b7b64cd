package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestFilecontentGBKTrailBytes: filecontent reads a GBK answer in characters, as verify -raw
// does. The second byte of a GBK character may be a '{' or '[' (獅 is AA 7B, 擺 94 5B), which a
// parse of the bytes took for a region's opening: a successful download was refused as
// malformed, and a '[' region running to the ']' of respMsg hid respCode, so that respCode 98
// (no file yet: retry) read as an empty fileContent (alert). An answer marked GBK whose bytes
// are not all GBK still gives its file (TestFilecontentSuccessNotGBK). A GBK body that happens
// to be valid UTF-8 is read in GBK too.
func TestFilecontentGBKTrailBytes(t *testing.T) {
	t.Parallel()
	file := []byte("INN25112588ZM_777290058110048 file")
	content := unionpay.EncodeFileContent(file)
	tests := []struct {
		name   string
		fields sign.Fields
		first  []string // fields written first
		code   int
		want   string // in stderr, when code is not exitOK
	}{
		{"success, trail '{'", sign.Fields{"respCode": "00", "respMsg": "成功[0000000]", "reqReserved": "獅子",
			"fileContent": content}, nil, exitOK, ""},
		{"success, trail '[' before the encoding field", sign.Fields{"respCode": "00", "respMsg": "成功[0000000]",
			"reqReserved": "擺", "fileContent": content}, []string{"reqReserved", "encoding"}, exitOK, ""},
		{"no file, trail '[' before respCode", sign.Fields{"respCode": "98", "respMsg": "文件不存在[0000098]",
			"reqReserved": "擺"}, []string{"reqReserved", "respCode"}, exitNoFile, "respCode 98 (文件不存在[0000098])"},
		{"refused, trail '{'", sign.Fields{"respCode": "01", "respMsg": "交易失败", "reqReserved": "獅"},
			nil, exitFailed, "respCode 01 (交易失败)"},
		// 涓乕 is E4 B8 81 5B in GBK, 丁[ in UTF-8: the body, with an ASCII respMsg, is valid UTF-8.
		{"no file, GBK valid as UTF-8, trail '[' before respCode", sign.Fields{"respCode": "98",
			"respMsg": "file not found[0000098]", "reqReserved": "涓乕"}, []string{"reqReserved", "respCode"},
			exitNoFile, "respCode 98 (file not found[0000098])"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := sign.Fields{"encoding": "GBK", "txnType": "76", "merId": "777290058110048", "settleDate": "1125"}
			for k, v := range tt.fields {
				f[k] = v
			}
			body, err := javagbk.NewEncoder().String(rawBodyFirst(f, tt.first...))
			require.NoError(t, err)
			out := filepath.Join(t.TempDir(), "f.zip")
			r := runCLI(t, body, "filecontent", "-o", out)
			if tt.code != exitOK {
				requireFailure(t, r, tt.code, tt.want)
				return
			}
			require.Equal(t, exitOK, r.code, r.stderr)
			got, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.Equal(t, file, got)
		})
	}
}

// TestFilecontentFinalNewline: an answer saved with a final line feed (echo, an editor) after
// its last field reads as without it, whichever field is last: respCode 98 there is still "no
// file yet", not a respCode "98\n" refused as no file, in UTF-8 and in GBK.
func TestFilecontentFinalNewline(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, body string
	}{
		{"UTF-8", "encoding=UTF-8&respMsg=none&respCode=98\n"},
		{"GBK", "encoding=GBK&respMsg=none&reqReserved=\xd6\xd0&respCode=98\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := runCLI(t, tt.body, "filecontent", "-o", filepath.Join(t.TempDir(), "f.zip"))
			requireFailure(t, r, exitNoFile, "respCode 98 (none)")
		})
	}
}
