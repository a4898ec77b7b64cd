package unionpay_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

func batchRecords() []unionpay.BatchRecord {
	return []unionpay.BatchRecord{
		{OrderID: "0823000300003370", Amount: 100, AccType: "01", AccNo: "6216261000000000018", CustomerName: "全渠道",
			IDType: "01", IDNumber: "341126197709218366", Phone: "13552535506", Postscript: "工资"},
		{OrderID: "0823000300003371", Amount: 900, AccType: "01", AccNo: "6221558812340000", CustomerName: "互联网"},
	}
}

// TestEncodeBatchFile checks the layout of UnionPay's batch file (its payout demo file).
func TestEncodeBatchFile(t *testing.T) {
	t.Parallel()
	file, qty, amount, err := unionpay.EncodeBatchFile("5.0.0", "000401", batchRecords())
	require.NoError(t, err)
	assert.Equal(t, 2, qty)
	assert.Equal(t, int64(1000), amount)
	assert.Equal(t, "5.0.0|1000|2||\n"+
		"orderId|currencyCode|txnAmt|accType|accNo|customerNm|bizType|certifTp|certifId|phoneNo|postscript\n"+
		"0823000300003370|156|100|01|6216261000000000018|全渠道|000401|01|341126197709218366|13552535506|工资\n"+
		"0823000300003371|156|900|01|6221558812340000|互联网|000401||||", string(file))

	bad := batchRecords()
	bad[1].Postscript = "a|b"
	_, _, _, err = unionpay.EncodeBatchFile("5.0.0", "000401", bad)
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "Records[1].Postscript", re.Field)
	assert.NotContains(t, err.Error(), "6221558812340000")
}

// TestEncodeBatchFileRefuses: what would corrupt the file's lines or columns, an empty file and a
// total past 12 digits are refused, naming the argument or the record's field, never the value.
func TestEncodeBatchFileRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		version, bizType string
		edit             func([]unionpay.BatchRecord) []unionpay.BatchRecord
		field            string
	}{
		{"version with | and a line feed", "5.1.0\n|x", "000401", nil, "version"},
		{"version with |", "5.1.0|", "000401", nil, "version"},
		{"version with CR", "5.1.0\r", "000401", nil, "version"},
		{"bizType with |", "5.1.0", "0004|1", nil, "bizType"},
		{"no records", "5.1.0", "000401", func([]unionpay.BatchRecord) []unionpay.BatchRecord { return nil }, "Records"},
		{"empty records", "5.1.0", "000401", func([]unionpay.BatchRecord) []unionpay.BatchRecord { return []unionpay.BatchRecord{} }, "Records"},
		{"postscript with |", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[0].Postscript = "a|b"
			return r
		}, "Records[0].Postscript"},
		{"name with a line feed", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[1].CustomerName = "互\n联网"
			return r
		}, "Records[1].CustomerName"},
		{"card number with |", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[1].AccNo = "6221558812340000|"
			return r
		}, "Records[1].AccNo"},
		// A row's card number follows a single transaction's rule (an insurer's trial).
		{"no card number", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[1].AccNo = ""
			return r
		}, "Records[1].AccNo"},
		{"card number with a dash", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[0].AccNo = "6216-2612"
			return r
		}, "Records[0].AccNo"},
		{"card number of 11", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[0].AccNo = "62162610000"
			return r
		}, "Records[0].AccNo"},
		{"card number of 20", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[0].AccNo = "62162610000000000018"
			return r
		}, "Records[0].AccNo"},
		{"ID number with CR", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[0].IDNumber = "341126197709218366\r"
			return r
		}, "Records[0].IDNumber"},
		{"record bizType with |", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[0].BizType = "|"
			return r
		}, "Records[0].BizType"},
		{"phone not UTF-8", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[0].Phone = "\xff"
			return r
		}, "Records[0].Phone"},
		{"bad order", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[1].OrderID = "x"
			return r
		}, "Records[1].OrderID"},
		{"zero amount", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[1].Amount = 0
			return r
		}, "Records[1].Amount"},
		{"total past 12 digits", "5.1.0", "000401", func(r []unionpay.BatchRecord) []unionpay.BatchRecord {
			r[0].Amount, r[1].Amount = 999999999999, 1
			return r
		}, "Records"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			records := batchRecords()
			if tt.edit != nil {
				records = tt.edit(records)
			}
			file, _, _, err := unionpay.EncodeBatchFile(tt.version, tt.bizType, records)
			assert.Nil(t, file)
			var re *unionpay.RequestError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.field, re.Field)
			for _, secret := range []string{"6221558812340000", "6216261000000000018", "341126197709218366"} {
				assert.NotContains(t, err.Error(), secret)
			}
		})
	}
}

func TestSubmitBatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ      unionpay.BatchType
		bizType  string
		records  []unionpay.BatchRecord
		file     []byte
		qty      int
		amount   int64
		wantFile string
	}{
		{unionpay.BatchPayout, "000401", batchRecords(), nil, 0, 0, ""},
		{unionpay.BatchCollect, "000501", batchRecords(), nil, 0, 0, ""},
		{unionpay.BatchRefund, "000201", nil, []byte("5.0.0|50|1||\nraw refund file"), 1, 50, "5.0.0|50|1||\nraw refund file"},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ), func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			res, err := c.SubmitBatch(context.Background(), &unionpay.BatchRequest{Type: tt.typ, BatchNo: "0001",
				Records: tt.records, File: tt.file, TotalQty: tt.qty, TotalAmount: tt.amount})
			require.NoError(t, err)
			req := g.last()
			assert.Equal(t, "/gateway/api/batchTrans.do", g.paths[0])
			assert.Equal(t, "21", req["txnType"])
			assert.Equal(t, string(tt.typ), req["txnSubType"])
			assert.Equal(t, tt.bizType, req["bizType"])
			assert.Equal(t, "0001", req["batchNo"])
			file, err := unionpay.DecodeFileContent(req["fileContent"], 1<<20)
			require.NoError(t, err)
			if tt.wantFile == "" {
				assert.Equal(t, "2", req["totalQty"])
				assert.Equal(t, "1000", req["totalAmt"])
				assert.Contains(t, string(file), "5.0.0|1000|2||\n") // the file layout's version, not the message's
				assert.Contains(t, string(file), "|"+tt.bizType+"|")
			} else {
				assert.Equal(t, tt.wantFile, string(file))
				assert.Equal(t, "1", req["totalQty"])
			}
			assert.Equal(t, req["totalQty"], fmtInt(res.TotalQty))
			assert.Equal(t, req["totalAmt"], fmtInt(int(res.TotalAmount)))
			assert.Equal(t, "0001", res.BatchNo)
		})
	}
}

func fmtInt(n int) string { return strconv.Itoa(n) }

func TestSubmitBatchOutcomes(t *testing.T) {
	t.Parallel()
	req := &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0002", Records: batchRecords()}
	g := newGateway(t, func(sign.Fields) reply { return reply{status: http.StatusInternalServerError} })
	_, err := newTestClient(t, g).SubmitBatch(context.Background(), req)
	require.ErrorIs(t, err, unionpay.ErrPending, "a batch moves money")

	// An accepted answer about another batch says nothing about this one.
	g = newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, "00", sign.Fields{"batchNo": "0003"})} })
	_, err = newTestClient(t, g).SubmitBatch(context.Background(), req)
	require.ErrorIs(t, err, unionpay.ErrPending, "answer for batch 0003")
	assert.Contains(t, err.Error(), `answer is for batchNo "0003"`)

	g = newGateway(t, func(r sign.Fields) reply { return reply{fields: answerTo(r, "61", nil)} })
	_, err = newTestClient(t, g).SubmitBatch(context.Background(), req)
	var ue *unionpay.Error
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "61", ue.RespCode)

	c := newTestClient(t, g)
	for _, bad := range []*unionpay.BatchRequest{
		{Type: "09", BatchNo: "0001", Records: batchRecords()},
		{Type: unionpay.BatchPayout, BatchNo: "1", Records: batchRecords()},
		{Type: unionpay.BatchPayout, BatchNo: "0001"},
		{Type: unionpay.BatchPayout, BatchNo: "0001", File: []byte("x")},
		{Type: unionpay.BatchPayout, BatchNo: "0001", File: []byte("x"), Records: batchRecords()},
	} {
		_, err := c.SubmitBatch(context.Background(), bad)
		var re *unionpay.RequestError
		require.ErrorAs(t, err, &re)
	}
	// A refund row needs origQryId, which Records have no column for.
	sent := g.count()
	_, err = c.SubmitBatch(context.Background(), &unionpay.BatchRequest{Type: unionpay.BatchRefund, BatchNo: "0001", Records: batchRecords()})
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "Records", re.Field)
	assert.Equal(t, sent, g.count(), "nothing sent")
	// totalAmt has 12 digits: a total past them is refused, whether computed or given.
	huge := batchRecords()[:2]
	huge[0].Amount, huge[1].Amount = 999999999999, 1
	// The error names what the caller set: Records, or the TotalAmount given with File.
	for _, bad := range []struct {
		req   *unionpay.BatchRequest
		field string
	}{
		{&unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001", Records: huge}, "Records"},
		{&unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001", File: []byte("x"), TotalQty: 1, TotalAmount: 1_000_000_000_000}, "TotalAmount"},
	} {
		_, err := c.SubmitBatch(context.Background(), bad.req)
		var re *unionpay.RequestError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, bad.field, re.Field)
	}
}

func TestQueryBatch(t *testing.T) {
	t.Parallel()
	result := []byte("0823000300003370|00|成功\n0823000300003371|51|余额不足")
	batchTime := time.Date(2024, 1, 5, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		answer func(sign.Fields) reply
		check  func(t *testing.T, st *unionpay.BatchStatus, err error)
	}{
		{"result file", accept(sign.Fields{"fileContent": unionpay.EncodeFileContent(result)}), func(t *testing.T, st *unionpay.BatchStatus, err error) {
			require.NoError(t, err)
			assert.Equal(t, result, st.File)
			assert.Equal(t, testMerID+"_0003_20240105170000.txt", st.FileName)
		}},
		{"named file", accept(sign.Fields{"fileName": "DF.txt", "fileContent": unionpay.EncodeFileContent(result)}), func(t *testing.T, st *unionpay.BatchStatus, err error) {
			require.NoError(t, err)
			assert.Equal(t, "DF.txt", st.FileName)
		}},
		{"processing", func(r sign.Fields) reply { return reply{fields: answerTo(r, "05", nil)} }, func(t *testing.T, _ *unionpay.BatchStatus, err error) {
			require.ErrorIs(t, err, unionpay.ErrPending)
		}},
		{"HTTP 503", func(sign.Fields) reply { return reply{status: http.StatusServiceUnavailable} }, func(t *testing.T, _ *unionpay.BatchStatus, err error) {
			require.Error(t, err)
			assert.NotErrorIs(t, err, unionpay.ErrPending, "a batch query moves no money")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, tt.answer)
			st, err := newTestClient(t, g).QueryBatch(context.Background(),
				&unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0003", TxnTime: batchTime})
			tt.check(t, st, err)
			req := g.last()
			assert.Equal(t, "22", req["txnType"])
			assert.Equal(t, "03", req["txnSubType"])
			assert.Equal(t, "000401", req["bizType"])
			assert.Equal(t, "20240105170000", req["txnTime"])
			assert.Equal(t, "0003", req["batchNo"])
		})
	}
}

// hasControl: DEL, C1 (NEL U+0085) and U+2029 are refused like U+2028.
func TestReviewGapControlRunes(t *testing.T) {
	for _, v := range []string{"a\x7fb", "a\u0085b", "a\u2029b"} {
		_, _, _, err := unionpay.EncodeBatchFile("1.0", "000401", []unionpay.BatchRecord{{OrderID: "ORDER0001",
			Amount: 1, AccNo: "6216261000000000018", Postscript: v}})
		if err == nil {
			t.Errorf("Postscript %q accepted", v)
		}
	}
}
