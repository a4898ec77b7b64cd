package reconcile

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/internal/pan"
)

// OrdersCSVHeader is the header row of an orders CSV file as a writer would
// write it; [OrdersCSV] reads these five columns in any order, and a
// platform's optional sixth, subMerId.
const OrdersCSVHeader = "orderId,txnTime,amount,txnType,state"

// The columns of an orders CSV file, in the order of OrdersCSVHeader.
const (
	colOrderID = iota
	colTxnTime
	colAmount
	colTxnType
	colState
	numOrderColumns
	colSubMerID   = numOrderColumns // optional: not in OrdersCSVHeader
	numAllColumns = colSubMerID + 1
)

// orderColumn returns the header name of column c.
func orderColumn(c int) string {
	return [numAllColumns]string{"orderId", "txnTime", "amount", "txnType", "state", "subMerId"}[c]
}

// maxSubMerID is the width of a subMerId (the settlement file's, as package unionpay's
// Config.SubMerchant checks it).
const maxSubMerID = 15

// maxSubMerIDs bounds the distinct subMerIds an OrdersCSVReader shares among its orders.
const maxSubMerIDs = 1024

// maxOrdersRow bounds a row of an orders CSV file, its line ends (and the
// blank lines before it) included: a file without line ends, or with a quote
// never closed, must not be read into memory whole.
const maxOrdersRow = 64 << 10

// maxShownCell bounds the bytes of a cell an error quotes (and of the orderId
// an [*OrderError] carries): a cell may be up to maxOrdersRow long.
const maxShownCell = 64

// Card numbers in error messages (quoteCell): a cell holding minCardDigits digits or more (a
// card number of 13 to 19 digits in the wrong column) is masked, but in the txnTime column,
// where the mistake to show is a time of 14 or 15 digits, only from minTimeCardDigits, the
// usual 16 to 19 of a UnionPay card.
const (
	minCardDigits     = 13
	minTimeCardDigits = 16
)

// maxAmountDigits bounds the amount column: 18 digits always fit in an int64.
const maxAmountDigits = 18

// ErrOrdersHeader is matched by the error for an orders CSV file whose header
// row is missing, malformed, or does not name each column of
// [OrdersCSVHeader] exactly once.
var ErrOrdersHeader = errors.New("reconcile: orders CSV header")

// CSVError reports a malformed row of an orders CSV file (see [OrdersCSV]).
// Line is the file's 1-based line (the header row is line 1) where the fault
// is. Column is the 1-based column of the offending cell and Name its name in
// the header, or 0 and "" when the row as a whole is wrong (a quote out of
// place, more or fewer fields than the header, a row past the size limit).
// The message quotes at most 64 bytes of a cell, and masks the runs of digits of
// one holding 13 digits or more (16 in the txnTime column) as a card number is
// masked (621626******0018).
type CSVError struct {
	Line   int
	Column int
	Name   string
	Err    error
}

// Error returns "reconcile: line L, column C (NAME): cause", or
// "reconcile: line L: cause" for the row as a whole.
func (e *CSVError) Error() string {
	cause := strings.TrimPrefix(fmt.Sprint(e.Err), "reconcile: ")
	if e.Column == 0 {
		return fmt.Sprintf("reconcile: line %d: %s", e.Line, cause)
	}
	return fmt.Sprintf("reconcile: line %d, column %d (%s): %s", e.Line, e.Column, e.Name, cause)
}

// Unwrap returns the cause.
func (e *CSVError) Unwrap() error { return e.Err }

// OrdersCSV returns the orders of an orders CSV file, the sequence [Match]
// takes: [NewOrdersCSVReader] and its Orders in one, the file read as the
// sequence is ranged over. A header error (matching [ErrOrdersHeader]) or a
// nil r is the sequence's only element. Use an [OrdersCSVReader] to know the
// line each order came from (to name it in an error Match makes about it: a
// duplicate orderId).
//
// The file is UTF-8 CSV (RFC 4180: fields may be quoted, lines end in LF or
// CRLF; a byte-order mark may start it, as Excel's "CSV UTF-8" writes). Its
// header row names the columns orderId, txnTime, amount, txnType and state, in
// any order, each once; other columns are allowed and ignored (an export from
// the merchant's system carries its own, and each named column is matched
// exactly, so none can be taken for another). Then one order a row, with as
// many fields as the header:
//
//	orderId,txnTime,amount,txnType,state
//	SHOP20261125000001,20261125100512,12800,01,succeeded
//	SHOP20261125000002,20261125143000,3000,04,succeeded
//
// orderId is the orderId sent to UnionPay, not empty, at most the 32 bytes
// (GBK) of the settlement file's field, and without a control, format or
// space character or a byte that is not UTF-8 ([ErrOrderIDChar]); txnTime is
// YYYYMMDDhhmmss in Beijing time ([Beijing]), as sent; amount is the txnAmt in fen, a positive whole
// number without sign or decimal point (12800 is 128.00 yuan; for another currency its minor unit,
// 1000 for ¥1000: a currency column is ignored, as the file has none to compare it with); txnType is
// UnionPay's two digits (01 consume, 04 refund, 31 consume cancel, ...; a
// spreadsheet drops the leading zero unless the column is text); state is
// succeeded, pending or failed ([ParseState]). A refund or cancel is an order
// of its own, with its own orderId.
//
// A platform merchant (accessType 2) may add a column subMerId: the subMerId of
// the sub-merchant each order was sent for, its [Order.SubMerID], which Match
// checks against the record's (a record filed under another shop is a
// StateMismatch); up to 15 ASCII letters or digits (keep the column text in a
// spreadsheet, or it writes 8.98111E+14), and an empty cell is not checked.
func OrdersCSV(r io.Reader) iter.Seq2[Order, error] {
	return func(yield func(Order, error) bool) {
		if r == nil {
			yield(Order{}, nilArgument("r", "OrdersCSV"))
			return
		}
		or, err := NewOrdersCSVReader(r)
		if err != nil {
			yield(Order{}, err)
			return
		}
		for o, err := range or.Orders() {
			if !yield(o, err) {
				return
			}
		}
	}
}

// OrdersCSVReader reads an orders CSV file (the format is [OrdersCSV]'s) row
// by row, keeping one row in memory, and tells the line each order came from.
// It is not safe for concurrent use.
type OrdersCSVReader struct {
	cr    *csv.Reader
	lim   *rowLimiter
	cols  [numAllColumns]int // the index in a row of each column, -1 for subMerId absent
	subs  map[string]string  // the subMerIds read so far, up to maxSubMerIDs, to share their text
	width int                // the header's number of fields
	line  int                // the line of the row of the element last yielded
	next  int                // the line after the last row read
	index int                // the elements yielded so far
}

// NewOrdersCSVReader reads the header row of r, an orders CSV file, and
// returns a reader of the orders after it. A header that is empty, malformed,
// longer than 64 KiB, or that does not name each of the columns of
// [OrdersCSVHeader] exactly once is an error matching [ErrOrdersHeader]; an
// error reading r is returned wrapped.
func NewOrdersCSVReader(r io.Reader) (*OrdersCSVReader, error) {
	if r == nil {
		return nil, nilArgument("r", "NewOrdersCSVReader")
	}
	lim := &rowLimiter{r: r}
	cr := csv.NewReader(lim)
	lim.cr = cr
	header, err := cr.Read()
	switch {
	case lim.tripped:
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrOrdersHeader, maxOrdersRow)
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("%w: empty: want a header row %s", ErrOrdersHeader, OrdersCSVHeader)
	case errors.As(err, new(*csv.ParseError)):
		return nil, fmt.Errorf("%w: %w", ErrOrdersHeader, err)
	case err != nil:
		return nil, readErr("reading orders header", err)
	}
	or := &OrdersCSVReader{cr: cr, lim: lim, width: len(header), line: 1}
	or.cols[colSubMerID] = -1
	var found [numAllColumns]bool
	for i, name := range header {
		if i == 0 { // Excel's "CSV UTF-8" starts with a byte-order mark
			name = strings.TrimPrefix(name, "\ufeff")
		}
		for c := range numAllColumns {
			if name != orderColumn(c) {
				continue
			}
			if found[c] {
				return nil, fmt.Errorf("%w: column %s appears twice", ErrOrdersHeader, name)
			}
			found[c], or.cols[c] = true, i
		}
	}
	for c := range numOrderColumns {
		if !found[c] {
			return nil, fmt.Errorf("%w: no column %s: want a header row naming %s%s", ErrOrdersHeader, orderColumn(c),
				OrdersCSVHeader, headerHint(header, orderColumn(c)))
		}
	}
	or.next = or.endLine(header) + 1
	lim.rowStart = cr.InputOffset()
	cr.ReuseRecord = true
	return or, nil
}

// headerHint says why a header row that lacks the column want may not name it: the row is one
// cell holding ';' or a tab (a spreadsheet's export in another separator), or a cell names want
// in another case or with spaces around it. It returns "" otherwise.
func headerHint(header []string, want string) string {
	if len(header) == 1 {
		for _, sep := range []struct{ sep, name string }{{";", "';'"}, {"\t", "tabs"}} {
			if strings.Contains(header[0], sep.sep) {
				return fmt.Sprintf(" (the header is one column with %s in it: separate the columns with commas)", sep.name)
			}
		}
	}
	for i, name := range header {
		if i == 0 {
			name = strings.TrimPrefix(name, "\ufeff")
		}
		if name != want && strings.EqualFold(strings.TrimSpace(name), want) {
			return fmt.Sprintf(" (column %d is %q: the names are case-sensitive, without spaces)", i+1, name)
		}
	}
	return ""
}

// Column returns the 1-based column of the header named name, one of the
// columns of [OrdersCSVHeader] or subMerId, or 0 for any other name (and for
// subMerId when the header has none).
func (or *OrdersCSVReader) Column(name string) int {
	for c := range numAllColumns {
		if name == orderColumn(c) {
			return or.cols[c] + 1
		}
	}
	return 0
}

// Line returns the line on which the row of the element Orders last yielded
// begins (1, the header's, before the first), which a caller keeps to name an
// order in an error [Match] makes about it: the [*OrderError] of a duplicate
// orderId gives the order's Index in the sequence, not its line.
func (or *OrdersCSVReader) Line() int { return or.line }

// Orders returns the orders after the header row, reading them as the
// sequence is ranged over; ranging again goes on where the last range
// stopped. A malformed row is yielded as an [*OrderError] whose Index is the
// element's position in the sequence (as Match counts them) and whose Err is
// a [*CSVError] naming its line and, for a bad cell, its column: the first
// bad cell of the row (an empty or too long orderId matching [ErrNoOrderID]
// or [ErrOrderIDTooLong] as Match's own errors do, one with a character no
// orderId has matching [ErrOrderIDChar]), with the zero Order. The
// OrderError's OrderID is at most 64 bytes of the cell, "..." after them when
// cut; one refused for its characters has them escaped (\r, \x00, \u202e),
// and the CSVError names the first of them by its code and its byte in the
// cell, never quoting the cell.
// Reading goes on after it, and Match and the report writers list it with the other data errors.
// The orders yielded are all ones Match keeps.
//
// A row longer than 64 KiB (its line ends, and blank lines before it,
// included) ends the sequence with a *CSVError naming the line after the last
// row read, no *OrderError, as an error reading the file does (wrapped,
// naming that line too): the rest of the file is unknown, so [WriteCSV] and [WriteJSON]
// stop at it rather than report the orders after it missing.
func (or *OrdersCSVReader) Orders() iter.Seq2[Order, error] {
	return func(yield func(Order, error) bool) {
		for {
			row, err := or.cr.Read()
			if or.lim.tripped {
				or.line = or.next
				yield(Order{}, &CSVError{Line: or.next,
					Err: fmt.Errorf("a row longer than %d bytes: the rest of the file is not read", maxOrdersRow)})
				return
			}
			if errors.Is(err, io.EOF) {
				return
			}
			var o Order
			var pe *csv.ParseError
			switch {
			case errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount):
				or.line, or.next = pe.StartLine, or.endLine(row)+1
				err = &CSVError{Line: pe.StartLine, Err: fmt.Errorf("%d fields, the header has %d", len(row), or.width)}
			case errors.As(err, &pe):
				or.line, or.next = pe.StartLine, pe.Line+1
				err = &CSVError{Line: pe.Line, Err: fmt.Errorf("byte %d: %w", pe.Column, pe.Err)}
			case err != nil:
				or.line = or.next
				yield(Order{}, readErr(fmt.Sprintf("reading orders line %d", or.next), err))
				return
			default:
				or.line, _ = or.cr.FieldPos(0)
				or.next = or.endLine(row) + 1
				o, err = or.parse(row)
			}
			or.lim.rowStart = or.cr.InputOffset()
			i := or.index
			or.index++
			if err != nil {
				err = &OrderError{Index: i, OrderID: clip(o.OrderID), Err: err}
				o = Order{}
			}
			if !yield(o, err) {
				return
			}
		}
	}
}

// endLine returns the line on which row, just read, ends: that of its last
// field's start, plus the line ends quoted in that field.
func (or *OrdersCSVReader) endLine(row []string) int {
	if len(row) == 0 {
		return or.next
	}
	line, _ := or.cr.FieldPos(len(row) - 1)
	return line + strings.Count(row[len(row)-1], "\n")
}

// parse reads one data row. The first malformed cell is the error; the
// order's OrderID is set whenever the row has one, so the error can name it.
func (or *OrdersCSVReader) parse(row []string) (Order, error) {
	cell := func(c int) string { return row[or.cols[c]] }
	bad := func(c int, err error) error {
		line, _ := or.cr.FieldPos(or.cols[c])
		return &CSVError{Line: line, Column: or.cols[c] + 1, Name: orderColumn(c), Err: err}
	}
	var o Order
	id := cell(colOrderID)
	switch i := badOrderIDChar(id); {
	case id == "":
		return o, bad(colOrderID, ErrNoOrderID)
	case i >= 0: // before the length: the error must not carry the character
		o.OrderID = maskOrderID(id)
		return o, bad(colOrderID, fmt.Errorf("%w: %s at byte %d (UnionPay's orderId is 8 to 40 letters or digits)",
			ErrOrderIDChar, charAt(id, i), i+1))
	case len(id) > maxOrderID && gbkLen(id) > maxOrderID:
		o.OrderID = id
		return o, bad(colOrderID, fmt.Errorf("%w: %d bytes", ErrOrderIDTooLong, gbkLen(id)))
	default:
		o.OrderID = strings.Clone(id) // not the whole row's text
	}
	ts := cell(colTxnTime)
	t, err := time.ParseInLocation("20060102150405", ts, Beijing())
	if err != nil || len(ts) != 14 { // 14: Parse takes a fraction of a second after the layout
		return o, bad(colTxnTime, fmt.Errorf("%s: want YYYYMMDDhhmmss, Beijing time", quoteCell(ts, minTimeCardDigits)))
	}
	o.TxnTime = t
	amount := cell(colAmount)
	if !allDigits(amount) || len(amount) > maxAmountDigits {
		return o, bad(colAmount, fmt.Errorf("%s: want a whole number of fen (12800 for 128.00 yuan)", quoteCell(amount, minCardDigits)))
	}
	for i := range len(amount) {
		o.Amount = o.Amount*10 + int64(amount[i]-'0')
	}
	if o.Amount == 0 {
		return o, bad(colAmount, errors.New("zero: want a positive number of fen"))
	}
	switch typ := cell(colTxnType); {
	case len(typ) == 2 && allDigits(typ):
		n := int(typ[0]-'0')*10 + int(typ[1]-'0')
		o.TxnType = twoDigits[2*n : 2*n+2] // not the row's text
	case len(typ) == 1 && allDigits(typ):
		return o, bad(colTxnType, fmt.Errorf("%q: want two digits, 0%s (a spreadsheet drops the leading zero unless the column is text)", typ, typ))
	default:
		return o, bad(colTxnType, fmt.Errorf("%s: want UnionPay's two digits (01 consume, 04 refund, 31 consume cancel, ...)", quoteCell(typ, minCardDigits)))
	}
	s := cell(colState)
	if o.State, err = ParseState(s); err != nil {
		return o, bad(colState, fmt.Errorf("%s: want succeeded, pending or failed", quoteCell(s, minCardDigits)))
	}
	if or.cols[colSubMerID] >= 0 {
		if o.SubMerID, err = or.subMerID(cell(colSubMerID)); err != nil {
			return o, bad(colSubMerID, err)
		}
	}
	return o, nil
}

// subMerID returns the subMerId of a cell, "" for an empty one, sharing the
// text of one read before; a cell that is not 1 to 15 ASCII letters or digits
// is an error quoting it.
func (or *OrdersCSVReader) subMerID(cell string) (string, error) {
	if cell == "" {
		return "", nil
	}
	if s, ok := or.subs[cell]; ok {
		return s, nil
	}
	if len(cell) > maxSubMerID || !ascii.IsAlnum(cell) {
		return "", fmt.Errorf("%s: want up to %d letters or digits, the subMerId sent (keep the column text in a spreadsheet)",
			quoteCell(cell, minCardDigits), maxSubMerID)
	}
	s := strings.Clone(cell) // not the whole row's text
	if len(or.subs) < maxSubMerIDs {
		if or.subs == nil {
			or.subs = make(map[string]string)
		}
		or.subs[s] = s
	}
	return s, nil
}

// ErrOrderIDChar is wrapped by the [*CSVError] of an orders CSV file's orderId
// holding a control character (NUL, a tab, a CR, an LF in a quoted cell, the
// other C0 and C1 controls, DEL), a format character (a bidirectional
// override, a zero-width space, a byte-order mark), white space (a space, the
// full-width U+3000), or a byte that is not UTF-8 (a file saved in GBK). No
// orderId UnionPay accepts (8 to 40 letters or digits) holds one, so such an
// order could match no record; read, it would carry the character, unseen or
// acting on a terminal, into logs and reports.
var ErrOrderIDChar = errors.New("reconcile: orderId with a control, format, space or non-UTF-8 character")

// badOrderIDChar returns the byte offset in id of its first character that
// [ErrOrderIDChar] refuses, or -1 when there is none.
func badOrderIDChar(id string) int {
	for i, r := range id {
		if r == utf8.RuneError && !strings.HasPrefix(id[i:], "\uFFFD") || unicode.IsControl(r) ||
			unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) {
			return i
		}
	}
	return -1
}

// charAt names the character of s at byte i for an error: "U+000D", or "the
// byte 0xB5 (not UTF-8)".
func charAt(s string, i int) string {
	if r, n := utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || n > 1 {
		return fmt.Sprintf("U+%04X", r)
	}
	return fmt.Sprintf("the byte 0x%02X (not UTF-8)", s[i])
}

// maskOrderID returns an orderId that [ErrOrderIDChar] refuses as an
// [*OrderError] names it: each character that is not printable escaped as Go
// escapes it (\r, \x00, \u202e), a byte that is not UTF-8 as \xB5, cut to
// at most maxShownCell bytes, "..." included, when longer.
func maskOrderID(id string) string {
	var b strings.Builder
	cut := -1 // b's length where "..." goes if it gets too long
	for i, r := range id {
		var piece string
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(id[i:], "\uFFFD"):
			piece = fmt.Sprintf(`\x%02X`, id[i])
		case unicode.IsPrint(r):
			piece = string(r)
		default:
			q := strconv.QuoteRuneToASCII(r)
			piece = q[1 : len(q)-1]
		}
		if cut < 0 && b.Len()+len(piece) > maxShownCell-len("...") {
			cut = b.Len()
		}
		b.WriteString(piece)
		if b.Len() > maxShownCell {
			return b.String()[:cut] + "..."
		}
	}
	return b.String()
}

// twoDigits holds every pair of digits, 00 to 99, in order.
const twoDigits = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// clip returns s cut after maxShownCell bytes (not inside a character), with
// "..." after it when cut, as a copy that does not keep the row's text.
func clip(s string) string {
	if len(s) <= maxShownCell {
		return strings.Clone(s)
	}
	n := maxShownCell
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..." // a new string
}

// quoteCell quotes a cell for an error message, cut as clip cuts it. A cell of minDigits digits
// or more, which may hold a card number (13 to 19 digits: a card number in the wrong column, a
// row's cells shifted), has its runs of digits masked first, as pan.MaskRuns masks one in any
// text, so that neither the error nor a report listing it shows a card number. A shorter cell is
// shown as it is, for its mistake to be seen: in the txnTime column (minTimeCardDigits), a time
// of the wrong shape (20261125100000.5, a spreadsheet's number) or not a day (20261131100000).
func quoteCell(s string, minDigits int) string {
	digits := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	if digits >= minDigits {
		s = pan.MaskRuns(s)
	}
	if len(s) <= maxShownCell {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q...", strings.TrimSuffix(clip(s), "..."))
}

// rowLimiter reads r for the CSV reader cr, failing once the row being read
// (from rowStart, the offset where the last row read ended) passes
// maxOrdersRow bytes. The CSV reader reads more only when the bytes it holds
// have no line end, so every byte read past rowStart is the current row's.
type rowLimiter struct {
	r        io.Reader
	cr       *csv.Reader
	n        int64 // bytes read
	rowStart int64
	tripped  bool // a row passed the limit
}

// errRowTooLong is what rowLimiter's Read returns past the limit; the reader
// of the orders tells it by rowLimiter.tripped, whatever the CSV reader makes
// of it.
var errRowTooLong = errors.New("reconcile: orders CSV row too long")

// Read reads from r, no further than the current row's limit, and fails once
// the row needs more.
func (l *rowLimiter) Read(p []byte) (int, error) {
	room := maxOrdersRow - (l.n - l.rowStart)
	if room <= 0 {
		l.tripped = true
		return 0, errRowTooLong
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}
