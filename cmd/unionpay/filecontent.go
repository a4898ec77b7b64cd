package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

const filecontentHelp = `
Reads from standard input either a raw synchronous answer to a file-download (txnType 76) or
batch-query request, or a bare fileContent value, and writes the decoded file (base64, then
zlib) to standard output or to -o FILE. For a settlement file the result is a zip: read it with
"unionpay reconcile".

An answer whose respCode is not 00 fails (98: UnionPay has no file for that date). The
signature is not checked here: use "unionpay verify -raw" on the same input for that.`

func runFilecontent(e *env, args []string) error {
	fs := newFlags(e, "filecontent", "[-o FILE]", filecontentHelp)
	out := fs.String("o", "", "write the file here instead of standard output")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	in, err := readInput(e.stdin, maxFileBytes)
	if err != nil {
		return err
	}
	content, err := fileContentOf(in)
	if err != nil {
		return err
	}
	file, err := unionpay.DecodeFileContent(content, maxFileBytes)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = e.stdout.Write(file)
		return err
	}
	return os.WriteFile(*out, file, 0o600)
}

// fileContentOf returns the fileContent of a raw answer, or the input itself when it is a bare
// base64 value.
func fileContentOf(in []byte) (string, error) {
	text := strings.TrimSpace(string(in))
	if text == "" {
		return "", fmt.Errorf("nothing on standard input")
	}
	if !bytes.Contains(in, []byte("fileContent=")) && !bytes.Contains(in, []byte("respCode=")) {
		return text, nil
	}
	f, err := sign.ParseRaw(string(trimFinalNewline(in)))
	if err != nil {
		return "", err
	}
	if code := f["respCode"]; code != "" && code != "00" {
		return "", fmt.Errorf("the answer is respCode %s (%s), not a file", code, f["respMsg"])
	}
	if f["fileContent"] == "" {
		return "", fmt.Errorf("the answer has an empty fileContent")
	}
	return f["fileContent"], nil
}
