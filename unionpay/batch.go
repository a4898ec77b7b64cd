package unionpay

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goacp/unionpay/sign"
)

// BatchType is the txnSubType of a batch (批量交易, txnType 21) and of its query (txnType 22).
type BatchType string

// Batch types, each with its bizType.
const (
	BatchRefund  BatchType = "01" // 批量退货, bizType 000201
	BatchCollect BatchType = "02" // 批量代收, bizType 000501
	BatchPayout  BatchType = "03" // 批量代付, bizType 000401
)

func (t BatchType) bizType() string {
	switch t {
	case BatchRefund:
		return "000201"
	case BatchCollect:
		return "000501"
	case BatchPayout:
		return BizTypePayout
	}
	return ""
}

// batch checks a batch's type and number and returns its bizType.
func (ch *checker) batch(t BatchType, batchNo string) string {
	biz := t.bizType()
	if biz == "" {
		ch.fail("Type", "must be BatchRefund, BatchCollect or BatchPayout")
	}
	if len(batchNo) != 4 || !isDigits(batchNo) {
		ch.fail("BatchNo", "must be 4 digits")
	}
	return biz
}

// BatchRecord is one row of a batch file (the layout of UnionPay's payout demo file).
//
// No field may hold '|', a line break or another control character (see [EncodeBatchFile]).
// Its String, GoString, JSON (json.Marshal) and log/slog value are a masked form meant for logs:
// AccNo as 6+4 (621626******0018), IDNumber and Phone as "***", CustomerName by its first
// character, the other fields as they are.
// It is not a storage form: json.Unmarshal refuses it with [ErrMaskedJSON], so that the masks
// are never sent to UnionPay; JSON with the real values decodes as usual.
type BatchRecord struct {
	OrderID      string // orderId of this payment: 8 to 40 letters or digits
	Currency     string // currencyCode; "" or blank = "156"
	Amount       int64  // txnAmt in the minor unit of Currency (fen for 156, CNY)
	AccType      string // accType, two digits: "01" bank card
	AccNo        string // accNo: the card number, 12 to 19 digits; required (the file itself is compressed, not encrypted)
	CustomerName string // customerNm
	BizType      string // bizType, six digits; "" or blank = the batch's, and refused if not the batch's
	IDType       string // certifTp, two digits
	IDNumber     string // certifId
	Phone        string // phoneNo
	Postscript   string // postscript
}

// BatchColumns is the column line of a batch file.
const BatchColumns = "orderId|currencyCode|txnAmt|accType|accNo|customerNm|bizType|certifTp|certifId|phoneNo|postscript"

// BatchFileVersion is the version a batch file's header line gives: the file layout's, not the
// message's. UnionPay's payout demo (ACPSample_DaiFu) sends its file headed 5.0.0 in 5.1.0
// messages; [Client.SubmitBatch] writes it whatever Config.Version.
const BatchFileVersion = "5.0.0"

// EncodeBatchFile renders a batch file: a header line version|totalAmt|totalQty||, the column
// line, then one '|'-separated line per record; LF line ends, no final newline, UTF-8. Give
// version [BatchFileVersion] (the file layout's, whatever the message's version). It returns
// the file with its totals. There must be at least one record, and the amounts must total at most
// 999999999999 fen (totalAmt has 12 digits). No value, version and bizType included, may contain
// '|', a line break, a control character or invalid UTF-8; AccType and IDType, when given, are 2
// digits and BizType 6, and bizType itself: a row of another product (a collection in a payout
// batch) is refused. A value refused is a *[RequestError] naming it: version,
// bizType, Records, or the record's field, e.g. Records[2].Postscript (never the value). Two
// records with one OrderID are refused (the gateway would refuse the second as a duplicate).
//
// The file is UTF-8 whatever Config.Encoding. No document found gives the charset UnionPay expects
// in batch files, and its samples differ: the payout demo's file holds its Chinese names in UTF-8
// (sent with encoding UTF-8), a collection file under the name of its batch sample pack is GBK,
// and its Java SDK reads a batch result file in the message's encoding. A merchant sending
// Chinese names (CustomerName, Postscript) should confirm the charset with UnionPay first.
func EncodeBatchFile(version, bizType string, records []BatchRecord) (file []byte, qty int, amount int64, err error) {
	ch := &checker{op: "batch"}
	ch.batchValue("version", version)
	ch.batchValue("bizType", bizType)
	if len(records) == 0 {
		ch.fail("Records", "required: at least one record")
	}
	if ch.err != nil {
		return nil, 0, 0, ch.err
	}
	var b strings.Builder
	rows := make([]string, 0, len(records))
	seen := make(map[string]int, len(records))
	for i, r := range records {
		field := fmt.Sprintf("Records[%d].", i)
		ch.orderID(field+"OrderID", r.OrderID)
		if j, dup := seen[r.OrderID]; dup && ch.err == nil {
			ch.fail(field+"OrderID", fmt.Sprintf("the same as Records[%d].OrderID: each row is a transaction of its own", j))
		}
		seen[r.OrderID] = i
		ch.amount(field+"Amount", r.Amount)
		cur := ch.currency(field+"Currency", r.Currency)
		biz := orDefault(r.BizType, bizType)
		for _, v := range []struct{ name, value string }{
			{"AccType", r.AccType}, {"AccNo", r.AccNo}, {"CustomerName", r.CustomerName}, {"BizType", r.BizType},
			{"IDType", r.IDType}, {"IDNumber", r.IDNumber}, {"Phone", r.Phone}, {"Postscript", r.Postscript},
		} {
			ch.batchValue(field+v.name, v.value)
		}
		if r.AccType != "" && (len(r.AccType) != 2 || !isDigits(r.AccType)) {
			ch.fail(field+"AccType", "must be two digits (01 bank card)")
		}
		if b := sentTrimmed(r.BizType); !sign.Blank(r.BizType) && (len(b) != 6 || !isDigits(b)) {
			ch.fail(field+"BizType", "must be 6 digits")
		} else if !sign.Blank(r.BizType) && b != bizType {
			// A row of another product would move money the other way (a collection row in a
			// payout batch, a payout row in a collection batch) or be refused by the gateway.
			ch.fail(field+"BizType", fmt.Sprintf("%s, but the batch's bizType is %s: give it blank", b, bizType))
		}
		if r.IDType != "" && (len(r.IDType) != 2 || !isDigits(r.IDType)) {
			ch.fail(field+"IDType", "must be 2 digits (01 resident ID card)")
		}
		if ch.err == nil && !validAccNo(r.AccNo) {
			ch.fail(field+"AccNo", "must be 12 to 19 digits") // as a single transaction's
		}
		if ch.err != nil {
			return nil, 0, 0, ch.err
		}
		if amount += r.Amount; amount > maxAmount { // each at most maxAmount: no overflow
			ch.fail("Records", fmt.Sprintf("the amounts total more than %d fen (totalAmt has 12 digits)", int64(maxAmount)))
			return nil, 0, 0, ch.err
		}
		rows = append(rows, strings.Join([]string{r.OrderID, cur, fen(r.Amount), r.AccType, r.AccNo, r.CustomerName,
			biz, r.IDType, r.IDNumber, r.Phone, r.Postscript}, "|"))
	}
	b.WriteString(version + "|" + fen(amount) + "|" + strconv.Itoa(len(records)) + "||\n" + BatchColumns)
	for _, row := range rows {
		b.WriteString("\n" + row)
	}
	return []byte(b.String()), len(records), amount, nil
}

// batchValue refuses a value that would break a batch file's line or column structure, or its
// UTF-8.
func (ch *checker) batchValue(field, v string) {
	switch {
	case strings.ContainsAny(v, "|\r\n"):
		ch.fail(field, "must not contain | or line breaks")
	case hasControl(v):
		ch.fail(field, "must not contain control characters or line separators")
	case !utf8.ValidString(v):
		ch.fail(field, "not valid UTF-8")
	}
}

// BatchRequest submits a batch of refunds, collections or payouts (txnType 21) to
// Config.Endpoints.Batch. Give Records (encoded with [EncodeBatchFile]), or a File already in the
// product's layout with its TotalQty and TotalAmount. A BatchRefund takes File only: a refund row
// names the payment it refunds (origQryId), which the published layout of Records has no column
// for; use the layout UnionPay gives with the batch-refund product.
//
// Its String, GoString, JSON (json.Marshal) and log/slog value are a masked form meant for logs: the Records
// masked as [BatchRecord]'s, File (which holds full card numbers) as its size, e.g. "(1024
// bytes)", Extra as [sign.Fields.Masked] masks a message, the other fields as they are.
// It is not a storage form: json.Unmarshal refuses it with [ErrMaskedJSON], so that the masks
// are never sent to UnionPay; JSON with the real values decodes as usual.
type BatchRequest struct {
	Type        BatchType     // txnSubType; required
	BatchNo     string        // batchNo: 4 digits, unique per Beijing calendar date of TxnTime; required
	TxnTime     time.Time     // txnTime; zero: Config.Now(), else within TxnTimeWindow of it. Its date must be the file's date.
	Records     []BatchRecord // the rows, or nil with File
	File        []byte        // the file as is, when Records is nil
	TotalQty    int           // totalQty of File; with Records, computed, or a control total they must agree with
	TotalAmount int64         // totalAmt of File in fen; with Records, computed, or a control total they must agree with
	Extra       sign.Fields   // unmodelled fields, signed with the rest; must not collide; values trimmed, blank ones omitted
}

// BatchResult is the answer to an accepted batch; the per-row results come from [Client.QueryBatch].
type BatchResult struct {
	Result
	BatchNo     string // batchNo
	TotalQty    int    // totalQty sent
	TotalAmount int64  // totalAmt sent, in fen
}

// SubmitBatch sends a batch. The batch moves money: an unknown outcome is a *[PendingError]
// (its Op names the batch; it has no OrderID); query it with [Client.QueryBatch] (batchNo and
// TxnTime) before sending it again. A payout batch answered 01, 34 or
// 60 is pending too, as a single payout is ([Client.Payout]): its rows may still be paid.
func (c *Client) SubmitBatch(ctx context.Context, r *BatchRequest) (*BatchResult, error) {
	ctx, o := c.observe(ctx, batchOp, true)
	res, err := c.submitBatch(ctx, r)
	return res, o.end(err)
}

// batchOp is the op of SubmitBatch, as its errors name it.
const batchOp = "batch"

func (c *Client) submitBatch(ctx context.Context, r *BatchRequest) (*BatchResult, error) {
	const op = batchOp
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	ch := &checker{op: op}
	biz := ch.batch(r.Type, r.BatchNo)
	file, qty, amount := r.File, r.TotalQty, r.TotalAmount
	switch {
	case len(r.Records) > 0 && r.File != nil:
		ch.fail("File", "give Records or File, not both")
	case len(r.Records) > 0 && r.Type == BatchRefund:
		ch.fail("Records", "a BatchRefund takes File: Records have no origQryId column")
	case len(r.Records) > 0:
		var err error
		if file, qty, amount, err = EncodeBatchFile(BatchFileVersion, biz, r.Records); err != nil {
			return nil, err
		}
		// Totals given with Records are control totals (the ones a person approved): they must
		// agree with the rows, or nothing is sent.
		if r.TotalQty != 0 && r.TotalQty != qty {
			ch.fail("TotalQty", fmt.Sprintf("%d, but Records has %d rows", r.TotalQty, qty))
		} else if r.TotalAmount != 0 && r.TotalAmount != amount {
			ch.fail("TotalAmount", fmt.Sprintf("%d fen, but Records total %d fen", r.TotalAmount, amount))
		}
	case len(r.File) == 0:
		ch.fail("Records", "required (or File)")
	case qty <= 0 || amount <= 0:
		ch.fail("TotalQty", "TotalQty and TotalAmount are required with File")
	}
	if ch.err == nil {
		ch.amount("TotalAmount", amount) // totalAmt has 12 digits, as a record's txnAmt
	}
	if ch.err != nil {
		return nil, ch.err
	}
	t, err := c.newTxnTime(op, r.TxnTime)
	if err != nil {
		return nil, err
	}
	f := c.newFields("21", string(r.Type), biz)
	f["channelType"], f["txnTime"], f["batchNo"] = string(ChannelPC), formatTime(t), r.BatchNo
	f["totalQty"], f["totalAmt"] = strconv.Itoa(qty), fen(amount)
	f["fileContent"] = EncodeFileContent(file)
	k := &call{op: op + " " + r.BatchNo, endpoint: "Batch", moves: true, payout: r.Type == BatchPayout, txnTime: t}
	res, err := c.back(ctx, k, f, r.Extra)
	if err != nil {
		return nil, err
	}
	return &BatchResult{Result: *res, BatchNo: r.BatchNo, TotalQty: qty, TotalAmount: amount}, nil
}

// BatchQueryRequest names a batch to query (txnType 22). Its String, GoString, JSON and log/slog
// value show Extra as [sign.Fields.Masked] masks a message, as [QueryRequest]'s do.
type BatchQueryRequest struct {
	Type    BatchType   // txnSubType of the batch; required
	BatchNo string      // batchNo of the batch; required
	TxnTime time.Time   // txnTime of the batch; required
	Extra   sign.Fields // unmodelled fields, signed with the rest; must not collide; values trimmed, blank ones omitted
}

// BatchStatus is the answer to a batch query: the result file, decoded. Its record layout is the
// product's (not documented publicly); the bytes are returned as they are, in no charset checked
// (UnionPay's Java SDK reads them in the message's encoding, Config.Encoding).
type BatchStatus struct {
	Result
	FileName string // fileName, or merId_batchNo_txnTime.txt when absent (as the official SDK names it)
	File     []byte // the decoded result file; nil when the answer carried none
}

// QueryBatch asks for the result of a batch (txnType 22). A batch still being processed gives a
// *[PendingError] (respCode 03/04/05/83); a query moves no money, so transport failures are plain
// errors. A batch not found (an *[Error] with respCode 34) may not be registered yet: like a
// query's "not found", it is no proof that the batch was never received.
//
// The result file (File) is returned as UnionPay sends it; its layout is the product's (the fake
// gateway writes "batchNo|totalQty|totalAmt|successQty|successAmt", a column line, then
// "orderId|txnAmt|queryId|respCode|respMsg" per row). Read each row's respCode as a query's
// origRespCode: 00 and A6 succeeded; 03, 04, 05, 83, and for a payout also 01, 34 and 60, are
// not final (query the row: its orderId, the batch's txnTime, its txnAmt as Amount, and, for a
// payout, BizType [BizTypePayout]); anything else failed, but 12. A row answered 12 (重复交易)
// was not run because its orderId is taken, in every batch type as for a single call: by the
// same row of a batch sent before whose answer was lost (then it may have collected or paid), or
// by another transaction. It is not final either: query that orderId under the txnTime it was
// first sent with, TxnType, Amount and Currency given, so that another transaction's outcome is
// not read as the row's. Never collect or pay a row again on a code that is not final.
func (c *Client) QueryBatch(ctx context.Context, r *BatchQueryRequest) (*BatchStatus, error) {
	ctx, o := c.observe(ctx, "batch query", false)
	st, err := c.queryBatch(ctx, r)
	return st, o.end(err)
}

func (c *Client) queryBatch(ctx context.Context, r *BatchQueryRequest) (*BatchStatus, error) {
	const op = "batch query"
	if r == nil {
		return nil, &RequestError{Op: op, Field: "request", Reason: "nil"}
	}
	ch := &checker{op: op}
	biz := ch.batch(r.Type, r.BatchNo)
	if r.TxnTime.IsZero() {
		ch.fail("TxnTime", "required: the batch's txnTime")
	}
	if ch.err != nil {
		return nil, ch.err
	}
	t, err := c.txnTime(op, "TxnTime", r.TxnTime)
	if err != nil {
		return nil, err
	}
	f := c.newFields("22", string(r.Type), biz)
	f["channelType"], f["txnTime"], f["batchNo"] = string(ChannelPC), formatTime(t), r.BatchNo
	k := &call{op: op + " " + r.BatchNo, endpoint: "Batch", txnTime: t}
	res, err := c.back(ctx, k, f, r.Extra)
	if err != nil {
		return nil, err
	}
	st := &BatchStatus{Result: *res, FileName: res.Raw["fileName"]}
	if st.FileName == "" {
		st.FileName = c.cfg.MerchantID + "_" + r.BatchNo + "_" + formatTime(t) + ".txt"
	}
	if err := checkFileName(st.FileName); err != nil {
		return nil, k.unknown(err)
	}
	if fc := res.Raw["fileContent"]; fc != "" {
		if st.File, err = DecodeFileContent(fc, c.cfg.MaxFileBytes); err != nil {
			return nil, k.unknown(err)
		}
	}
	return st, nil
}
