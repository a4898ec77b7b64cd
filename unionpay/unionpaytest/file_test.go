package unionpaytest_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func decodeFileContent(t *testing.T, s string) []byte {
	t.Helper()
	z, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	require.Equal(t, byte(0x78), z[0], "a zlib stream")
	zr, err := zlib.NewReader(bytes.NewReader(z))
	require.NoError(t, err)
	b, err := io.ReadAll(zr)
	require.NoError(t, err)
	return b
}

func TestSettlementFile(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := "http://127.0.0.1:1/n"
	q1 := m.appConsume("SETTLE001", "476800", in)
	q2 := m.appConsume("SETTLE002", "2000", in)
	m.appConsume("SETTLE003", "500", in)
	require.Equal(t, "00", m.back("04", "SETTLE004", q1, "100000", in)["respCode"])
	require.Equal(t, "00", m.back("31", "SETTLE005", q2, "2000", in)["respCode"])
	require.Equal(t, "33", m.back("04", "SETTLE006", q1, "999999", in)["respCode"])
	settleDate := m.clock.Now().Format("0102")

	resp := m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", settleDate, "fileType", "00"))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	assert.Equal(t, m.srv.MerchantID()+"_20261125.zip", resp["fileName"])
	zipped := decodeFileContent(t, resp["fileContent"])

	arch, err := reconcile.Open(zipped)
	require.NoError(t, err)
	zm := arch.First(reconcile.KindZM)
	require.NotNil(t, zm)
	rc, err := zm.Open()
	require.NoError(t, err)
	defer rc.Close()
	raw, err := io.ReadAll(rc)
	require.NoError(t, err)
	for _, line := range strings.SplitAfter(strings.TrimSuffix(string(raw), "\r\n"), "\r\n") {
		assert.Len(t, strings.TrimSuffix(line, "\r\n"), 607, "UnionPay's fixed-width ZM line")
	}
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	var tally reconcile.Tally
	got := map[string]reconcile.Record{}
	for r, err := range reconcile.ZM(bytes.NewReader(raw), day) {
		require.NoError(t, err)
		got[r.OrderID] = r
		tally.Add(&r)
	}
	require.Len(t, got, 5, "three consumes, one refund, one cancel; no refused refund")
	assert.Equal(t, int64(476800), got["SETTLE001"].TxnAmt)
	assert.Equal(t, int64(-2861), got["SETTLE001"].MerchantFee, "0.6% fee as in UnionPay's sample")
	assert.Equal(t, int64(473939), got["SETTLE001"].SettleAmt)
	assert.Equal(t, q1, got["SETTLE004"].OrigQueryID)
	assert.Equal(t, "SETTLE001", got["SETTLE004"].OrigOrderID)
	assert.Equal(t, "04", got["SETTLE004"].TxnType)
	assert.Negative(t, got["SETTLE004"].SettleAmt)
	assert.Equal(t, "31", got["SETTLE005"].TxnType)
	assert.Equal(t, "621626******0018", got["SETTLE002"].AccNo, "as in UnionPay's sample file (622609******0048)")
	assert.Equal(t, m.srv.Records(day), recordsInOrder(got, m.srv.Records(day)), "Records is what the file holds")

	rd := arch.First(reconcile.KindRD)
	require.NotNil(t, rd)
	rdr, err := rd.Open()
	require.NoError(t, err)
	defer rdr.Close()
	summary, err := reconcile.ParseRD(rdr)
	require.NoError(t, err)
	require.NoError(t, summary.Check(&tally), "RD totals agree with the ZM lines")
	assert.Equal(t, int64(5), summary.Total.Count)

	resp = m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", "1124", "fileType", "00"))
	assert.Equal(t, "98", resp["respCode"], "nothing settled that day")
	assert.Nil(t, arch.First(reconcile.KindZME), "no error member without error records")
}

func TestSettlementErrorRecords(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	want := reconcile.ErrorRecord{TxnCode: "E22", AcqInsCode: "88022900", SendInsCode: "00049993", TraceNo: "123456",
		TxnTime: time.Date(2026, 11, 25, 9, 30, 0, 0, reconcile.Beijing()), AccNo: "621626******0018", TxnAmt: 1000,
		MerCatCode: "4899", TermType: "07", PayCardType: "01", MerchantFee: 6, SettleAmt: -994, MerID: m.srv.MerchantID()}
	require.NoError(t, m.srv.AddErrorRecord(day, want))
	zipped, err := m.srv.Settlement(day)
	require.NoError(t, err)
	arch, err := reconcile.Open(zipped)
	require.NoError(t, err)
	zme := arch.First(reconcile.KindZME)
	require.NotNil(t, zme)
	rc, err := zme.Open()
	require.NoError(t, err)
	defer rc.Close()
	var got []reconcile.ErrorRecord
	for r, err := range reconcile.ZME(rc, day) {
		require.NoError(t, err)
		r.Line = 0
		got = append(got, r)
	}
	assert.Equal(t, []reconcile.ErrorRecord{want}, got)
	resp := m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", "1125", "fileType", "00"))
	assert.Equal(t, "00", resp["respCode"], "a day with only error records has a file")
}

func recordsInOrder(got map[string]reconcile.Record, order []reconcile.Record) []reconcile.Record {
	out := make([]reconcile.Record, 0, len(order))
	for _, r := range order {
		x := got[r.OrderID]
		x.Line = 0
		out = append(out, x)
	}
	return out
}

func TestBatch(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	file := "5.0.0|350|3||\norderId|currencyCode|txnAmt|accType|accNo|customerNm|bizType|certifTp|certifId|phoneNo|postscript\n" +
		"BATCHROW1|156|100|01|6216261000000000018|张三|000401|01|341126197709218366|13552535506|工资\n" +
		"BATCH_ROW|156|200|01|6216261000000000018|李四|000401|01|341126197709218366|13552535506|\n" +
		"BATCHROW3|156|50|01|6216261000000000018|王五|000401|01|341126197709218366|13552535506|"
	content, err := unionpaytest.FileContent([]byte(file))
	require.NoError(t, err)
	submit := func(batchNo, qty, amt string) string {
		return m.call(unionpaytest.EndpointBatch, m.fields("21", "03", "000401", "batchNo", batchNo,
			"totalQty", qty, "totalAmt", amt, "fileContent", content))["respCode"]
	}
	assert.Equal(t, "14", submit("0001", "3", "351"), "totals disagree with the file")
	assert.Equal(t, "00", submit("0001", "3", "350"))
	assert.Equal(t, "12", submit("0001", "3", "350"), "batchNo used today")

	resp := m.call(unionpaytest.EndpointBatch, m.fields("22", "03", "000401", "batchNo", "0001"))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	lines := strings.Split(string(decodeFileContent(t, resp["fileContent"])), "\n")
	require.Len(t, lines, 5)
	assert.Equal(t, "0001|3|350|2|150", lines[0])
	assert.True(t, strings.HasPrefix(lines[2], "BATCHROW1|100|"), lines[2])
	assert.Contains(t, lines[3], "|10|", "a row with a bad orderId fails alone")
	q := m.query("BATCHROW3", m.clock.Now().Format("20060102150405"))
	assert.Equal(t, "00", q["origRespCode"], "batch rows are transactions")
	assert.Equal(t, "34", m.call(unionpaytest.EndpointBatch, m.fields("22", "03", "000401", "batchNo", "0002"))["respCode"])
}

func TestMerchantPFX(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	data, err := m.srv.MerchantPFX("123456")
	require.NoError(t, err)
	pfx, err := loadPFX(data, "123456")
	require.NoError(t, err)
	assert.Equal(t, m.srv.MerchantCertID(), pfx.CertID())
	signer, err := pfx.Signer()
	require.NoError(t, err)
	m.signer = signer
	resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "PFXORDER1", "txnAmt", "100",
		"currencyCode", "156", "channelType", "08", "backUrl", "http://127.0.0.1:1/n"))
	assert.Equal(t, "00", resp["respCode"])
	_, err = loadPFX(data, "654321")
	require.Error(t, err)
}

// TestSettlementLongOrderID: the API takes orderIds of up to 40 characters, the ZM file's field
// holds 32: the file carries the first 32 (the whole day's download failed, 99).
func TestSettlementLongOrderID(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	long := strings.Repeat("L", 40)
	m.appConsume(long, "100", "http://127.0.0.1:1/n")
	resp := m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", m.clock.Now().Format("0102"), "fileType", "00"))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	recs := m.srv.Records(day)
	require.Len(t, recs, 1)
	assert.Equal(t, long[:32], recs[0].OrderID)
}

// TestSettlementFilePlatform: a platform merchant's transactions settle with its sub-merchant's
// code and abbreviation in the file, read back through GBK (the file had 000000000000000 and no
// abbreviation; found by a GBK platform merchant's trial). The SDK refuses values longer than the
// file's fields (subMerId 15 bytes, subMerAbbr 32 in GBK); sent by another client, they are cut at
// a whole character.
func TestSettlementFilePlatform(t *testing.T) {
	t.Parallel()
	clock := newClock()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(clock.Now), keys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	const abbr = "杭州西湖龙井茶叶有限公司直营店铺" // 16 characters, 32 bytes in GBK
	cfg.Encoding, cfg.AccessType = "GBK", unionpay.AccessPlatform
	cfg.SubMerchant = unionpay.SubMerchant{ID: "898111148990268", Name: "杭州西湖龙井茶叶有限公司", Abbr: abbr}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	_, err = c.AppConsume(context.Background(), &unionpay.ConsumeRequest{OrderID: "PLATFORM01", Amount: 1000,
		BackURL: "http://127.0.0.1:1/n"})
	require.NoError(t, err)
	_, err = srv.Complete("PLATFORM01", "")
	require.NoError(t, err)
	recs := srv.Records(clock.Now())
	require.Len(t, recs, 1)
	assert.Equal(t, "898111148990268", recs[0].SubMerID)
	assert.Equal(t, abbr, recs[0].SubMerAbbr)

	// Whole characters of an odd (non-ASCII) ID fit the field's 15 bytes, and of a long
	// abbreviation its 32; cut inside one, the day's whole file failed.
	signer, err := srv.MerchantSigner()
	require.NoError(t, err)
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	m := &merchant{t: t, srv: srv, clock: clock, signer: signer, verifier: v, hc: srv.HTTPClient()}
	resp := m.call(unionpaytest.EndpointApp, m.fields("01", "01", "000201", "orderId", "PLATFORM02", "txnAmt", "1000",
		"currencyCode", "156", "channelType", "08", "backUrl", "http://127.0.0.1:1/n", "accessType", "2",
		"subMerId", "ab商户号一二三四五", "subMerName", "杭州西湖龙井茶叶有限公司", "subMerAbbr", "杭州西湖龙井茶叶有限公司龙井茶叶直营店"))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	_, err = srv.Complete("PLATFORM02", "")
	require.NoError(t, err)
	_, err = srv.Settlement(clock.Now())
	require.NoError(t, err)
	recs = srv.Records(clock.Now())
	require.Len(t, recs, 2)
	assert.Equal(t, "ab商户号一二三", recs[1].SubMerID)
	assert.Equal(t, []rune("杭州西湖龙井茶叶有限公司龙井茶叶直营店")[:16], []rune(recs[1].SubMerAbbr), "16 characters: 32 GBK bytes")

	var buf bytes.Buffer
	w := reconcile.NewZMWriter(&buf)
	require.NoError(t, w.Write(&recs[0]), "the record fits the file")
	require.NoError(t, w.Flush())
	for back, err := range reconcile.ZM(&buf, clock.Now()) {
		require.NoError(t, err)
		assert.Equal(t, recs[0].SubMerAbbr, back.SubMerAbbr)
	}
}

// TestSettlementFileAcquirer: an acquirer's transactions settle under the acqInsCode it sent (the
// file had the fake's own for every one; found by an acquirer's trial).
func TestSettlementFileAcquirer(t *testing.T) {
	t.Parallel()
	clock := newClock()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(clock.Now), keys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	cfg.AccessType, cfg.AcquirerCode = unionpay.AccessAcquirer, "48021000123"
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	_, err = c.AppConsume(context.Background(), &unionpay.ConsumeRequest{OrderID: "ACQUIRER01", Amount: 1000,
		BackURL: "http://127.0.0.1:1/n"})
	require.NoError(t, err)
	_, err = srv.Complete("ACQUIRER01", "")
	require.NoError(t, err)
	recs := srv.Records(clock.Now())
	require.Len(t, recs, 1)
	assert.Equal(t, "48021000123", recs[0].AcqInsCode, "all 11 digits")
}

// TestMutationReviewTwoSettlementRecords: the settlement records carry the ledger's amounts
// and the sign of every kind of transaction.
func TestMutationReviewTwoSettlementRecords(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	m.appConsume("MUT2SETC01", "1234", in.URL())
	preAuth := m.call(unionpaytest.EndpointApp, m.fields("02", "01", "000201", "orderId", "MUT2SETP01",
		"txnAmt", "10000", "currencyCode", "156", "channelType", "08", "backUrl", in.URL()))
	require.Equal(t, "00", preAuth["respCode"])
	_, err := m.srv.Complete("MUT2SETP01", "")
	require.NoError(t, err)
	preAuthQID := m.query("MUT2SETP01", preAuth["txnTime"])["queryId"]
	done := m.back("03", "MUT2SETD01", preAuthQID, "10000", in.URL())
	require.Equal(t, "00", done["respCode"])
	require.Equal(t, "00", m.back("33", "MUT2SETU01", done["queryId"], "10000", in.URL())["respCode"])

	byOrder := map[string]int64{}
	amounts := map[string]int64{}
	for _, r := range m.srv.Records(m.clock.Now()) {
		byOrder[r.OrderID] = r.SettleAmt
		amounts[r.OrderID] = r.TxnAmt
	}
	tests := []struct {
		orderID  string
		amount   int64
		positive bool
	}{
		{"MUT2SETC01", 1234, true},
		{"MUT2SETD01", 10000, true},
		{"MUT2SETU01", 10000, false}, // a completion cancel moves money back
	}
	for _, tt := range tests {
		t.Run(tt.orderID, func(t *testing.T) {
			require.Contains(t, amounts, tt.orderID)
			require.Equal(t, tt.amount, amounts[tt.orderID])
			if tt.positive {
				require.Positive(t, byOrder[tt.orderID])
			} else {
				require.Negative(t, byOrder[tt.orderID])
			}
		})
	}
}

// TestMutationReviewTwoFileOfLastYear: in January, settleDate MMDD of a day in last year's
// November names that day (the latest such date not after today).
func TestMutationReviewTwoFileOfLastYear(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	in := newInbox(t, m.verifier)
	day := m.clock.Now()
	m.appConsume("MUT2YEAR01", "100", in.URL())
	m.clock.Advance(time.Date(day.Year()+1, 1, 2, 10, 0, 0, 0, day.Location()).Sub(day))
	tests := []struct {
		settleDate string
		code       string
	}{
		{day.Format("0102"), "00"},
	}
	for _, tt := range tests {
		t.Run(tt.settleDate, func(t *testing.T) {
			resp := m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", tt.settleDate,
				"fileType", "00"))
			require.Equal(t, tt.code, resp["respCode"], resp["respMsg"])
			require.NotEmpty(t, resp["fileContent"])
		})
	}
}

// TestFidelity2FileAndCertUpdate: 76 (RECONCILE §1, §2) and 95 (PROTOCOL §5.4).
func TestFidelity2FileAndCertUpdate(t *testing.T) {
	m := newMerchant(t, unionpaytest.WithReporter(&recorder{}))
	in := newInbox(t, m.verifier)
	m.appConsume("FID2FILE01", "1000", in.URL())
	day := m.clock.Now().Format("0102")
	file := func(kv ...string) sign.Fields {
		f := m.fields("76", "01", "000000", "fileType", "00", "settleDate", day)
		for i := 0; i+1 < len(kv); i += 2 {
			f[kv[i]] = kv[i+1]
		}
		return m.call(unionpaytest.EndpointFile, f)
	}
	r := file()
	require.Equal(t, "00", r["respCode"], r["respMsg"])
	assert.Equal(t, m.srv.MerchantID()+"_"+m.clock.Now().Format("20060102")+".zip", r["fileName"])
	assert.True(t, bytes.HasPrefix(decodeFileContent(t, r["fileContent"]), []byte("PK\x03\x04")), "a zip")
	assert.Equal(t, "98", file("settleDate", "0101")["respCode"], "no transaction that day")
	assert.Equal(t, "10", file("settleDate", m.clock.Now().Format("20060102"))["respCode"], "settleDate is MMDD")
	assert.Equal(t, "10", file("fileType", "01")["respCode"])
	assert.Equal(t, "10", file("txnSubType", "00")["respCode"], "76 is txnSubType 01")

	c := m.call(unionpaytest.EndpointBack, m.fields("95", "00", "000000", "certType", "01", "channelType", "07",
		"orderId", "FID2CERT01"))
	require.Equal(t, "00", c["respCode"], c["respMsg"])
	assert.Equal(t, "01", c["certType"])
	assert.True(t, strings.HasPrefix(c["encryptPubKeyCert"], "-----BEGIN CERTIFICATE-----\r\n"))
	// Unchanged: the same certificate again (the SDK compares serials, PROTOCOL §5.4).
	c2 := m.call(unionpaytest.EndpointBack, m.fields("95", "00", "000000", "certType", "01", "channelType", "07",
		"orderId", "FID2CERT02"))
	assert.Equal(t, c["encryptPubKeyCert"], c2["encryptPubKeyCert"])
	assert.Equal(t, "10", m.call(unionpaytest.EndpointBack, m.fields("95", "00", "000000", "certType", "02",
		"channelType", "07", "orderId", "FID2CERT03"))["respCode"])
}
