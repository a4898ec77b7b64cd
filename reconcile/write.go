package reconcile

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/text/encoding"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/internal/tz"
)

// ZMWriter writes ZM record lines in UnionPay's layout: fixed-width fields, one
// space between fields, text in GBK left-aligned and space padded, amounts zero
// padded, CRLF after every line. A record with any of fields 42 to 45 set is
// written in the newer 608-byte layout, others in the 607-byte one. Call Flush
// when done. A ZMWriter is not safe for concurrent use.
type ZMWriter struct {
	lw lineWriter
}

// NewZMWriter returns a ZMWriter that writes to w through a buffer.
func NewZMWriter(w io.Writer) *ZMWriter { return &ZMWriter{lw: newLineWriter(w, "NewZMWriter")} }

// Write writes one record. It fails, writing nothing, when a value does not
// fit its field (text longer than the field's GBK width, an amount with too
// many digits, a negative txnAmt, a required time that is zero), a text value
// cannot be represented in GBK or holds a line break, or, in the 607-byte
// layout, Reserved has text in its first 31 bytes (bytes 509 to 539 of the
// line, which a reader would take for fields 42 to 45 of the newer layout).
// Write and Flush fail too on a ZMWriter not made by NewZMWriter, and on one
// made with a nil writer; a nil r, or a nil writer given to NewZMWriter, is an
// error matching [ErrNilArgument].
func (z *ZMWriter) Write(r *Record) error {
	if err := z.lw.check("ZMWriter", "NewZMWriter"); err != nil {
		return err
	}
	b, err := appendZM(&z.lw, r)
	if err != nil {
		return err
	}
	return z.lw.write(b)
}

// Flush writes any buffered data to the underlying writer.
func (z *ZMWriter) Flush() error {
	if err := z.lw.check("ZMWriter", "NewZMWriter"); err != nil {
		return err
	}
	return z.lw.flush()
}

// ZMEWriter writes ZME (error transaction) lines of 339 bytes plus CRLF, with
// the conventions of [ZMWriter].
type ZMEWriter struct {
	lw lineWriter
}

// NewZMEWriter returns a ZMEWriter that writes to w through a buffer.
func NewZMEWriter(w io.Writer) *ZMEWriter { return &ZMEWriter{lw: newLineWriter(w, "NewZMEWriter")} }

// Write writes one record; see [ZMWriter.Write] for the errors.
func (z *ZMEWriter) Write(r *ErrorRecord) error {
	if err := z.lw.check("ZMEWriter", "NewZMEWriter"); err != nil {
		return err
	}
	b, err := appendZME(&z.lw, r)
	if err != nil {
		return err
	}
	return z.lw.write(b)
}

// Flush writes any buffered data to the underlying writer.
func (z *ZMEWriter) Flush() error {
	if err := z.lw.check("ZMEWriter", "NewZMEWriter"); err != nil {
		return err
	}
	return z.lw.flush()
}

type lineWriter struct {
	bw  *bufio.Writer
	enc *encoding.Encoder
	buf []byte
	err error // first write error; sticky
}

// newLineWriter returns a lineWriter to w; a nil w is its sticky error, named
// as an argument of ctor.
func newLineWriter(w io.Writer, ctor string) lineWriter {
	lw := lineWriter{bw: bufio.NewWriterSize(w, 64<<10), enc: javagbk.NewEncoder()}
	if w == nil {
		lw.err = nilArgument("w", ctor)
	}
	return lw
}

// check returns the error that stops any write: a zero writer of type typ
// (not made by its constructor ctor), or the sticky error.
func (lw *lineWriter) check(typ, ctor string) error {
	if lw.bw == nil {
		return fmt.Errorf("reconcile: %s not made by %s", typ, ctor)
	}
	return lw.err
}

func (lw *lineWriter) write(b []byte) error {
	if lw.err != nil {
		return lw.err
	}
	if _, err := lw.bw.Write(b); err != nil {
		lw.err = fmt.Errorf("reconcile: writing: %w", err)
	}
	return lw.err
}

func (lw *lineWriter) flush() error {
	if lw.err != nil {
		return lw.err
	}
	if err := lw.bw.Flush(); err != nil {
		lw.err = fmt.Errorf("reconcile: writing: %w", err)
	}
	return lw.err
}

// lineBuilder fills a line of spaces field by field and remembers the first error.
type lineBuilder struct {
	b   []byte
	enc *encoding.Encoder
	err error
}

func (lw *lineWriter) builder(length int) *lineBuilder {
	if cap(lw.buf) < length+2 {
		lw.buf = make([]byte, length+2)
	}
	b := lw.buf[:length+2]
	for i := range b {
		b[i] = ' '
	}
	b[length], b[length+1] = '\r', '\n'
	return &lineBuilder{b: b, enc: lw.enc}
}

func (lb *lineBuilder) fail(f field, msg string) {
	if lb.err == nil {
		lb.err = fmt.Errorf("reconcile: field %s: %s", f.name, msg)
	}
}

func (lb *lineBuilder) text(f field, s string) {
	if strings.ContainsAny(s, "\r\n") {
		lb.fail(f, "holds a line break") // it would end the line
		return
	}
	g, err := encodeGBK(lb.enc, f, s)
	if err != nil {
		if lb.err == nil {
			lb.err = err
		}
		return
	}
	if len(g) > f.width {
		lb.fail(f, fmt.Sprintf("%d bytes in GBK, the field holds %d", len(g), f.width))
		return
	}
	copy(lb.b[f.off:], g)
}

func (lb *lineBuilder) digits(f field, v int64, start, width int) {
	for i := start + width - 1; i >= start; i-- {
		lb.b[i] = byte('0' + v%10)
		v /= 10
	}
}

func pow10(n int) int64 {
	v := int64(1)
	for range n {
		v *= 10
	}
	return v
}

func (lb *lineBuilder) plain(f field, v int64) {
	if v < 0 || v >= pow10(f.width) {
		lb.fail(f, "amount out of range")
		return
	}
	lb.digits(f, v, f.off, f.width)
}

func (lb *lineBuilder) signed(f field, v int64) {
	sign := byte(' ')
	switch {
	case v > 0:
		sign = 'C'
	case v < 0:
		sign, v = 'D', -v
	}
	if v < 0 || v >= pow10(f.width-1) {
		lb.fail(f, "amount out of range")
		return
	}
	lb.b[f.off] = sign
	lb.digits(f, v, f.off+1, f.width-1)
}

func (lb *lineBuilder) time(f field, t time.Time, required bool) {
	if t.IsZero() {
		if required {
			lb.fail(f, "required time is zero")
		}
		return
	}
	t = t.In(tz.Beijing())
	_, m, d := t.Date()
	lb.digits(f, int64(m)*100+int64(d), f.off, 4)
	if f.width == 10 {
		lb.digits(f, int64(t.Hour()*10000+t.Minute()*100+t.Second()), f.off+4, 6)
	}
}

// origTime writes the time of an original transaction, which the reader dates
// in the latest year that puts it no later than the transaction's txn: a
// later one would come back a year early, so it is refused.
func (lb *lineBuilder) origTime(f field, orig, txn time.Time) {
	if !orig.IsZero() && orig.Truncate(time.Second).After(txn.Truncate(time.Second)) {
		lb.fail(f, "after txnTime: an original transaction comes before the one naming it")
		return
	}
	lb.time(f, orig, false)
}

func (lb *lineBuilder) done() ([]byte, error) {
	if lb.err != nil {
		return nil, lb.err
	}
	return lb.b, nil
}

func appendZM(lw *lineWriter, r *Record) ([]byte, error) {
	if r == nil {
		return nil, nilArgument("r", "ZMWriter.Write")
	}
	v3 := r.ClearingAmt != 0 || r.POSEntryMode != "" || r.MobilePayFlag != "" || r.RetrievalRefNo != ""
	length := zmLength
	if v3 {
		length = zmV3Length
	}
	lb := lw.builder(length)
	l := &zmLayout
	lb.text(l[zmTxnCode], r.TxnCode)
	lb.text(l[zmAcqInsCode], r.AcqInsCode)
	lb.text(l[zmSendInsCode], r.SendInsCode)
	lb.text(l[zmTraceNo], r.TraceNo)
	lb.time(l[zmTxnTime], r.TxnTime, true)
	lb.text(l[zmAccNo], r.AccNo)
	lb.plain(l[zmTxnAmt], r.TxnAmt)
	lb.text(l[zmMerCatCode], r.MerCatCode)
	lb.text(l[zmTermType], r.TermType)
	lb.text(l[zmQueryID], r.QueryID)
	lb.text(l[zmLegacyPayType], r.LegacyPayType)
	lb.text(l[zmOrderID], r.OrderID)
	lb.text(l[zmPayCardType], r.PayCardType)
	lb.text(l[zmOrigTraceNo], r.OrigTraceNo)
	lb.origTime(l[zmOrigTxnTime], r.OrigTxnTime, r.TxnTime)
	lb.signed(l[zmMerchantFee], r.MerchantFee)
	lb.signed(l[zmSettleAmt], r.SettleAmt)
	lb.text(l[zmPayType], r.PayType)
	lb.text(l[zmGroupMerID], r.GroupMerID)
	lb.text(l[zmTxnType], r.TxnType)
	lb.text(l[zmTxnSubType], r.TxnSubType)
	lb.text(l[zmBizType], r.BizType)
	lb.text(l[zmAccType], r.AccType)
	lb.text(l[zmBillType], r.BillType)
	lb.text(l[zmBillNo], r.BillNo)
	lb.text(l[zmInteractMode], r.InteractMode)
	lb.text(l[zmOrigQueryID], r.OrigQueryID)
	lb.text(l[zmMerID], r.MerID)
	lb.text(l[zmSplitMode], r.SplitMode)
	lb.text(l[zmSubMerID], r.SubMerID)
	lb.text(l[zmSubMerAbbr], r.SubMerAbbr)
	lb.signed(l[zmSubMerSplitAmt], r.SubMerSplitAmt)
	lb.signed(l[zmNetSettleAmt], r.NetSettleAmt)
	lb.text(l[zmTermID], r.TermID)
	lb.text(l[zmMerReserved], r.MerReserved)
	lb.signed(l[zmDiscountAmt], r.DiscountAmt)
	lb.signed(l[zmInvoiceAmt], r.InvoiceAmt)
	lb.signed(l[zmInstalmentFee], r.InstallmentFee)
	lb.text(l[zmInstalmentCount], r.InstallmentCount)
	lb.text(l[zmTxnMedium], r.TxnMedium)
	lb.text(l[zmOrigOrderID], r.OrigOrderID)
	if v3 {
		lb.signed(l[zmClearingAmt], r.ClearingAmt)
		lb.text(l[zmPOSEntryMode], r.POSEntryMode)
		lb.text(l[zmMobilePayFlag], r.MobilePayFlag)
		lb.text(l[zmRetrievalRefNo], r.RetrievalRefNo)
		lb.text(l[zmReservedV3], r.Reserved)
	} else {
		lb.text(l[zmReserved], r.Reserved)
		if !isBlank(lb.b[zmV3Start:zmV3End]) { // the reader would take the line for the newer layout
			lb.fail(l[zmReserved], "text in bytes 509 to 539, where the 608-byte layout has fields 42 to 45: "+
				"leave them blank in the 607-byte layout")
		}
	}
	return lb.done()
}

func appendZME(lw *lineWriter, r *ErrorRecord) ([]byte, error) {
	if r == nil {
		return nil, nilArgument("r", "ZMEWriter.Write")
	}
	lb := lw.builder(zmeLength)
	l := &zmeLayout
	lb.text(l[zmeTxnCode], r.TxnCode)
	lb.text(l[zmeAcqInsCode], r.AcqInsCode)
	lb.text(l[zmeSendInsCode], r.SendInsCode)
	lb.text(l[zmeTraceNo], r.TraceNo)
	lb.time(l[zmeTxnTime], r.TxnTime, true)
	lb.text(l[zmeAccNo], r.AccNo)
	lb.plain(l[zmeTxnAmt], r.TxnAmt)
	lb.text(l[zmeMerCatCode], r.MerCatCode)
	lb.text(l[zmeTermType], r.TermType)
	lb.text(l[zmePayCardType], r.PayCardType)
	lb.text(l[zmeOrigTraceNo], r.OrigTraceNo)
	lb.origTime(l[zmeOrigTxnTime], r.OrigTxnTime, r.TxnTime)
	lb.time(l[zmeOrigSettleDate], r.OrigSettleDate, false)
	if r.OrigTxnAmt != 0 {
		lb.plain(l[zmeOrigTxnAmt], r.OrigTxnAmt)
	}
	lb.signed(l[zmeMerchantFee], r.MerchantFee)
	lb.signed(l[zmeSettleAmt], r.SettleAmt)
	lb.text(l[zmeGroupMerID], r.GroupMerID)
	lb.text(l[zmeMerID], r.MerID)
	lb.text(l[zmeSplitFlag], r.SplitFlag)
	lb.signed(l[zmeInstalmentFee], r.InstallmentFee)
	lb.text(l[zmeInstalmentCount], r.InstallmentCount)
	lb.text(l[zmeReserved], r.Reserved)
	return lb.done()
}
