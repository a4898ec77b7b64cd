package reconcile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"sync"
	"time"
)

// Record is one line of a ZM file (全渠道商户一般交易明细流水文件): one settled
// transaction. Text fields have their trailing padding removed and are decoded
// from GBK; a blank field is "". Amounts are int64 fen. Signed amounts are
// positive for C (credit to the merchant) and negative for D (debit); a blank or
// space-signed zero is 0. Times are Beijing time. TxnTime and TxnAmt are
// required (blank, the line is a [*LineError]); a blank OrigTxnTime is the zero
// time. Bytes that are not GBK decode to U+FFFD.
// The numbers in the comments are the field numbers of UnionPay's table.
//
// TxnAmt has no sign; SettleAmt is TxnAmt, negative for a transaction that
// takes money back from the merchant (a refund, an undo), plus MerchantFee
// (negative for a fee charged, as in UnionPay's sample, where every SettleAmt
// is TxnAmt less the fee). So SettleAmt - MerchantFee is the signed txnAmt
// ([Record.SignedTxnAmt]), and its sign tells a payment from a refund whatever
// the TxnType, as [Tally] sides records. Whether a refund gives the payment's fee back is not
// documented (the fake gateway's refunds credit their share of it).
type Record struct {
	Line int // 1-based line number in the file; 0 for a record not read from a file

	TxnCode          string    // 1 交易代码, e.g. "S56"
	AcqInsCode       string    // 2 代理机构标识码 (acqInsCode)
	SendInsCode      string    // 3 发送机构标识码
	TraceNo          string    // 4 系统跟踪号 (traceNo)
	TxnTime          time.Time // 5 交易传输时间, MMDDhhmmss; year nearest the settle date
	AccNo            string    // 6 帐号, as masked by UnionPay (622609******0048)
	TxnAmt           int64     // 7 交易金额 (txnAmt), never negative: fen, or the minor unit of the transaction's currency (the file has no currency column)
	MerCatCode       string    // 8 商户类别 (MCC)
	TermType         string    // 9 终端类型
	QueryID          string    // 10 查询流水号 (queryId)
	LegacyPayType    string    // 11 支付方式（旧）
	OrderID          string    // 12 商户订单号 (orderId), the key for matching
	PayCardType      string    // 13 支付卡类型 (payCardType)
	OrigTraceNo      string    // 14 原始交易的系统跟踪号
	OrigTxnTime      time.Time // 15 原始交易日期时间; latest year not after TxnTime
	MerchantFee      int64     // 16 商户手续费, signed
	SettleAmt        int64     // 17 结算金额, signed
	PayType          string    // 18 支付方式
	GroupMerID       string    // 19 集团商户代码
	TxnType          string    // 20 交易类型 (txnType): 01 consume, 04 refund, 31 undo, ...
	TxnSubType       string    // 21 交易子类 (txnSubType)
	BizType          string    // 22 业务类型 (bizType)
	AccType          string    // 23 帐号类型 (accType)
	BillType         string    // 24 账单类型
	BillNo           string    // 25 账单号码
	InteractMode     string    // 26 交互方式
	OrigQueryID      string    // 27 原交易查询流水号 (origQryId), set for refund and undo
	MerID            string    // 28 商户代码 (merId)
	SplitMode        string    // 29 分账入账方式: "A" 收单行入账, "L" 银联分账系统入账, "" by default
	SubMerID         string    // 30 二级商户代码 (subMerId); zeros for a merchant that is not a platform (see SubMerchant)
	SubMerAbbr       string    // 31 二级商户简称 (subMerAbbr), may be Chinese
	SubMerSplitAmt   int64     // 32 二级商户分账入账金额: the part a split enters to the sub-merchant, signed
	NetSettleAmt     int64     // 33 清算净额: SettleAmt less SubMerSplitAmt, signed
	TermID           string    // 34 终端号
	MerReserved      string    // 35 商户自定义域, may be Chinese
	DiscountAmt      int64     // 36 优惠金额, signed
	InvoiceAmt       int64     // 37 发票金额, signed
	InstallmentFee   int64     // 38 分期付款附加手续费, signed (X+n11)
	InstallmentCount string    // 39 分期付款期数
	TxnMedium        string    // 40 交易介质
	OrigOrderID      string    // 41 原始交易订单号, set for refund, undo and completion

	// Fields 42 to 45 exist only in the newer (608-byte) layout and are read
	// only when present; otherwise they are zero.
	ClearingAmt    int64  // 42 清算金额, signed
	POSEntryMode   string // 43 服务点输入方式码
	MobilePayFlag  string // 44 移动支付产品标志
	RetrievalRefNo string // 45 检索参考号

	Reserved string // 保留使用 (the last field), normally ""
}

// SubMerchant returns the platform sub-merchant the record is for: SubMerID, or "" when the file
// gives it the zeros (or blank) of a merchant that is not a platform.
//
// A platform splits a day's records by it, adding up each sub-merchant's SettleAmt (signed:
// refunds subtract). Where the settlement is split on entry (SplitMode "A", entered by the
// acquiring bank, or "L", by UnionPay's split system), SubMerSplitAmt is the part entered to the
// sub-merchant, and NetSettleAmt, SettleAmt less it, the platform's: that part is not the
// platform's to pay out again. SplitMode is blank by default; UnionPay's sample file, of a
// merchant that is no platform, has SubMerSplitAmt zero and NetSettleAmt equal to SettleAmt.
func (r *Record) SubMerchant() string {
	if strings.Trim(r.SubMerID, "0") == "" {
		return ""
	}
	return r.SubMerID
}

// Field numbers (index into zmLayout) of the ZM fields.
const (
	zmTxnCode = iota
	zmAcqInsCode
	zmSendInsCode
	zmTraceNo
	zmTxnTime
	zmAccNo
	zmTxnAmt
	zmMerCatCode
	zmTermType
	zmQueryID
	zmLegacyPayType
	zmOrderID
	zmPayCardType
	zmOrigTraceNo
	zmOrigTxnTime
	zmMerchantFee
	zmSettleAmt
	zmPayType
	zmGroupMerID
	zmTxnType
	zmTxnSubType
	zmBizType
	zmAccType
	zmBillType
	zmBillNo
	zmInteractMode
	zmOrigQueryID
	zmMerID
	zmSplitMode
	zmSubMerID
	zmSubMerAbbr
	zmSubMerSplitAmt
	zmNetSettleAmt
	zmTermID
	zmMerReserved
	zmDiscountAmt
	zmInvoiceAmt
	zmInstalmentFee
	zmInstalmentCount
	zmTxnMedium
	zmOrigOrderID
	zmReserved    // v1/v2: 保留使用, 98 bytes, ends at 607
	zmClearingAmt // v3 fields
	zmPOSEntryMode
	zmMobilePayFlag
	zmRetrievalRefNo
	zmReservedV3
)

// Fields preceded by a separator that must be a space, in each layout: all
// but the first (the v3 reserved field's too, at byte 540: no byte of a line
// lies outside a field or a separator, but the last of a 608-byte line in the
// v2 layout, which parseLine checks).
const (
	zmSepV2 = (1<<(zmOrigOrderID+1)-1)&^1 | 1<<zmReserved
	zmSepV3 = (1<<(zmReservedV3+1) - 1) &^ 1 &^ (1 << zmReserved)
)

// The fields of each layout.
const (
	zmFieldsV2 = fieldSet(1)<<(zmReserved+1) - 1
	zmFieldsV3 = (fieldSet(1)<<(zmReservedV3+1) - 1) &^ (1 << zmReserved)
)

// zmSepCommon are the separators of both layouts (the one at 508 precedes
// both reserved and clearingAmt); zmSepV3Only those of the v3 layout only.
const (
	zmSepCommon = zmSepV2&zmSepV3 | 1<<zmReserved
	zmSepV3Only = zmSepV3 &^ (1 << zmClearingAmt) &^ zmSepCommon
)

// zmLayout is UnionPay's ZM table (its settlement-file specification, the 607- and 608-byte
// layouts): a read-only table.
var zmLayout = [...]field{
	{"txnCode", 0, 3}, {"acqInsCode", 4, 11}, {"sendInsCode", 16, 11}, {"traceNo", 28, 6},
	{"txnTime", 35, 10}, {"accNo", 46, 19}, {"txnAmt", 66, 12}, {"merCatCode", 79, 4},
	{"termType", 84, 2}, {"queryId", 87, 21}, {"legacyPayType", 109, 2}, {"orderId", 112, 32},
	{"payCardType", 145, 2}, {"origTraceNo", 148, 6}, {"origTxnTime", 155, 10},
	{"merchantFee", 166, 13}, {"settleAmt", 180, 13}, {"payType", 194, 4}, {"groupMerId", 199, 15},
	{"txnType", 215, 2}, {"txnSubType", 218, 2}, {"bizType", 221, 6}, {"accType", 228, 2},
	{"billType", 231, 4}, {"billNo", 236, 32}, {"interactMode", 269, 1}, {"origQryId", 271, 21},
	{"merId", 293, 15}, {"splitMode", 309, 1}, {"subMerId", 311, 15}, {"subMerAbbr", 327, 32},
	{"subMerSplitAmt", 360, 13}, {"netSettleAmt", 374, 13}, {"termId", 388, 8},
	{"merReserved", 397, 32}, {"discountAmt", 430, 13}, {"invoiceAmt", 444, 13},
	{"instalmentFee", 458, 12}, {"instalmentCount", 471, 2}, {"txnMedium", 474, 1},
	{"origOrderId", 476, 32}, {"reserved", 509, 98},
	{"clearingAmt", 509, 13}, {"posEntryMode", 523, 2}, {"mobilePayFlag", 526, 1},
	{"retrievalRefNo", 528, 12}, {"reserved", 541, 67},
}

// zmDeltaTable is the read-only deltaTable of zmLayout, built once.
var zmDeltaTable = sync.OnceValue(func() *deltaTable { return newDeltaTable(zmLayout[:], zmSepCommon) })

const (
	zmMinLength = 508 // fields 1 to 41; the reserved tail may be cut short
	zmLength    = 607 // v1/v2 line length without CRLF
	zmV3Length  = 608 // v3 line length without CRLF, and the longest line
	zmV3Start   = 509
	zmV3End     = 540 // end of field 45
)

// ZM returns the records of a ZM file read from r, in file order. settleDate
// (清算日期; only its year, month and day count) supplies the year of the
// MMDDhhmmss times: the nearest to it, so a December file may carry January
// times.
//
// A malformed line yields a zero Record and a [*LineError]; ranging on after it
// reads the next line, so a caller can stop at the first error (break) or
// collect errors and go on. A line longer than 608 bytes (two records run
// together by a lost LF, say) is malformed: it is never read in part. After
// [MaxMalformedLines] malformed lines (or as many blank ones) the next ends the
// sequence with an error matching [ErrMalformed]. A read error from r is
// yielded last. Blank lines are skipped. The sequence reads r once; it holds
// one line at a time. A nil r, or a zero settleDate, is its only element's
// error ([ErrNilArgument] for r).
//
// When r is an archive member's reader (from [Member.Open], as
// [Archive.Records] reads members) and the program may use more than one
// processor, the member is inflated on a goroutine of its own while the
// lines are parsed, at most 768 KiB ahead: the records come sooner, for a
// little more CPU time (BenchmarkArchiveZM). The goroutine has returned when the
// sequence ends, however it ends (a break included): r is not read after.
// A panic in r's Read comes out of the loop over the sequence, after the
// lines read before it, as it would without that goroutine. Any other reader
// is read by the loop itself.
func ZM(r io.Reader, settleDate time.Time) iter.Seq2[Record, error] {
	return zm(r, settleDate, autoAhead)
}

// zm is ZM, reading r ahead in buffers of aheadSize bytes (see newLineReader).
func zm(r io.Reader, settleDate time.Time, aheadSize int) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		if r == nil {
			yield(Record{}, nilArgument("r", "ZM"))
			return
		}
		if settleDate.IsZero() {
			yield(Record{}, errNoSettleDate)
			return
		}
		// The loop is each's, written out: no indirect call per line, and
		// the record is yielded straight from the parser, copied once.
		p := zmParser{days: newDayCache(settleDate), delta: newDelta(zmDeltaTable())}
		lr := newLineReader(r, aheadSize)
		defer lr.close()
		same := 0 // raw length of the last line parsed, 0 after any other
		bad := 0  // malformed lines yielded
		blank := 0
		for {
			// A line as long as the last is guessed to end where that one
			// did, saving the search for its LF; parsing validates every
			// byte that changed but those of text fields, which say if they
			// hold an LF (every byte of a line it accepts is in a field or
			// a separator, or is the checked last byte of a 608-byte v2
			// line), and a line with an error is searched anyway.
			line := lr.nextSame(same)
			guessed := line != nil
			if !guessed {
				var err error
				line, err = lr.next()
				if err != nil {
					if err == io.EOF {
						return
					}
					if _, skipped := err.(*LineError); !skipped || !yieldMalformed(yield, &bad, err) {
						if !skipped {
							yield(Record{}, err)
						}
						return // a read error ends the file
					}
					same = 0
					continue
				}
			}
			if len(line) == 0 {
				same = 0
				if blank++; blank > MaxMalformedLines {
					yield(Record{}, errTooManyBad())
					return
				}
				continue
			}
			err := p.parseLine(line, lr.prev(), lr.line)
			if guessed && (err != nil || p.td.lf) && bytes.IndexByte(line, '\n') >= 0 {
				p.delta.invalidate() // the guess was wrong: read the line again
				lr.unread()
				same = 0
				continue
			}
			if err != nil {
				p.delta.invalidate()
				same = 0
				if !yieldMalformed(yield, &bad, err) {
					return
				}
				continue
			}
			same = lr.rawLen()
			if !yield(p.last, nil) {
				return
			}
		}
	}
}

var errNoSettleDate = errors.New("reconcile: settle date is required to date MMDDhhmmss times")

// MaxMalformedLines is how many malformed lines [ZM] and [ZME] yield, each as a [*LineError],
// before they give up on the stream: the next one ends it with an error matching
// [ErrMalformed] that is not a *LineError (reading stops, as after a read error). Blank lines,
// which are skipped, are counted apart against the same limit. A file that broken is not
// UnionPay's, and a flood of short bad lines would otherwise cost far more time and report than
// its size.
const MaxMalformedLines = 1000

// errTooManyBad is the error that ends a stream past MaxMalformedLines.
func errTooManyBad() error {
	return fmt.Errorf("%w: more than %d malformed (or blank) lines: the rest of the file is not read",
		ErrMalformed, MaxMalformedLines)
}

// yieldMalformed yields the *LineError err, the bad-th malformed line (counted here), or, past
// MaxMalformedLines, the error that ends the stream. It reports whether to go on.
func yieldMalformed[T any](yield func(T, error) bool, bad *int, err error) bool {
	var zero T
	if *bad++; *bad > MaxMalformedLines {
		yield(zero, errTooManyBad())
		return false
	}
	return yield(zero, err)
}

// each calls fn for every non-blank line of r and onErr for every error; it
// stops when either returns false or after a read error.
func each(r io.Reader, settleDate time.Time, fn func([]byte, int) bool, onErr func(error) bool) {
	if settleDate.IsZero() {
		onErr(errNoSettleDate)
		return
	}
	lr := newLineReader(r, autoAhead)
	defer lr.close()
	blank := 0
	for {
		line, err := lr.next()
		if err == io.EOF {
			return
		}
		if err != nil {
			if _, skipped := err.(*LineError); !onErr(err) || !skipped {
				return // a read error ends the file
			}
			continue
		}
		if len(line) == 0 {
			if blank++; blank > MaxMalformedLines {
				onErr(errTooManyBad())
				return
			}
			continue
		}
		if !fn(line, lr.line) {
			return
		}
	}
}
