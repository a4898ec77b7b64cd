package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"time"

	"github.com/goacp/unionpay/internal/respcode"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

const downloadHelp = `
Downloads the file of one settle date from UnionPay's file host (Client.DownloadFile, the
file-download transaction, txnType 76) with the service's own credentials, loaded as
"unionpay preflight" loads them: -config acp_sdk.properties (unionpay.LoadJavaConfig: the
file's URLs are used, and -env, optional then, must be the environment they are of), or -pfx
(with -password or $UNIONPAY_PASSWORD), -root, -middle and -enc with the endpoints of -env.
A signing certificate expired or not yet valid is warned of on standard error, as sign warns
of it; the request is still sent.

It writes the file's bytes (for fileType 00, the settlement zip) to -o FILE, by default to the
name UnionPay gives it (merId_YYYYMMDD.zip) in the current directory, through a temporary file
renamed on success (mode 0600), and says on standard error what it wrote. With -reconcile it
then prints what "unionpay reconcile -summary -settle-date YYYYMMDD FILE" prints of it.
It reads UnionPay's whole answer (up to 256 MiB) before decoding it: its memory peaks at 1.75
times the answer's size, the answer and the file, 3/4 of its size (the string to sign is hashed
in pieces to verify the signature, never built); twice for a GBK configuration, whose answers
(a respMsg in Chinese) are converted to UTF-8 first.

A settlement file is evidence: without -o, a file already under UnionPay's name is never
replaced. Holding the same bytes, it is left as it is (status 0, and -reconcile reads it);
holding others (the day's file downloaded before, since corrected or completed at UnionPay, or
another file of that name), download fails, status 1, naming it, and writes nothing: move it
away, or give -force to replace it, or -o to write elsewhere. Something else than a file under
that name is refused so too, naming what it is: a symbolic link, not followed (a file it points
to is not compared), a named pipe or a device, not read. The file is given the name in one step
that fails if one appeared meanwhile (a hard link; without hard links, on Linux, macOS and
Windows, a rename that does not replace; elsewhere, or on a file system refusing such a rename,
a look then a rename, which another writer can come between).
-o FILE is the caller's own choice of name: a file there is replaced, as filecontent -o replaces
it. "-o -" is a usage error: the file is written to a file, never to standard output.
An acquirer (accessType 1) gives -acq-ins-code, a platform merchant (accessType 2) one of its
sub-merchants as -sub-mer-id, -sub-mer-name and -sub-mer-abbr, as query takes them: the request
is sent as the SDK's Client for that access sends it (the fake gateway's file is the merId's,
with every sub-merchant's records: "unionpay reconcile" prints each one's subMerId).
To download from "unionpay sandbox", give -config with the acp_sdk.properties it writes.

Exit status: 0 written; 3 UnionPay has no file for that day (respCode 98: nothing settled, or
the file is not published yet: try later), as filecontent's; 5 not final or not known: the
download failed in a way that may pass (a timeout, a refused or reset connection, a DNS failure,
an HTTP status other than 200, an answer that could not be read or verified, or one pending
or busy, respCode 02, 06 or 37): try again later, as query's 5; 6 the credentials or
configuration were refused (nothing was asked of UnionPay, or UnionPay refused the request's
signature, respCode 11, as query's 6); 1 any other failure (nothing is written then): UnionPay refused the
download (another respCode), the file is over the size limit (an answer over 256 MiB, as
filecontent takes, or a zip inflating past 256 MiB), other bytes already under UnionPay's
name, the file could not be written; 2 a usage error. With -reconcile, reconcile's statuses
for the summary.`

// downloadSynopsis is download's usage line.
const downloadSynopsis = "-settle-date YYYYMMDD [-file-type 00] [-o FILE | -force] [-reconcile] [-timeout 30s]\n" +
	"       -merid MERID (-config acp_sdk.properties [-env test|production]\n" +
	"       | -env test|production -pfx FILE [-password P] -root FILE -middle FILE [-enc FILE])\n" +
	"       [-acq-ins-code CODE | -sub-mer-id ID -sub-mer-name NAME -sub-mer-abbr ABBR]"

// fileType is a fileType value: two digits.
var fileType = regexp.MustCompile(`^[0-9]{2}$`)

func runDownload(e *env, args []string) error {
	fs := newFlags(e, "download", downloadSynopsis, downloadHelp)
	sf := addServiceFlags(fs)
	sf.addTimeout(fs)
	sf.addAccess(fs)
	settle := fs.String("settle-date", "", "settle date of the file, `YYYYMMDD`")
	ft := fs.String("file-type", "00", "fileType, two digits: 00 for an ordinary merchant's settlement zip")
	out := fs.String("o", "", "write the file here, replacing one there (default: UnionPay's file name, in the current directory)")
	force := fs.Bool("force", false, "replace a file already under UnionPay's name holding other bytes (without it, refused; -o replaces anyway)")
	summary := fs.Bool("reconcile", false, "then print the file's totals as unionpay reconcile -summary does")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *settle == "" {
		return usagef("-settle-date is required")
	}
	day, err := time.ParseInLocation("20060102", *settle, reconcile.Beijing())
	if err != nil {
		return usagef("-settle-date: want YYYYMMDD, 8 digits")
	}
	if !fileType.MatchString(*ft) {
		return usagef("-file-type: want two digits, such as 00")
	}
	if flagGiven(fs, "o") && *out == "" {
		return usagef("-o: empty file name")
	}
	if *out == "-" {
		// A settlement file is evidence, kept in a file; reconcile reads it from one.
		return usagef(`-o -: download writes a file, not standard output: give a file name ("./-" for a file named "-")`)
	}
	if *force && *out != "" {
		return usagef("-force is for UnionPay's file name: -o FILE replaces a file there anyway")
	}
	// The answer holds the day's zip in base64: the SDK's default bound (16 MiB, a zip of about
	// 12 MiB) is a busy merchant's day; this tool takes the answer filecontent takes.
	sf.maxResponse = maxFileBytes
	client, err := sf.client(e, fs)
	if err != nil {
		return err
	}
	ctx, cancel := sf.callContext(e)
	defer cancel()
	file, err := client.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: day, FileType: *ft})
	switch {
	case errors.Is(err, unionpay.ErrNoFile):
		return fmt.Errorf("settle date %s: %w (respCode 98: nothing settled, or not published yet: try later)",
			*settle, errNoFile)
	case errors.Is(err, unionpay.ErrFileTooLarge):
		return err // the same file again would be as large
	case errors.Is(err, unionpay.ErrResponseTooLarge):
		return fmt.Errorf("the download failed, nothing was written: the day's file is larger than this tool takes (an answer of %d MiB, as filecontent's): %w",
			maxFileBytes>>20, err) // and would be again
	case isSignatureRefused(err):
		return sf.signatureRefused(err, "nothing was written")
	case err != nil:
		if re, isRejected := errors.AsType[*unionpay.Error](err); isRejected && !respcode.Busy(re.RespCode) {
			// UnionPay answered, verified, and refused it (neither 98, nor pending, nor busy):
			// asked again, it would refuse it again.
			return fmt.Errorf("UnionPay refused the download, nothing was written: %w", err)
		}
		// As query's: a timeout, the network, an HTTP status other than 200, an answer not
		// read or verified, one pending (03, 04, 05, 83) or busy (02, 06, 37): the file may
		// come later.
		return callFailed(err, map[string]string{"SettleDate": "-settle-date", "FileType": "-file-type"},
			"the download failed, nothing was written", errTryAgain)
	}
	path, replace := *out, true
	if path == "" {
		path, replace = file.Name, *force // checked by DownloadFile to hold no path separator
	}
	if path == "" {
		return errors.New("the answer names no file: give -o FILE")
	}
	same := false
	if !replace { // replacing, what is there is not read: -force replaces a named pipe too
		if same, err = sameFile(path, file.Content); errors.Is(err, errNotRegular) {
			return fmt.Errorf("%w: it is left as it is, and nothing was written: "+
				"move it away, give -force to replace it, or -o FILE to write elsewhere", err)
		}
	}
	switch {
	case err != nil:
		return err
	case same:
		fmt.Fprintln(e.stderr, oneLine(fmt.Sprintf("unionpay download: %s already holds this file (%d bytes): left as it is",
			path, len(file.Content))))
	default:
		err = writeFileReplacing(path, replace, func(w io.Writer) error {
			_, err := w.Write(file.Content)
			return err
		})
		if errors.Is(err, errFileExists) {
			return fmt.Errorf("%s already exists, with other bytes than the file downloaded: it is left as it is, "+
				"and nothing was written (a settlement file is never replaced silently): "+
				"move it away, give -force to replace it, or -o FILE to write elsewhere", path)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stderr, oneLine(fmt.Sprintf("unionpay download: wrote %s (%d bytes)", path, len(file.Content))))
	}
	if !*summary {
		return nil
	}
	return runReconcile(e, []string{"-summary", "-settle-date", *settle, "--", path})
}

// errNotRegular is matched (errors.Is) by sameFile's error when what is at the path is neither a
// regular file nor a directory (writeFileReplacing names a directory): a symlink, not followed,
// or a named pipe, a device, a socket, never read.
var errNotRegular = errors.New("not a regular file")

// sameFile reports whether path is a regular file holding exactly content; false, with no error,
// when there is nothing at path, or a directory (writeFileReplacing says so). Something else is
// an error matching errNotRegular that names path and what it is: a symlink is not followed (a
// file it points to, of the same bytes, is not taken for the download), and a named pipe, a
// device or a socket is not read (reading a named pipe would wait for a writer, forever). The
// kind is that of the opened descriptor, not of a look before opening it, which another process
// could swap a named pipe in after; the open neither follows a symlink nor waits (openExisting).
func sameFile(path string, content []byte) (bool, error) {
	f, err := openExisting(path)
	if err != nil {
		fi, lerr := os.Lstat(path)
		switch {
		case lerr != nil:
			return false, nil // nothing there, or nothing to say of it: writeFileReplacing says what
		case fi.Mode()&fs.ModeSymlink != 0:
			return false, fmt.Errorf("%s is a symbolic link, not followed: %w", path, errNotRegular)
		case !fi.Mode().IsRegular() && !fi.IsDir():
			// A socket is not opened (ENXIO): what it is comes from the look.
			return false, fmt.Errorf("%s is %s, not read: %w", path, fileKind(fi.Mode()), errNotRegular)
		}
		return false, fmt.Errorf("reading %s, already there: %w", path, unwrapPath(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("reading %s, already there: %w", path, unwrapPath(err))
	}
	switch {
	case fi.IsDir():
		return false, nil
	case !fi.Mode().IsRegular():
		return false, fmt.Errorf("%s is %s, not read: %w", path, fileKind(fi.Mode()), errNotRegular)
	case fi.Size() != int64(len(content)):
		return false, nil
	}
	got, err := io.ReadAll(io.LimitReader(f, int64(len(content))+1))
	if err != nil {
		return false, fmt.Errorf("reading %s, already there: %w", path, unwrapPath(err))
	}
	return bytes.Equal(got, content), nil
}

// fileKind names the kind of a file that is not a regular file nor a directory.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return fmt.Sprintf("not a regular file (mode %v)", m)
}
