package unionpay

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/tz"
	"github.com/goacp/unionpay/sign"
)

// ErrFileTooLarge matches a fileContent that inflates beyond the limit (Config.MaxFileBytes).
var ErrFileTooLarge = errors.New("unionpay: " + fileTooLarge)

const fileTooLarge = "decoded file exceeds the size limit"

// ErrNoFile matches DownloadFile's answer respCode 98: UnionPay has no file for that settle date,
// because nothing settled then or because the file is not published yet (a day's file comes
// out the day after; UnionPay does not say when). So a 98 is no proof that a transaction did not
// settle: never take a payout as failed on it. The error is the *[Error] of the answer.
var ErrNoFile = errors.New("unionpay: no file for that settle date")

// fileDownloadOp is DownloadFile's operation name.
const fileDownloadOp = "file download"

// FileRequest asks for the settlement file of one settle date (对账文件下载, txnType 76). Its
// String, GoString, JSON and log/slog value show Extra as [sign.Fields.Masked] masks a message, as
// [QueryRequest]'s do.
type FileRequest struct {
	// SettleDate is the clearing date: a midnight is taken as the date it is in its own zone
	// (time.Date(2024, 1, 4, 0, 0, 0, 0, anyZone) is 4 January), any other time as the Beijing
	// day it falls in (time.Now() on a UTC host late in the evening is already tomorrow there).
	// Only its month and day are sent (settleDate MMDD), so it must be within the last year and
	// not after the current settle day (which begins at 23:00 Beijing time the day before); the
	// file UnionPay returns must be named for that month and day. A txnTime is not a settle date:
	// give the settleDate of the transaction's notification or query ([ParseSettleDate]), or
	// [SettleDay] of a back transaction's txnTime.
	SettleDate time.Time
	FileType   string      // fileType, two digits; "" or blank = "00" (an ordinary merchant's files); sent trimmed
	TxnTime    time.Time   // txnTime; zero: Config.Now()
	Extra      sign.Fields // unmodelled fields, signed with the rest; must not collide; values trimmed, blank ones omitted
}

// File is a downloaded file.
type File struct {
	// Name is fileName as UnionPay gave it, e.g. 802310048993424_20150905.zip; it is checked to
	// hold no path separator.
	Name string
	// Content is the decoded bytes: for settlement files, a zip (see package reconcile). nil
	// from [Client.DownloadFileTo], which wrote them to its io.Writer.
	Content []byte
	// Raw is every field of the verified answer, as received, but fileContent, which Content
	// holds decoded: the answer's fields are copied out of its text, so that the File does not
	// keep the answer (4/3 of the zip's size) alive. So Raw cannot be verified again.
	Raw sign.Fields
}

// DownloadFile downloads the settlement file of a settle date from the file host
// (Config.Endpoints.File; txnType 76, txnSubType 01, bizType 000000). UnionPay answers respCode 98
// (an *[Error] matching [ErrNoFile]) when it has no file for that date: nothing settled, or the
// file is not published yet, so a 98 is no proof that a transaction did not settle. A file named
// for another month and day (merId_yyyyMMdd.zip) than the ones asked, or an answer echoing
// another settleDate, is refused; a file named otherwise is not checked (see
// reconcile.Member.SettleDate for the members' own dates).
//
// The answer (the zip in base64, 4/3 of its size: Config.MaxResponseBytes bounds it) is held
// whole, and its signature verified, before fileContent is decoded; its string to sign, as long
// as the answer, is hashed in pieces, never built. Memory peaks at the answer and the file, 1.75
// times the answer's size; 1.8 times it is allocated in all (measured for an answer of 16 MB with
// its Content-Length; without one, 2.8 times, and a peak of twice its size while the blocks read
// are joined). The File returned holds the file alone (see File.Raw), 3/4 of the answer. A GBK
// answer that is not all ASCII (its respMsg in Chinese, as UnionPay writes it) is converted to
// UTF-8 first, into one more copy: it peaks at twice its size, and 2.8 times it is allocated.
// [Client.DownloadFileTo] writes the file to an io.Writer instead, peaking at the answer alone.
func (c *Client) DownloadFile(ctx context.Context, r *FileRequest) (*File, error) {
	ctx, o := c.observe(ctx, fileDownloadOp, false)
	file, err := c.downloadFile(ctx, r, nil)
	return file, o.end(err)
}

// DownloadFileTo is [Client.DownloadFile] writing the file to w rather than returning it in
// File.Content (nil): for a file to store (on disk, in an object store) rather than read in
// memory, it peaks at the answer alone, not the answer and the file. The answer is verified,
// checked as DownloadFile checks it, and its fileContent decoded to its end (its checksum, the
// Config.MaxFileBytes limit) before anything is written to w: a refused answer or a corrupt or
// oversized file writes nothing (its error is DownloadFile's). w's own failure stops the
// download with an error wrapping w's, after w may have been given part of the file: discard
// what it holds then. The File returned has the file's Name and the answer's Raw fields. w
// must not be nil.
func (c *Client) DownloadFileTo(ctx context.Context, r *FileRequest, w io.Writer) (*File, error) {
	ctx, o := c.observe(ctx, fileDownloadOp, false)
	if w == nil {
		return nil, o.end(&RequestError{Op: fileDownloadOp, Field: "w", Reason: "nil io.Writer"})
	}
	file, err := c.downloadFile(ctx, r, w)
	return file, o.end(err)
}

// downloadFile downloads the file of r, into File.Content when w is nil, else to w.
func (c *Client) downloadFile(ctx context.Context, r *FileRequest, w io.Writer) (*File, error) {
	const op = fileDownloadOp
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	if r.SettleDate.IsZero() {
		return nil, &RequestError{Op: op, Field: "SettleDate", Reason: "required"}
	}
	ch := &checker{op: op}
	if ch.digitsOverride("FileType", r.FileType, 2); ch.err != nil {
		return nil, ch.err
	}
	ft := orDefault(r.FileType, "00")
	f := c.newFields("76", "01", "000000")
	t, err := c.txnTime(op, "TxnTime", r.TxnTime)
	if err != nil {
		return nil, err
	}
	day := settleDay(r.SettleDate, c.loc)
	today := settleDay(t.In(c.loc).Add(dayEndsEarly), c.loc)
	if day.After(today) || day.Before(today.AddDate(-1, 0, 1)) {
		return nil, &RequestError{Op: op, Field: "SettleDate",
			Reason: fmt.Sprintf("%s must be within the last year and not after the current settle day: %s to %s (only MMDD is sent)",
				day.Format(time.DateOnly), today.AddDate(-1, 0, 1).Format(time.DateOnly), today.Format(time.DateOnly))}
	}
	f["txnTime"], f["settleDate"], f["fileType"] = formatTime(t), day.Format("0102"), ft
	k := &call{op: op, endpoint: "File", txnTime: t}
	if k.fields, err = c.finish(op, f, r.Extra); err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, k)
	if err != nil {
		return nil, err
	}
	if err := k.outcome(resp); err != nil {
		if re := (*Error)(nil); errors.As(err, &re) && re.RespCode == "98" {
			return nil, re // it matches ErrNoFile (see Error.Is)
		}
		return nil, err
	}
	name := resp["fileName"]
	if err := checkFileName(name); err != nil {
		return nil, k.unknown(err)
	}
	// The name's year may be the request's rather than the settle date's (a test-environment
	// capture shows it): only the month and day are compared.
	if m := fileDateRE.FindStringSubmatch(name); m != nil && m[1][4:] != day.Format("0102") {
		return nil, k.unknown(mismatch("fileName %q is for another date than %s", name, day.Format("0102")))
	}
	file := &File{Name: strings.Clone(name), Raw: withoutFileContent(resp)}
	if w == nil {
		if file.Content, err = DecodeFileContent(resp["fileContent"], c.cfg.MaxFileBytes); err != nil {
			return nil, k.unknown(err)
		}
		return file, nil
	}
	if err := decodeFileContentTo(resp["fileContent"], c.cfg.MaxFileBytes, w); err != nil {
		if we := (*writeError)(nil); errors.As(err, &we) {
			return nil, fmt.Errorf("unionpay: %s: writing the file: %w", op, we.err)
		}
		return nil, k.unknown(err)
	}
	return file, nil
}

// withoutFileContent returns the fields of f but fileContent, each key and value copied: f's are
// substrings of the answer's text, which any one of them would keep alive whole.
func withoutFileContent(f sign.Fields) sign.Fields {
	raw := make(sign.Fields, len(f))
	for k, v := range f {
		if k != "fileContent" {
			raw[strings.Clone(k)] = strings.Clone(v)
		}
	}
	return raw
}

// dayEndsEarly is how long before Beijing midnight UnionPay's settle day ends (23:00): from then
// on, the current settle day is the next date.
const dayEndsEarly = time.Hour

// settleDay returns the Beijing midnight of the date t means (see FileRequest.SettleDate).
func settleDay(t time.Time, beijing *time.Location) time.Time {
	if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
		t = t.In(beijing)
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, beijing)
}

// fileDateRE finds the date in a settlement file's name, merId_yyyyMMdd.zip.
var fileDateRE = regexp.MustCompile(`_(\d{8})\.zip$`)

// unshownRune reports a rune a file name must not hold: a control character (C0, DEL, C1) or a
// bidirectional override or isolate, which make a listed name read otherwise than it is.
func unshownRune(r rune) bool {
	return isControl(r) || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// checkFileName refuses a fileName a caller could not safely use as a file name in a folder of
// its own: empty, a path (separators, .., a volume or a Windows device name: filepath.IsLocal),
// hidden (a leading dot), not UTF-8, with an unshownRune, or longer than 255 bytes.
func checkFileName(name string) error {
	if name == "" || len(name) > 255 || name[0] == '.' || strings.ContainsAny(name, "/\\") ||
		!filepath.IsLocal(name) || !utf8.ValidString(name) || strings.IndexFunc(name, unshownRune) >= 0 {
		return fmt.Errorf("answer has an unusable fileName %q", name)
	}
	return nil
}

// DecodeFileContent decodes a fileContent field: base64 (line breaks ignored), then a zlib stream
// (RFC 1950). limit must be positive (0 is refused, not a default). It stops with an error
// matching [ErrFileTooLarge] as soon as the output exceeds limit bytes, so a decompression bomb
// costs no memory beyond the decoder's. The base64 is decoded as a stream into the inflater, and
// the output inflated once to learn its size, then into a buffer of that size: a file within the
// limit costs its own size, and neither its decoded base64 nor a copy of s.
func DecodeFileContent(s string, limit int64) ([]byte, error) {
	if limit <= 0 {
		return nil, &pkgError{msg: "DecodeFileContent: limit must be positive"}
	}
	// Inflated twice: once to learn the size (and check the stream to its checksum), once into a
	// buffer of that size, rather than into a buffer that grows to twice the file's size.
	n, err := checkFileContent(s, limit)
	if err != nil {
		return nil, err
	}
	out := make([]byte, n)
	if _, err := inflate(newBase64Text(s), &sliceWriter{b: out}, n); err != nil {
		return nil, err
	}
	return out, nil
}

// checkFileContent decodes the fileContent s to its end, keeping nothing, and returns the size
// of the file it holds: an error if s is empty, not base64, not a zlib stream (its checksum
// included) or holds more than limit bytes, as DecodeFileContent says.
func checkFileContent(s string, limit int64) (int64, error) {
	if strings.Trim(s, "\r\n") == "" {
		return 0, &pkgError{msg: "fileContent is empty"}
	}
	b64 := newBase64Text(s)
	n, err := inflate(b64, io.Discard, overLimit(limit))
	if berr := b64.check(); berr != nil { // the whole text is base64, as DecodeString would have it
		return 0, &pkgError{msg: "fileContent is not base64: " + berr.Error(), err: berr}
	}
	if err != nil {
		return 0, err
	}
	if n > limit {
		return 0, &pkgError{msg: fmt.Sprintf("%s (%d bytes)", fileTooLarge, limit), err: ErrFileTooLarge}
	}
	return n, nil
}

// decodeFileContentTo writes the file the fileContent s holds to w, once checkFileContent found
// it whole and within limit: nothing is written otherwise. w's failure is a *writeError.
func decodeFileContentTo(s string, limit int64, w io.Writer) error {
	n, err := checkFileContent(s, limit)
	if err != nil {
		return err
	}
	ew := &errWriter{w: w}
	if _, err := inflate(newBase64Text(s), ew, n); ew.err != nil {
		return &writeError{err: ew.err}
	} else if err != nil {
		return err
	}
	return nil
}

// errWriter writes to w and keeps its error, which inflate's own would hide.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		e.err = err
	}
	return n, err
}

// writeError is the failure of the io.Writer given to Client.DownloadFileTo.
type writeError struct{ err error }

func (e *writeError) Error() string { return "writing the file: " + e.err.Error() }

func (e *writeError) Unwrap() error { return e.err }

// inflate writes at most max bytes of the zlib stream z to w, and returns how many it wrote.
// Having written max, it stops without reading further: the caller knows the stream's size.
func inflate(z io.Reader, w io.Writer, max int64) (int64, error) {
	zr, err := zlib.NewReader(z)
	if err != nil {
		return 0, &pkgError{msg: "fileContent is not a zlib stream: " + err.Error(), err: err}
	}
	defer zr.Close()
	n, err := io.Copy(w, io.LimitReader(zr, max))
	if err != nil {
		return n, &pkgError{msg: "fileContent: inflating: " + err.Error(), err: err}
	}
	return n, nil
}

// base64Text reads the bytes that the base64 text s (standard alphabet, padded; CR and LF
// ignored) decodes to, as base64.StdEncoding.DecodeString would decode it whole: it decodes a
// chunk of the text at a time (a multiple of 4 characters, line breaks left out), and a '=' is
// padding only in the last chunk. base64.NewDecoder is not used: it reads text after a padded
// quantum, which DecodeString refuses. Once the text failed to decode, Read returns an error and
// check says why.
type base64Text struct {
	s    string
	end  int                       // s[end:] is line breaks only: the text's last chunk ends there
	pos  int                       // next byte of s to take
	text [base64Chunk]byte         // a chunk of s without its line breaks
	out  [base64Chunk / 4 * 3]byte // its decoded bytes
	left []byte                    // the decoded bytes not read yet
	bad  bool                      // the text failed to decode
}

// newBase64Text returns a base64Text reading s.
func newBase64Text(s string) *base64Text {
	return &base64Text{s: s, end: len(strings.TrimRight(s, "\r\n"))}
}

// base64Chunk is how many characters of base64 text base64Text decodes at a time.
const base64Chunk = 4096

func (b *base64Text) Read(p []byte) (int, error) {
	for len(b.left) == 0 {
		if b.bad {
			return 0, errNotBase64
		}
		if !b.decodeChunk() {
			return 0, io.EOF
		}
	}
	n := copy(p, b.left)
	b.left = b.left[n:]
	return n, nil
}

// errNotBase64 is what base64Text.Read returns once the text failed to decode (check says why).
var errNotBase64 = errors.New("not base64")

// decodeChunk decodes the next chunk of the text into left, and reports whether there was one.
func (b *base64Text) decodeChunk() bool {
	n := 0
	for ; b.pos < len(b.s) && n < len(b.text); b.pos++ {
		if c := b.s[b.pos]; c != '\r' && c != '\n' {
			b.text[n] = c
			n++
		}
	}
	if n == 0 {
		return false
	}
	chunk := b.text[:n]
	last := b.pos >= b.end // found once: the line breaks after the text, read again for each chunk, were quadratic
	m, err := base64.StdEncoding.Decode(b.out[:], chunk)
	if err != nil || !last && (n%4 != 0 || bytes.IndexByte(chunk, '=') >= 0) {
		b.bad = true // padding before the end, or not base64: check finds where
		return true
	}
	b.left = b.out[:m]
	return true
}

// check decodes what is left of the text, and returns nil if the whole of it is base64, else
// DecodeString's error (which says at what byte), after what Read has returned.
func (b *base64Text) check() error {
	for !b.bad && b.decodeChunk() {
		b.left = nil
	}
	if !b.bad {
		return nil
	}
	// Not base64: the error, rare, is DecodeString's own, whose byte offset counts no line break.
	_, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(b.s))
	if err == nil {
		err = errNotBase64 // unreachable: a chunk refused is a text refused
	}
	return err
}

// sliceWriter fills b, which never grows (a bytes.Buffer would, to read past its last byte).
type sliceWriter struct {
	b []byte
	n int
}

func (w *sliceWriter) Write(p []byte) (int, error) {
	if len(p) > len(w.b)-w.n {
		return 0, io.ErrShortWrite
	}
	w.n += copy(w.b[w.n:], p)
	return len(p), nil
}

// EncodeFileContent encodes a file for a fileContent field: zlib (default compression), then
// base64, as the official SDK's enCodeFileContent does.
func EncodeFileContent(b []byte) string {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	_, _ = zw.Write(b) // writes to a bytes.Buffer do not fail
	_ = zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// overLimit returns how much to read to tell whether a body exceeds limit bytes: limit+1, except
// that math.MaxInt64 (no limit, in effect) stays itself rather than wrapping to a negative count,
// which io.LimitReader would read as "nothing".
func overLimit(limit int64) int64 {
	if limit == math.MaxInt64 {
		return limit
	}
	return limit + 1
}

// SettleDay returns the settle day (清算日期) of a transaction accepted at t, as the Beijing
// midnight that [FileRequest.SettleDate] and reconcile's Archive.Records take: the Beijing date of
// t, or the next date from 23:00 Beijing time on, when UnionPay's day ends. t is when UnionPay
// accepted it: for a back transaction its txnTime (one still pending at 23:00 may settle on the
// day it becomes final), but a front or app consume is accepted when the shopper pays, up to
// payTimeout after its txnTime, so a form signed at 22:55 and paid at 23:05 settles the next day
// although SettleDay(txnTime) says this one. So group a day's orders
// for reconcile.Match, pick the file a transaction is in, and tell whether a consume can still be
// cancelled ([Client.CancelConsume]: the same settle day) by the settleDate of its notification or
// query (UnionPay's word for it: read it with [ParseSettleDate]), and use SettleDay only for what
// has none yet (a back transaction's txnTime, or a provisional day for an unpaid form, which may
// turn out to be the next one).
func SettleDay(t time.Time) time.Time {
	loc := tz.Beijing()
	return settleDay(t.In(loc).Add(dayEndsEarly), loc)
}

// ParseSettleDate reads a settleDate as UnionPay sends it ([Transaction.SettleDate],
// notify.Notification.SettleDate: MMDD, without the year) as the Beijing midnight of the latest
// date of that month and day that is not after the day after near. A settle date is never in
// the future, so near may be any time from when the transaction settled to a year later: give
// the time the answer or notification carrying settleDate arrived (the settleDate of a consume of
// March, read in November before a refund, is March's; a January settleDate of a transaction of
// 31 December 23:30 is next year's). Its txnTime serves only when the transaction cannot have
// settled more than a day after it: a form paid, or a transaction pending, past the next day's
// 23:00 settles on a day that near would read as a year before. A value that is not MMDD, or a 29
// February with no leap year within that year, is an error naming settleDate.
func ParseSettleDate(mmdd string, near time.Time) (time.Time, error) {
	bad := func(reason string) (time.Time, error) {
		return time.Time{}, fmt.Errorf("unionpay: settleDate: %s", reason)
	}
	if len(mmdd) != 4 || !isDigits(mmdd) {
		return bad("not MMDD (4 digits)")
	}
	m, d := time.Month((mmdd[0]-'0')*10+mmdd[1]-'0'), int((mmdd[2]-'0')*10+mmdd[3]-'0')
	if m < time.January || m > time.December || d < 1 || d > 31 {
		return bad("not a month and day")
	}
	loc := tz.Beijing()
	last := settleDay(near.In(loc), loc).AddDate(0, 0, 1) // the latest settle date possible
	for y := last.Year(); y >= last.Year()-1; y-- {
		c := time.Date(y, m, d, 0, 0, 0, 0, loc)
		if c.Month() == m && c.Day() == d && !c.After(last) { // not 0229 of a common year, 0431...
			return c, nil
		}
	}
	return bad(fmt.Sprintf("no %s %d in the year up to %s", m, d, last.Format(time.DateOnly)))
}
