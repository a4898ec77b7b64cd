package reconcile

import (
	"fmt"
	"math/bits"
	"time"
)

// zmParser parses the lines of one ZM stream. It re-parses only the fields
// whose bytes differ from the previous line's (see delta) and keeps the
// previous record's values for the others.
type zmParser struct {
	td     textDecoder
	days   dayCache
	delta  delta
	last   Record
	lastV3 bool
	own    []byte // parse's copy of its last line
}

func newZMParser(settleDate time.Time) *zmParser {
	return &zmParser{days: newDayCache(settleDate), delta: newDelta(zmDeltaTable())}
}

// parse parses line b alone; what it keeps for the next line is a copy.
func (p *zmParser) parse(b []byte, n int) (Record, error) {
	err := p.parseLine(b, p.own, n)
	p.own = append(p.own[:0], b...)
	if err != nil {
		p.delta.invalidate()
		return Record{}, err
	}
	return p.last, nil
}

// parseLine updates p.last, in place, from line b. prev is the line before it
// (nil if unknown), from which p.last was parsed if the delta is valid.
func (p *zmParser) parseLine(b, prev []byte, n int) error {
	var fpv fieldParser
	fp := &fpv
	fp.init(b, n, zmLayout[:], &p.td)
	if uint(len(b)-zmMinLength) > zmV3Length-zmMinLength { // one compare for both bounds
		if len(b) > zmV3Length {
			return fp.lineErr(fmt.Errorf("line is %d bytes, longer than the longest layout (%d)", len(b), zmV3Length))
		}
		return fp.lineErr(fmt.Errorf("line is %d bytes, want %d", len(b), zmLength))
	}
	v3 := len(b) > zmV3Start && !isBlank(b[zmV3Start:min(len(b), zmV3End)])
	if v3 && len(b) < zmV3End {
		return fp.lineErr(fmt.Errorf("line is %d bytes, too short for the %d-byte layout", len(b), zmV3Length))
	}
	c, sepBad := p.delta.changed(b, prev)
	seps := fieldSet(zmSepV2)
	if v3 {
		seps = zmSepV3
	}
	r := &p.last
	if v3 != p.lastV3 || c == allFields {
		c, sepBad = allFields, true
		*r = Record{}
	} else if c.has(zmTxnTime) && !r.OrigTxnTime.IsZero() {
		c |= 1 << zmOrigTxnTime // its year depends on txnTime (unless blank)
	}
	p.lastV3 = v3
	// The delta checked the common separators of the changed words (those
	// of the others are the previous, valid, line's); check one by one only
	// when it saw a bad one, and always the v3-only ones.
	check := c & seps & zmSepV3Only
	if sepBad {
		check = c & seps
	}
	if err := checkSeparators(fp, b, check, &p.delta.t.seps); err != nil {
		return err
	}
	r.Line = n
	// The changed fields of the layout, in field order (the first error is
	// the one reported, and origTxnTime comes after txnTime, which dates it).
	set := c & zmFieldsV2
	if v3 {
		set = c & zmFieldsV3
	}
	// The three text fields that change on nearly every line, together
	// (text fields make no errors: the first error stays the first field's).
	if set&zmTrio == zmTrio && p.td.trio(b, r) {
		set &^= zmTrio
	}
	for ; set != 0; set &= set - 1 {
		switch i := bits.TrailingZeros64(uint64(set)); i {
		case zmTxnCode:
			fp.setText(i, &r.TxnCode)
		case zmAcqInsCode:
			fp.setText(i, &r.AcqInsCode)
		case zmSendInsCode:
			fp.setText(i, &r.SendInsCode)
		case zmTraceNo:
			fp.setText(i, &r.TraceNo)
		case zmTxnTime:
			if t, ok := p.days.sameMinute(fp.bytes(i)); ok {
				r.TxnTime = t // the usual case, inline
			} else {
				fp.setTime(i, &p.days, true, nil, &r.TxnTime)
			}
		case zmAccNo:
			fp.setText(i, &r.AccNo)
		case zmTxnAmt:
			fp.setPlain(i, true, &r.TxnAmt)
		case zmMerCatCode:
			fp.setText(i, &r.MerCatCode)
		case zmTermType:
			fp.setText(i, &r.TermType)
		case zmQueryID:
			fp.setText(i, &r.QueryID)
		case zmLegacyPayType:
			fp.setText(i, &r.LegacyPayType)
		case zmOrderID:
			fp.setText(i, &r.OrderID)
		case zmPayCardType:
			fp.setText(i, &r.PayCardType)
		case zmOrigTraceNo:
			fp.setText(i, &r.OrigTraceNo)
		case zmOrigTxnTime:
			fp.setTime(i, &p.days, false, &r.TxnTime, &r.OrigTxnTime)
		case zmMerchantFee:
			fp.setSigned(i, &r.MerchantFee)
		case zmSettleAmt:
			fp.setSigned(i, &r.SettleAmt)
		case zmPayType:
			fp.setText(i, &r.PayType)
		case zmGroupMerID:
			fp.setText(i, &r.GroupMerID)
		case zmTxnType:
			fp.setText(i, &r.TxnType)
		case zmTxnSubType:
			fp.setText(i, &r.TxnSubType)
		case zmBizType:
			fp.setText(i, &r.BizType)
		case zmAccType:
			fp.setText(i, &r.AccType)
		case zmBillType:
			fp.setText(i, &r.BillType)
		case zmBillNo:
			fp.setText(i, &r.BillNo)
		case zmInteractMode:
			fp.setText(i, &r.InteractMode)
		case zmOrigQueryID:
			fp.setText(i, &r.OrigQueryID)
		case zmMerID:
			fp.setText(i, &r.MerID)
		case zmSplitMode:
			fp.setText(i, &r.SplitMode)
		case zmSubMerID:
			fp.setText(i, &r.SubMerID)
		case zmSubMerAbbr:
			fp.setText(i, &r.SubMerAbbr)
		case zmSubMerSplitAmt:
			fp.setSigned(i, &r.SubMerSplitAmt)
		case zmNetSettleAmt:
			fp.setSigned(i, &r.NetSettleAmt)
		case zmTermID:
			fp.setText(i, &r.TermID)
		case zmMerReserved:
			fp.setText(i, &r.MerReserved)
		case zmDiscountAmt:
			fp.setSigned(i, &r.DiscountAmt)
		case zmInvoiceAmt:
			fp.setSigned(i, &r.InvoiceAmt)
		case zmInstalmentFee:
			fp.setSigned(i, &r.InstallmentFee)
		case zmInstalmentCount:
			fp.setText(i, &r.InstallmentCount)
		case zmTxnMedium:
			fp.setText(i, &r.TxnMedium)
		case zmOrigOrderID:
			fp.setText(i, &r.OrigOrderID)
		case zmClearingAmt:
			fp.setSigned(i, &r.ClearingAmt)
		case zmPOSEntryMode:
			fp.setText(i, &r.POSEntryMode)
		case zmMobilePayFlag:
			fp.setText(i, &r.MobilePayFlag)
		case zmRetrievalRefNo:
			fp.setText(i, &r.RetrievalRefNo)
		case zmReservedV3:
			fp.setText(i, &r.Reserved)
		case zmReserved:
			fp.setText(i, &r.Reserved)
		}
	}
	if fp.err != nil {
		return fp.err
	}
	if len(b) > zmLength && !v3 && b[zmLength] != ' ' {
		return fp.lineErr(errV2Tail) // the 99th byte of a reserved field of 98
	}
	return nil
}

var errV2Tail = fmt.Errorf("line is %d bytes in the %d-byte layout and its last byte is not a space", zmV3Length, zmLength)

// checkSeparators checks the space before each field in set (for the
// reserved field, only when the line reaches it).
func checkSeparators(fp *fieldParser, b []byte, set fieldSet, seps *[maxFields]int32) error {
	for set != 0 {
		i := bits.TrailingZeros64(uint64(set))
		set &^= 1 << i
		if p := uint(seps[i&(maxFields-1)]); p < uint(len(b)) && b[p] != ' ' {
			return fp.fieldErr(zmLayout[i], errSep)
		}
	}
	return nil
}
