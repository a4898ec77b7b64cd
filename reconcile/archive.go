package reconcile

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/goacp/unionpay/internal/tz"
)

// Kind is the kind of a member of a settlement zip, told by its name.
type Kind int

// The kinds of member. UnionPay names members INN{yymmdd}{nn}ZM_{merId},
// INN{yymmdd}{nn}ZME_{merId}, RD{nnnn}{yymmdd}{nn}_{merId}, and files holding
// PED_ or PEDERR_ for periodic merchants.
const (
	KindUnknown Kind = iota // anything else
	KindZM                  // 一般交易明细: settled transactions, read with [ZM]
	KindZME                 // 差错交易明细: error transactions, read with [ZME]
	KindRD                  // 交易汇总表: the summary report, read with [ParseRD]
	KindPED                 // 周期交易明细: periodic merchants' detail (layout unknown)
	KindPEDERR              // 周期差错: periodic merchants' errors (layout unknown)
)

// String returns "ZM", "ZME", "RD", "PED", "PEDERR" or "unknown".
func (k Kind) String() string {
	switch k {
	case KindZM:
		return "ZM"
	case KindZME:
		return "ZME"
	case KindRD:
		return "RD"
	case KindPED:
		return "PED"
	case KindPEDERR:
		return "PEDERR"
	}
	return "unknown"
}

// kinds are the Kinds, in the order of their constants.
var kinds = [...]Kind{KindUnknown, KindZM, KindZME, KindRD, KindPED, KindPEDERR}

// MarshalText returns the word String returns, so that encoding/json writes "ZM" rather than 1.
// A value that is none of the kinds is "unknown", as String has it.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText sets k to the kind named text: "ZM", "ZME", "RD", "PED", "PEDERR" or "unknown",
// the words MarshalText writes. Any other text, a number or another case included, is an error
// naming it, and leaves k unchanged.
func (k *Kind) UnmarshalText(text []byte) error {
	for _, kd := range kinds {
		if string(text) == kd.String() {
			*k = kd
			return nil
		}
	}
	return fmt.Errorf("reconcile: member kind %q is not ZM, ZME, RD, PED, PEDERR or unknown", text)
}

// Default limits of [Open].
const (
	DefaultMaxMembers    = 64
	DefaultMaxMemberSize = 4 << 30 // 4 GiB uncompressed, about 7 million ZM lines
	DefaultMaxTotalSize  = 8 << 30
	DefaultMaxRatio      = 200 // uncompressed/compressed; UnionPay's files compress 7-15x
)

// ratioFloor is the size up to which the compression ratio is not checked:
// small members of padding compress very well and are harmless.
const ratioFloor = 1 << 20

type limits struct {
	members    int
	memberSize int64
	totalSize  int64
	ratio      int64
}

// An Option changes a limit of [Open]. A nil Option changes nothing. Limits
// must be positive: Open refuses a zero or negative one (there is no "no
// limit").
type Option func(*limits)

// WithMaxMembers limits the number of members (default [DefaultMaxMembers]).
func WithMaxMembers(n int) Option { return func(l *limits) { l.members = n } }

// WithMaxMemberSize limits the uncompressed size of each member, in bytes
// (default [DefaultMaxMemberSize]).
func WithMaxMemberSize(n int64) Option { return func(l *limits) { l.memberSize = n } }

// WithMaxTotalSize limits the sum of the members' uncompressed sizes
// (default [DefaultMaxTotalSize]).
func WithMaxTotalSize(n int64) Option { return func(l *limits) { l.totalSize = n } }

// WithMaxRatio limits each member's uncompressed-to-compressed size ratio
// (default [DefaultMaxRatio]); members of at most 1 MiB are exempt.
func WithMaxRatio(r int) Option { return func(l *limits) { l.ratio = int64(r) } }

// Archive is an opened settlement zip. It is safe for concurrent use; each
// [Member.Open] returns an independent reader.
type Archive struct {
	members []*Member
}

// Member is one file of a settlement zip. Only [Archive.Members] and
// [Archive.First] make one that [Member.Open] can read: Open of a Member
// built otherwise (the zero Member) returns an error.
type Member struct {
	Name       string    // as stored in the zip, e.g. INN15090588ZM_802310048993424
	Kind       Kind      // told by the name
	MerID      string    // the merchant code after the last '_' of the name; "" if absent
	SettleDate time.Time // the yymmdd date in a ZM, ZME or RD name, Beijing midnight; zero if absent
	Size       int64     // declared uncompressed size
	Modified   time.Time // modification time recorded in the zip; MS-DOS times are read as Beijing time

	f *zip.File
}

// centralHeaderSignature starts each header of a zip's central directory.
const centralHeaderSignature = "PK\x01\x02"

// Open reads the directory of a settlement zip (the file-download transaction's
// inflated fileContent) and lists its members, refusing archives beyond the
// limits: too many members, declared sizes too large or too well compressed,
// and archives whose members are not plain files in the archive root (a name
// with a directory part, or that is "." or ".."). Nothing is decompressed
// until [Member.Open], whose reader stops with an error wrapping [ErrTooLarge]
// as soon as a member inflates past its declared size. Directory entries are
// skipped.
//
// Errors about the archive's content wrap [ErrMalformed]; those about limits
// wrap [ErrTooLarge].
func Open(b []byte, opts ...Option) (*Archive, error) {
	lim := limits{DefaultMaxMembers, DefaultMaxMemberSize, DefaultMaxTotalSize, DefaultMaxRatio}
	for _, o := range opts {
		if o != nil { // a nil Option, as an option built conditionally may be, changes nothing
			o(&lim)
		}
	}
	if lim.members <= 0 || lim.memberSize <= 0 || lim.totalSize <= 0 || lim.ratio <= 0 {
		return nil, fmt.Errorf("reconcile: Open: limits must be positive: %d members, %d bytes a member, %d in all, ratio %d",
			lim.members, lim.memberSize, lim.totalSize, lim.ratio)
	}
	// zip.NewReader builds an entry for every central-directory header before the members can be
	// counted: a small download holding millions of them (they compress well) took gigabytes.
	// Every header starts with its signature, so their count bounds the entries; the slack
	// covers the signature's bytes turning up in members' data.
	if n := bytes.Count(b, []byte(centralHeaderSignature)); lim.members <= (math.MaxInt-16)/2 && n > 2*lim.members+16 {
		return nil, fmt.Errorf("%w: %d central-directory headers, limit %d members", ErrTooLarge, n, lim.members)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%w: member name is a path: %w", ErrMalformed, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if len(zr.File) > lim.members {
		return nil, fmt.Errorf("%w: %d members, limit %d", ErrTooLarge, len(zr.File), lim.members)
	}
	a := &Archive{}
	seen := make(map[string]bool, len(zr.File))
	var total int64
	var spans [][2]int64 // the compressed data of each member, [start, end) in b
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if !plainName(f.Name) {
			return nil, fmt.Errorf("%w: member name %q is not a plain file name in the archive root", ErrMalformed, f.Name)
		}
		if seen[f.Name] {
			return nil, fmt.Errorf("%w: duplicate member %q", ErrMalformed, f.Name)
		}
		seen[f.Name] = true
		if err := lim.check(f, &total); err != nil {
			return nil, err
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return nil, fmt.Errorf("%w: member %q: compression method %d", ErrMalformed, f.Name, f.Method)
		}
		off, err := f.DataOffset()
		if err != nil {
			return nil, fmt.Errorf("%w: member %q: %w", ErrMalformed, f.Name, err)
		}
		if f.CompressedSize64 > uint64(len(b)) || off+int64(f.CompressedSize64) > int64(len(b)) {
			return nil, fmt.Errorf("%w: member %q: compressed data past the end of the archive", ErrMalformed, f.Name)
		}
		spans = append(spans, [2]int64{off, off + int64(f.CompressedSize64)})
		a.members = append(a.members, newMember(f))
	}
	// The ratio limit trusts each member's declared compressed size: that size must be bytes of
	// the archive of its own, or a small zip could declare large ones, or point many members at
	// one stream, and inflate far past the ratio.
	slices.SortFunc(spans, func(x, y [2]int64) int { return cmp.Compare(x[0], y[0]) })
	for i := 1; i < len(spans); i++ {
		if spans[i][0] < spans[i-1][1] {
			return nil, fmt.Errorf("%w: members share compressed data", ErrMalformed)
		}
	}
	return a, nil
}

// plainName reports whether a member name is a plain file name, as the
// members of a settlement zip have: no directory part (no / or \), not "."
// or "..", no drive letter or NUL. Two such names are the same member only if
// they are equal, and the name is the base name that tells the member's kind.
func plainName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\\:\x00")
}

func (l *limits) check(f *zip.File, total *int64) error {
	size, comp := f.UncompressedSize64, f.CompressedSize64
	if size > uint64(l.memberSize) {
		return fmt.Errorf("%w: member %q declares %d bytes, limit %d", ErrTooLarge, f.Name, size, l.memberSize)
	}
	*total += int64(size)
	if *total > l.totalSize {
		return fmt.Errorf("%w: members declare more than %d bytes", ErrTooLarge, l.totalSize)
	}
	if size > ratioFloor && size/max(comp, 1) > uint64(l.ratio) {
		return fmt.Errorf("%w: member %q compressed %d:1, limit %d:1", ErrTooLarge, f.Name, size/max(comp, 1), l.ratio)
	}
	return nil
}

func newMember(f *zip.File) *Member {
	m := &Member{
		Name: f.Name, Kind: kindOf(f.Name), Size: int64(f.UncompressedSize64),
		Modified: f.Modified, f: f,
	}
	if m.Modified.Location() == time.UTC { // MS-DOS time: a wall clock, UnionPay's is Beijing
		y, mo, d := m.Modified.Date()
		m.Modified = time.Date(y, mo, d, m.Modified.Hour(), m.Modified.Minute(), m.Modified.Second(), 0, tz.Beijing())
	}
	m.MerID, m.SettleDate = nameInfo(f.Name, m.Kind)
	return m
}

// Members returns the members in archive order (a new slice each call).
func (a *Archive) Members() []*Member {
	return append([]*Member(nil), a.members...)
}

// First returns the first member of kind k, or nil if there is none: a zip
// without error transactions has no ZME member.
func (a *Archive) First(k Kind) *Member {
	for _, m := range a.members {
		if m.Kind == k {
			return m
		}
	}
	return nil
}

// Records returns the records of merchant merID in the archive's ZM members, in
// archive order, as one sequence for [Match]: a day's records may come in more
// than one member (numbered INN{yymmdd}{nn}ZM), and reading only the first
// would report the others' orders missing at UnionPay. A record of another
// merchant (a group's zip holds its merchants' records) is skipped: its
// orderIds are not merID's, and one equal to an order's would hide that
// order's absence. The merchant is told by each
// record's merId field, not by a member's name (UnionPay's test environment
// names its member for another merId than its records'); merID "" reads every
// record, and so does a record without merId. A group merchant (集团商户)
// reconciles store by store, each store's records (its merId) against that
// store's orders: orderIds are unique per merId only, so one store's record
// could match, and hide the absence of, another's order; a group code given as
// merID reads no store's records. Times are dated as [ZM] dates
// them, by settleDate (a midnight its own date, another time its Beijing date,
// as unionpay's DownloadFile takes it), or, when it is zero, by each member's
// [Member.SettleDate] from its name (a member with neither is an error). Any error that is not a
// [*LineError] (a member that cannot be opened or read, or [MaxMalformedLines]
// exceeded) ends the whole sequence: later members are not read. Malformed
// lines are yielded as ZM yields them. An archive without a ZM member yields
// nothing: check [Archive.First] if one is required.
func (a *Archive) Records(settleDate time.Time, merID string) iter.Seq2[Record, error] {
	return membersRecords(a, KindZM, settleDate, merID, ZM, func(r *Record) string { return r.MerID })
}

// ErrorRecords is [Archive.Records] for the ZME members: the error transactions
// (chargebacks, adjustments), which name no orderId to match.
func (a *Archive) ErrorRecords(settleDate time.Time, merID string) iter.Seq2[ErrorRecord, error] {
	return membersRecords(a, KindZME, settleDate, merID, ZME, func(r *ErrorRecord) string { return r.MerID })
}

// membersRecords is Records for the members of kind k, which parse reads, a record's merId being
// merOf's.
func membersRecords[T any](a *Archive, k Kind, settleDate time.Time, merID string,
	parse func(io.Reader, time.Time) iter.Seq2[T, error], merOf func(*T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, m := range a.members {
			if m.Kind == k && !eachOf(m, settleDate, parse, func(r T, err error) bool {
				return err == nil && !ownRecord(merOf(&r), merID) || yield(r, err)
			}) {
				return
			}
		}
	}
}

// ownRecord reports whether a record with merId recMerID is merID's: merID is
// "", or the record names merID or no merchant.
func ownRecord(recMerID, merID string) bool {
	return merID == "" || recMerID == "" || recMerID == merID
}

// eachOf yields the records parse reads from member m, dated by settleDate or
// else by the member's name, and reports whether to go on with the next
// member.
func eachOf[T any](m *Member, settleDate time.Time, parse func(io.Reader, time.Time) iter.Seq2[T, error],
	yield func(T, error) bool) bool {
	var zero T
	day := settleDay(settleDate) // a time of day names its Beijing date, as unionpay's Client.DownloadFile reads it
	if day.IsZero() {
		day = m.SettleDate
	}
	if day.IsZero() {
		yield(zero, fmt.Errorf("%w: member %q: its name has no settle date, and none was given", ErrMalformed, m.Name))
		return false
	}
	rc, err := m.Open()
	if err != nil {
		yield(zero, err)
		return false
	}
	defer rc.Close()
	for rec, err := range parse(rc, day) {
		if !yield(rec, err) {
			return false
		}
		if _, line := err.(*LineError); err != nil && !line {
			return false // a read error (or too many bad lines) ends the archive's records too
		}
	}
	return true
}

// Open returns a reader of the member's uncompressed bytes. The reader fails
// with an error wrapping [ErrTooLarge] if the data inflates past the declared
// size, and with one wrapping [ErrMalformed] if the checksum is wrong. Open
// of a nil *Member (what [Archive.First] returns when the archive has no
// member of the kind) or of one not obtained from an [Archive] is an error.
// [ZM] and [ZME] inflate the reader's bytes on a goroutine of their own while
// they parse them, when the program may use more than one processor (see ZM);
// close the reader once their sequence has ended.
func (m *Member) Open() (io.ReadCloser, error) {
	switch {
	case m == nil:
		return nil, errors.New("reconcile: Open of a nil *Member (Archive.First found no member of its kind)")
	case m.f == nil:
		return nil, fmt.Errorf("reconcile: member %q not obtained from an Archive (Members or First): nothing to open", m.Name)
	}
	rc, err := m.f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: member %q: %w", ErrMalformed, m.Name, err)
	}
	return &boundedReader{rc: rc, name: m.Name, left: m.Size}, nil
}

// boundedReader counts inflated bytes and refuses more than were declared.
type boundedReader struct {
	rc   io.ReadCloser
	name string
	left int64
}

// Read reads inflated bytes, no more than the declared size. Its errors but io.EOF are
// *memberReadError.
func (b *boundedReader) Read(p []byte) (int, error) {
	n, err := b.read(p)
	if err != nil && err != io.EOF {
		err = &memberReadError{err}
	}
	return n, err
}

// memberReadError is an error of a member's reader (a boundedReader): its text begins
// "reconcile: ", which a line reader's error about it does not say again (see readLineErr).
type memberReadError struct{ err error }

func (e *memberReadError) Error() string { return e.err.Error() }

func (e *memberReadError) Unwrap() error { return e.err }

func (b *boundedReader) read(p []byte) (int, error) {
	if b.left <= 0 {
		// Allow the decompressor to report EOF (and check the CRC) but not data.
		var one [1]byte
		n, err := b.rc.Read(one[:])
		if n > 0 || (err != nil && err != io.EOF && !errors.Is(err, zip.ErrChecksum)) {
			// archive/zip itself fails with ErrFormat once past the declared size.
			return 0, fmt.Errorf("%w: member %q inflates past its declared size", ErrTooLarge, b.name)
		}
		return 0, b.wrap(err)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, b.wrap(err)
}

func (b *boundedReader) wrap(err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	var corrupt flate.CorruptInputError
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.As(err, &corrupt) {
		return fmt.Errorf("%w: member %q: %w", ErrMalformed, b.name, err)
	}
	return fmt.Errorf("reconcile: member %q: %w", b.name, err)
}

// Close closes the member's decompressor.
func (b *boundedReader) Close() error { return b.rc.Close() }
