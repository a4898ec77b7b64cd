package unionpaytest

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/goacp/unionpay/sign"
)

const maxBatchFile = 16 << 20 // inflated batch file limit

// batch is one accepted batch file (txnType 21) and its per-row results.
type batch struct {
	no, txnTime string
	subType     string
	qty, amt    int64
	rows        []batchRow
}

// batchRow is one row's result: the refusal's code, or "" for a row that became a transaction
// (queryID), whose code is the transaction's own.
type batchRow struct {
	orderID, queryID, code, reason string
	amount                         int64
}

func batchKey(batchNo, txnTime string) string { return batchNo + "@" + txnTime[:8] }

// batchSubmit accepts a batch file (21): txnSubType 01 refund, 02 collection (代收), 03 payout
// (代付); the file as UnionPay's batch specification has it: header "version|totalAmt|totalQty||", a column-name
// line, then one '|'-separated row per transaction. Every row is processed at once.
func (s *Server) batchSubmit(req sign.Fields) result {
	kind := map[string]string{"01": "04", "02": "11", "03": "12"}[req["txnSubType"]]
	if kind == "" {
		return result{rej: violation(CodeMalformed, "batch txnSubType %q", req["txnSubType"])}
	}
	if no := req["batchNo"]; len(no) != 4 || !isDigits(no) || no == "0000" {
		return result{rej: violation(CodeMalformed, "batchNo %q: want 0001-9999", no)}
	}
	// Plain decimal, as the file's header writes them and as a txnAmt: no sign, no leading zero.
	qty, err1 := parseAmount(req["totalQty"])
	amt, err2 := parseAmount(req["totalAmt"])
	if err1 != nil || err2 != nil {
		return result{rej: violation(CodeMalformed, "totalQty %q totalAmt %q", req["totalQty"], req["totalAmt"])}
	}
	text, err := inflate(req["fileContent"])
	if err != nil {
		return result{rej: violation(CodeBadBatchFile, "fileContent: %v", err)}
	}
	rows, rej := parseBatchFile(text, kind, qty, amt)
	if rej != nil {
		return result{rej: rej}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := batchKey(req["batchNo"], req["txnTime"])
	if s.batches[key] != nil {
		return result{rej: refuse(CodeDuplicate, "batchNo %s already used today", req["batchNo"])}
	}
	b := &batch{no: req["batchNo"], txnTime: req["txnTime"], subType: req["txnSubType"], qty: qty, amt: amt}
	for _, row := range rows {
		s.batchRow(b, req, kind, row)
	}
	s.batches[key] = b
	if s.batchKeys.limit > 0 { // as many batches as transactions are kept: the oldest goes
		if old, dropped := s.batchKeys.add(key); dropped {
			delete(s.batches, old)
			delete(s.draws, batchSubject(old)) // its batchNo used again draws as a new one
		}
	}
	return result{code: CodeSuccess}
}

// batchRow runs one row as a back transaction of the given kind and records its outcome.
// Callers hold s.mu.
func (s *Server) batchRow(b *batch, req sign.Fields, kind string, row map[string]string) {
	f := sign.Fields{"txnType": kind, "txnSubType": "00", "bizType": req["bizType"], "orderId": row["orderId"],
		"txnTime": req["txnTime"], "txnAmt": row["txnAmt"], "origQryId": row["origQryId"],
		"channelType": "07", "merId": req["merId"], "accNo": row["accNo"]}
	for _, k := range ownerFields() { // the batch's acquirer or sub-merchant is each row's
		if v := req[k]; v != "" {
			f[k] = v
		}
	}
	amount, err := parseAmount(row["txnAmt"])
	r := batchRow{orderID: row["orderId"], amount: amount, code: CodeSuccess}
	var rej *rejection
	switch {
	case !validOrderID(row["orderId"]):
		rej = refuse(CodeMalformed, "orderId %q", row["orderId"])
	case err != nil:
		rej = refuse(CodeMalformed, "txnAmt %q", row["txnAmt"])
	case row["currencyCode"] != "" && row["currencyCode"] != "156": // as a single transaction's (checkValues)
		rej = refuse(CodeMalformed, "currencyCode %q, want 156", row["currencyCode"])
	case row["bizType"] != "" && row["bizType"] != req["bizType"]: // another product: not run as this batch's
		rej = refuse(CodeMismatch, "bizType %q, the batch's is %q", row["bizType"], req["bizType"])
	case kind != "04" && row["accNo"] == "": // a collection or payout names the card; a refund its payment
		rej = refuse(CodeMissingField, "accNo")
	case kind != "04" && (len(row["accNo"]) < 12 || len(row["accNo"]) > 19 || !isDigits(row["accNo"])):
		rej = refuse(CodeMalformed, "accNo: want 12 to 19 digits")
	default:
		var t *txn
		if t, rej = s.admitBack(f, s.Now()); rej == nil {
			t.pan = row["accNo"]
			if s.start(t, CodeSuccess); t.final && !isSuccess(t.code) {
				rej = refuse(t.code, "scripted failure") // a final failure is the row's result
			}
			r.queryID = t.queryID
		}
	}
	if rej != nil {
		r.code, r.reason = rej.code, rej.reason
	} else {
		r.code = "" // the transaction's own, as a batch query finds it
	}
	b.rows = append(b.rows, r)
}

// parseBatchFile checks the header and totals of a batch file and returns its rows by column name.
func parseBatchFile(text, kind string, qty, amt int64) ([]map[string]string, *rejection) {
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n"), "\n")
	if len(lines) < 2 {
		return nil, violation(CodeBadBatchFile, "want a header line and a column line")
	}
	head := strings.Split(lines[0], "|")
	if len(head) < 3 {
		return nil, violation(CodeBadBatchFile, "header %q: want version|totalAmt|totalQty||", lines[0])
	}
	if head[1] != strconv.FormatInt(amt, 10) || head[2] != strconv.FormatInt(qty, 10) {
		return nil, violation(CodeBadBatchFile, "header totals %s/%s differ from totalAmt %d totalQty %d",
			head[1], head[2], amt, qty)
	}
	cols := strings.Split(lines[1], "|")
	need := []string{"orderId", "txnAmt"}
	if kind == "04" {
		need = append(need, "origQryId")
	}
	for _, n := range need {
		if !slices.Contains(cols, n) {
			return nil, violation(CodeBadBatchFile, "column %s missing", n)
		}
	}
	rows := make([]map[string]string, 0, len(lines)-2)
	var sum int64
	for i, line := range lines[2:] {
		vals := strings.Split(line, "|")
		if len(vals) != len(cols) {
			return nil, violation(CodeBadBatchFile, "line %d has %d fields, want %d", i+3, len(vals), len(cols))
		}
		row := make(map[string]string, len(cols))
		for j, c := range cols {
			row[c] = vals[j]
		}
		n, err := parseAmount(row["txnAmt"])
		if err != nil {
			return nil, violation(CodeBadBatchFile, "line %d: txnAmt %q", i+3, row["txnAmt"])
		}
		sum += n
		rows = append(rows, row)
	}
	if int64(len(rows)) != qty || sum != amt {
		return nil, violation(CodeBadBatchFile, "file has %d rows of %d fen, request says %d of %d", len(rows), sum, qty, amt)
	}
	return rows, nil
}

// inflate decodes a fileContent value: base64, then zlib, bounded.
func inflate(content string) (string, error) {
	z, err := base64.StdEncoding.DecodeString(content)
	if err != nil {
		return "", errors.New("not base64")
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return "", fmt.Errorf("not zlib: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(zr, maxBatchFile+1))
	if err != nil {
		return "", fmt.Errorf("inflate: %w", err)
	}
	if len(b) > maxBatchFile {
		return "", errors.New("inflated file too large")
	}
	return string(b), nil
}

// batchQuery answers txnType 22 for batchNo, the batch's txnTime and its txnSubType (a query of
// another type is answered 34, as for no batch): the result file in
// fileContent. Its layout is the fake gateway's own (UnionPay's is not documented publicly):
//
//	batchNo|totalQty|totalAmt|successQty|successAmt
//	orderId|txnAmt|queryId|respCode|respMsg
//	<one line per row, in file order>
//
// UTF-8, LF line ends.
func (s *Server) batchQuery(req sign.Fields) result {
	s.mu.Lock()
	b := s.batches[batchKey(req["batchNo"], req["txnTime"])]
	if b == nil || b.txnTime != req["txnTime"] || b.subType != req["txnSubType"] { // a payout batch is no collection's
		s.mu.Unlock()
		return result{rej: refuse(CodeNotFound, "no batch %s of txnSubType %s at %s", req["batchNo"], req["txnSubType"],
			req["txnTime"])}
	}
	// Each accepted row is its transaction as a query finds it now (a Script of its orderId
	// moves on, as a query of it would move it).
	codes := make([]string, len(b.rows))
	var okQty, okAmt int64
	for i, r := range b.rows {
		codes[i] = r.code
		if t := s.byQueryID[r.queryID]; r.code == "" && t != nil {
			s.observe(t)
			codes[i] = t.code
		}
		if isSuccess(codes[i]) {
			okQty++
			okAmt += r.amount
		}
	}
	s.mu.Unlock()
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s|%d|%d|%d|%d\norderId|txnAmt|queryId|respCode|respMsg", b.no, b.qty, b.amt, okQty, okAmt)
	for i, r := range b.rows {
		fmt.Fprintf(&sb, "\n%s|%d|%s|%s|%s", r.orderID, r.amount, r.queryID, codes[i], respMsg(codes[i], ""))
	}
	content, err := FileContent([]byte(sb.String()))
	if err != nil {
		return result{rej: refuse("99", "%v", err)}
	}
	return result{code: CodeSuccess, fields: sign.Fields{"fileContent": content, "totalQty": strconv.FormatInt(b.qty, 10),
		"totalAmt": strconv.FormatInt(b.amt, 10), "batchNo": b.no}}
}
