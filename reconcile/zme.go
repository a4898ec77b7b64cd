package reconcile

import (
	"fmt"
	"io"
	"iter"
	"time"
)

// ErrorRecord is one line of a ZME file (全渠道商户差错交易明细流水文件): an error
// (差错) transaction such as a chargeback or adjustment. The widths are the
// official SDKs'; the field names come from a single third-party source and
// no sample file is public, so treat the meaning of the fields with care.
// It carries no orderId: errors are traced through TraceNo, TxnTime and the
// original-transaction fields. To find the order an error record concerns,
// keep each transaction's traceNo and its time (package unionpay's
// Transaction.TraceNo and TraceTime, or a ZM [Record]'s TraceNo and TxnTime,
// which are the same): OrigTraceNo and OrigTxnTime name them (six digits of
// traceNo alone repeat), and OrigSettleDate says in which day's file the
// original is. Conventions are those of [Record].
type ErrorRecord struct {
	Line int // 1-based line number in the file; 0 for a record not read from a file

	TxnCode          string    // 1 交易代码
	AcqInsCode       string    // 2 代理机构标识码
	SendInsCode      string    // 3 发送机构标识码
	TraceNo          string    // 4 系统跟踪号
	TxnTime          time.Time // 5 交易传输时间, MMDDhhmmss
	AccNo            string    // 6 帐号, masked
	TxnAmt           int64     // 7 交易金额
	MerCatCode       string    // 8 商户类型
	TermType         string    // 9 终端类型
	PayCardType      string    // 10 支付卡类型
	OrigTraceNo      string    // 11 上一笔交易的系统跟踪号
	OrigTxnTime      time.Time // 12 上一笔交易的日期时间
	OrigSettleDate   time.Time // 13 上一笔交易清算日期 (MMDD), Beijing midnight of the latest such day not after the day following TxnTime
	OrigTxnAmt       int64     // 14 上一笔交易金额
	MerchantFee      int64     // 15 商户手续费, signed
	SettleAmt        int64     // 16 结算金额, signed
	GroupMerID       string    // 17 集团商户代码
	MerID            string    // 18 商户代码
	SplitFlag        string    // 19 分账清算标识
	InstallmentFee   int64     // 20 分期付款附加手续费, signed (X+n11)
	InstallmentCount string    // 21 分期付款期数
	Reserved         string    // 22 保留使用
}

const (
	zmeTxnCode = iota
	zmeAcqInsCode
	zmeSendInsCode
	zmeTraceNo
	zmeTxnTime
	zmeAccNo
	zmeTxnAmt
	zmeMerCatCode
	zmeTermType
	zmePayCardType
	zmeOrigTraceNo
	zmeOrigTxnTime
	zmeOrigSettleDate
	zmeOrigTxnAmt
	zmeMerchantFee
	zmeSettleAmt
	zmeGroupMerID
	zmeMerID
	zmeSplitFlag
	zmeInstalmentFee
	zmeInstalmentCount
	zmeReserved
)

// zmeLayout is UnionPay's ZME table (its settlement-file specification): a read-only table.
var zmeLayout = [...]field{
	{"txnCode", 0, 3}, {"acqInsCode", 4, 11}, {"sendInsCode", 16, 11}, {"traceNo", 28, 6},
	{"txnTime", 35, 10}, {"accNo", 46, 19}, {"txnAmt", 66, 12}, {"merCatCode", 79, 4},
	{"termType", 84, 2}, {"payCardType", 87, 2}, {"origTraceNo", 90, 6}, {"origTxnTime", 97, 10},
	{"origSettleDate", 108, 4}, {"origTxnAmt", 113, 12}, {"merchantFee", 126, 13},
	{"settleAmt", 140, 13}, {"groupMerId", 154, 15}, {"merId", 170, 15}, {"splitFlag", 186, 1},
	{"instalmentFee", 188, 12}, {"instalmentCount", 201, 2}, {"reserved", 204, 135},
}

const (
	zmeMinLength = 203 // fields 1 to 21; the reserved tail may be cut short
	zmeLength    = 339
)

// ZME returns the records of a ZME (error transactions) file read from r, with
// the same conventions as [ZM]: settleDate gives the times their year, a
// malformed line yields a [*LineError] and ranging on continues with the next
// (up to [MaxMalformedLines], blank lines counted apart).
// A line longer than 339 bytes is malformed. A nil r, or a zero settleDate,
// is its only element's error, as in ZM.
func ZME(r io.Reader, settleDate time.Time) iter.Seq2[ErrorRecord, error] {
	return func(yield func(ErrorRecord, error) bool) {
		if r == nil {
			yield(ErrorRecord{}, nilArgument("r", "ZME"))
			return
		}
		p := zmeParser{days: newDayCache(settleDate)}
		bad := 0 // malformed lines yielded
		each(r, settleDate, func(line []byte, n int) bool {
			rec, err := p.parse(line, n)
			if err != nil {
				return yieldMalformed(yield, &bad, err)
			}
			return yield(rec, nil)
		}, func(err error) bool {
			if _, malformed := err.(*LineError); malformed {
				return yieldMalformed(yield, &bad, err)
			}
			return yield(ErrorRecord{}, err)
		})
	}
}

type zmeParser struct {
	td   textDecoder
	days dayCache
}

func (p *zmeParser) parse(b []byte, n int) (ErrorRecord, error) {
	var fpv fieldParser
	fp := &fpv
	fp.init(b, n, zmeLayout[:], &p.td)
	if len(b) < zmeMinLength {
		return ErrorRecord{}, fp.lineErr(fmt.Errorf("line is %d bytes, want %d", len(b), zmeLength))
	}
	if len(b) > zmeLength {
		return ErrorRecord{}, fp.lineErr(fmt.Errorf("line is %d bytes, longer than the layout (%d)", len(b), zmeLength))
	}
	last := zmeInstalmentCount
	if len(b) >= zmeLayout[zmeReserved].off { // the separator before the reserved field is there
		last = zmeReserved
	}
	for i := zmeAcqInsCode; i <= last; i++ {
		if f := zmeLayout[i]; b[f.off-1] != ' ' {
			return ErrorRecord{}, fp.fieldErr(f, errSep)
		}
	}
	c := allFields
	r := ErrorRecord{Line: n}
	fp.text(c, zmeTxnCode, &r.TxnCode)
	fp.text(c, zmeAcqInsCode, &r.AcqInsCode)
	fp.text(c, zmeSendInsCode, &r.SendInsCode)
	fp.text(c, zmeTraceNo, &r.TraceNo)
	fp.time(c, zmeTxnTime, &p.days, true, nil, &r.TxnTime)
	fp.text(c, zmeAccNo, &r.AccNo)
	fp.plain(c, zmeTxnAmt, true, &r.TxnAmt)
	fp.text(c, zmeMerCatCode, &r.MerCatCode)
	fp.text(c, zmeTermType, &r.TermType)
	fp.text(c, zmePayCardType, &r.PayCardType)
	fp.text(c, zmeOrigTraceNo, &r.OrigTraceNo)
	fp.time(c, zmeOrigTxnTime, &p.days, false, &r.TxnTime, &r.OrigTxnTime)
	fp.date(c, zmeOrigSettleDate, r.TxnTime, &r.OrigSettleDate)
	fp.plain(c, zmeOrigTxnAmt, false, &r.OrigTxnAmt)
	fp.signed(c, zmeMerchantFee, &r.MerchantFee)
	fp.signed(c, zmeSettleAmt, &r.SettleAmt)
	fp.text(c, zmeGroupMerID, &r.GroupMerID)
	fp.text(c, zmeMerID, &r.MerID)
	fp.text(c, zmeSplitFlag, &r.SplitFlag)
	fp.signed(c, zmeInstalmentFee, &r.InstallmentFee)
	fp.text(c, zmeInstalmentCount, &r.InstallmentCount)
	fp.text(c, zmeReserved, &r.Reserved)
	if fp.err != nil {
		return ErrorRecord{}, fp.err
	}
	return r, nil
}
