package main

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

const filecontentHelp = `
Reads from standard input either a raw synchronous answer to a file-download (txnType 76) or
batch-query request, or a bare fileContent value, and writes the decoded file (base64, then
zlib) to standard output or to -o FILE. For a settlement file the result is a zip: read it with
"unionpay reconcile". Standard output must then be a file or a pipe: without -o, a terminal is
refused (usage error), as the file is binary.

An answer whose respCode is not 00 fails: 98, UnionPay has no file for that date (nothing
settled, or not published yet: try later), with exit status 3, any other with 1. The
signature is not checked here: use "unionpay verify -raw" on the same input for that.

The file is inflated as a stream, never held in memory (a small answer can inflate to
gigabytes), and refused beyond 256 MiB. It is checked whole before anything is written: on a
failure nothing goes to standard output and no -o file is left (-o is written to a temporary
file in the same directory, then renamed).`

func runFilecontent(e *env, args []string) error {
	fs := newFlags(e, "filecontent", "[-o FILE]", filecontentHelp)
	out := fs.String("o", "", "write the file here instead of standard output")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *out == "-" {
		return usagef(`-o -: leave -o out to write to standard output ("./-" for a file named "-")`)
	}
	if *out == "" && e.stdoutTTY {
		// A zip on a terminal is garbage at best, control sequences at worst.
		return usagef("the decoded file is binary (a zip): give -o FILE or redirect standard output, not a terminal")
	}
	in, err := readInput(e.stdin, maxFileBytes)
	if err != nil {
		return err
	}
	content, err := fileContentOf(in)
	if err != nil {
		return err
	}
	// Inflate twice: once to check the stream (zlib checksum, size limit) without keeping it,
	// then into the destination. Memory stays bounded and a bad answer writes nothing.
	if err := decodeFileContent(content, io.Discard, maxFileBytes); err != nil {
		return err
	}
	if *out == "" {
		return decodeFileContent(content, e.stdout, maxFileBytes)
	}
	return writeFileAtomic(*out, func(w io.Writer) error { return decodeFileContent(content, w, maxFileBytes) })
}

// cutShort is the remedy for a fileContent that ends before its end: the answer was saved or
// received in part.
const cutShort = "the answer was cut short, saved or received in part? download it again"

// decodeFileContent streams the file in a fileContent value (base64, then zlib, as
// unionpay.DecodeFileContent reads it) to w, failing with unionpay.ErrFileTooLarge beyond limit
// bytes.
func decodeFileContent(content string, w io.Writer, limit int64) error {
	// Strict base64, as unionpay.DecodeFileContent reads it (the streaming decoder checks the
	// padding a chunk at a time, and read text after a '='); the text is in memory already.
	text := strings.NewReplacer("\r", "", "\n", "").Replace(content)
	z, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) && int(ce) >= len(text)/4*4 {
			return fmt.Errorf("fileContent is not base64: %w (it ends mid-way: %s)", err, cutShort)
		}
		return fmt.Errorf("fileContent is not base64: %w", err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return fmt.Errorf("fileContent is not a base64 zlib stream: %w", err)
	}
	defer zr.Close()
	n, err := io.Copy(w, io.LimitReader(zr, limit+1))
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("fileContent: inflating: %w (the stream ends early: %s)", err, cutShort)
		}
		return fmt.Errorf("fileContent: inflating: %w", err)
	}
	if n > limit {
		return fmt.Errorf("%w (%d bytes)", unionpay.ErrFileTooLarge, limit)
	}
	return nil
}

// writeFileAtomic writes path (mode 0600) through write, in a temporary file of the same
// directory renamed over path only on success. Its errors name path, not the temporary file: a
// directory that does not exist, a path that is a directory.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	return writeFileReplacing(path, true, write)
}

// errFileExists is matched (errors.Is) by the error of writeFileReplacing, replace false, when
// something is already at the path: it is left as it is.
var errFileExists = errors.New("already exists")

// writeFileReplacing is writeFileAtomic, but when replace is false a file (or a symlink, or
// anything else) already at path is never replaced: the temporary file is given the name by
// namer.linkNew, which fails if path exists, even if it appeared since it was last looked at;
// the error then matches errFileExists.
func writeFileReplacing(path string, replace bool, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("writing %s: it is a directory: give a file name", path)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
			return fmt.Errorf("writing %s: directory %s does not exist (create it first)", path, dir)
		}
		return fmt.Errorf("writing %s: cannot create a file in %s: %w", path, dir, unwrapPath(err))
	}
	tmp := f.Name()
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
	case replace:
		err = os.Rename(tmp, path)
	default:
		err = systemNamer().linkNew(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		if errors.Is(err, errFileExists) {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return fmt.Errorf("writing %s: %w", path, unwrapPath(err))
	}
	return nil
}

// namer gives a file written under a temporary name its final name without ever replacing
// what is there: link is os.Link, renameNoReplace the platform's rename that fails on an
// existing name (errors.ErrUnsupported where there is none), lstat os.Lstat. Tests give their
// own, to act as a file system without hard links, or as another writer getting between a look
// and a rename.
type namer struct {
	link            func(oldname, newname string) error
	renameNoReplace func(oldname, newname string) error
	lstat           func(name string) (fs.FileInfo, error)
}

// systemNamer is the namer of the system: os.Link, renameNoReplace, os.Lstat.
func systemNamer() namer {
	return namer{link: os.Link, renameNoReplace: renameNoReplace, lstat: os.Lstat}
}

// linkNew gives the file tmp the name path, failing with errFileExists if path exists (a file, a
// symlink, anything), even if it appeared since it was last looked at: by a hard link (tmp is
// then removed), which fails on an existing name; where the file system has no hard links (FAT,
// some network or FUSE mounts), by a rename that fails on an existing name (renameNoReplace: on
// Linux renameat2 with RENAME_NOREPLACE, on macOS renameatx_np with RENAME_EXCL, on Windows
// MoveFileEx without MOVEFILE_REPLACE_EXISTING). Only where neither is had (a Linux or macOS
// file system refusing the flag too; on the BSDs, any file system without hard links: os.Rename
// replaces a file) is it a look then a rename, and a file another writer puts at path between
// the two is replaced.
func (n namer) linkNew(tmp, path string) error {
	err := n.link(tmp, path)
	switch {
	case err == nil:
		_ = os.Remove(tmp) // path is the file now; this is its second name
		return nil
	case errors.Is(err, fs.ErrExist):
		return errFileExists
	}
	err = n.renameNoReplace(tmp, path)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrExist):
		return errFileExists
	case !errors.Is(err, errors.ErrUnsupported):
		return err
	}
	if _, lerr := n.lstat(path); lerr == nil {
		return errFileExists
	}
	return os.Rename(tmp, path)
}

// unwrapPath returns the cause of a *fs.PathError or *os.LinkError, whose text names the
// temporary file rather than the one the user asked for; other errors as they are.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
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
	// Read in characters as verify -raw reads it (a GBK answer decoded before it is parsed: the
	// second byte of a GBK character may be a '{' or '[' that a parse of the bytes takes for a
	// region's opening). An answer whose bytes are not what it declares (marked GBK, converted by
	// a tool) is read as bytes: its fileContent, base64, is the same either way.
	f, err := parseRaw(trimFinalNewline(in))
	if err != nil {
		if f, err = sign.ParseRaw(string(trimFinalNewline(in))); err != nil {
			return "", err
		}
	}
	if code := f["respCode"]; code != "" && code != "00" {
		msg := maskedText(f["respMsg"]) // UnionPay's text: a card number in it masked, as query prints it
		if code == "98" {
			return "", fmt.Errorf("the answer is respCode 98 (%s): %w (nothing settled, or not published yet)", msg, errNoFile)
		}
		return "", fmt.Errorf("the answer is respCode %s (%s), not a file", code, msg)
	}
	if f["fileContent"] == "" {
		return "", fmt.Errorf("the answer has an empty fileContent")
	}
	return f["fileContent"], nil
}
