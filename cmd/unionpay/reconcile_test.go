package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// UnionPay's official sample zip: eight consumes whose totals match its RD report.
func TestReconcileOfficialSample(t *testing.T) {
	r := runCLI(t, "", "reconcile", sampleZip)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Empty(t, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 8)
	assert.Equal(t, `{"kind":"ZM","line":1,"orderId":"10078087","queryId":"201509061122031906248","origQueryId":"",`+
		`"origOrderId":"","merId":"802310048993424","txnType":"01","txnSubType":"","bizType":"000201",`+
		`"txnTime":"2015-09-06T11:22:03+08:00","traceNo":"190624","accNo":"622609******0048","txnAmt":476800,`+
		`"merchantFee":-2861,"settleAmt":473939,"subMerId":"","subMerAbbr":"","txnCode":"S56","origTraceNo":"",`+
		`"origTxnTime":"","origTxnAmt":0}`, lines[0])
	for _, l := range lines {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m))
		for _, k := range []string{"orderId", "queryId", "origQueryId", "merId", "txnType", "txnTime", "txnAmt", "merchantFee", "settleAmt"} {
			assert.Contains(t, m, k)
		}
	}

	r = runCLI(t, "", "reconcile", "-summary", sampleZip)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, `{"records":8,"txnAmtCredit":1322700,"txnAmtDebit":0,"txnAmtNet":1322700,"merchantFee":-7936,"settleAmt":1314764,"zmeRecords":0,"zmeSettleAmt":0}`+"\n", r.stdout)

	r = runCLI(t, "", "reconcile", "-format", "csv", sampleZip)
	require.Equal(t, exitOK, r.code, r.stderr)
	csvLines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, csvLines, 9)
	assert.Equal(t, "kind,line,orderId,queryId,origQueryId,origOrderId,merId,txnType,txnSubType,bizType,txnTime,"+
		"traceNo,accNo,txnAmt,merchantFee,settleAmt,subMerId,subMerAbbr,txnCode,origTraceNo,origTxnTime,origTxnAmt", csvLines[0])
	assert.Equal(t, "ZM,1,10078087,201509061122031906248,,,802310048993424,01,,000201,2015-09-06T11:22:03+08:00,"+
		"190624,622609******0048,476800,-2861,473939,,,S56,,,0", csvLines[1], "no sub-merchant: the file's zeros left out")
}

// memberOf returns the bytes of the zip member whose name contains part.
func memberOf(t *testing.T, zipBytes []byte, part string) (string, []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
	require.NoError(t, err)
	for _, f := range zr.File {
		if strings.Contains(f.Name, part) {
			rc, err := f.Open()
			require.NoError(t, err)
			b, err := io.ReadAll(rc)
			require.NoError(t, err)
			require.NoError(t, rc.Close())
			return f.Name, b
		}
	}
	t.Fatalf("no member %q", part)
	return "", nil
}

// A bare ZM member reads like the zip; its settle date comes from its name or -settle-date.
func TestReconcileBareMember(t *testing.T) {
	name, zm := memberOf(t, []byte(readTestFile(t, sampleZip)), "ZM_")
	dir := t.TempDir()
	named := writeTestFile(t, dir, name, zm)
	anonymous := writeTestFile(t, dir, "zm.txt", zm)
	want := runCLI(t, "", "reconcile", "-summary", sampleZip).stdout

	r := runCLI(t, "", "reconcile", "-summary", named)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, want, r.stdout)

	requireFailure(t, runCLI(t, "", "reconcile", anonymous), exitUsage, "give -settle-date")
	r = runCLI(t, "", "reconcile", "-summary", "-settle-date", "20150905", anonymous)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, want, r.stdout)

	// The settle date gives MMDDhhmmss its year: the nearest to it.
	r = runCLI(t, "", "reconcile", "-settle-date", "20160101", anonymous)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"txnTime":"2015-09-06T11:22:03+08:00"`)
}

// testRecords are two settled transactions, a consume and its partial refund.
func testRecords(day time.Time) []reconcile.Record {
	at := day.Add(10 * time.Hour)
	base := reconcile.Record{TxnCode: "S56", AcqInsCode: "88022900", SendInsCode: "00049993", TraceNo: "100001",
		TxnTime: at, AccNo: "621626*********0018", MerCatCode: "4899", TermType: "07", LegacyPayType: "01",
		PayCardType: "01", PayType: "0001", BizType: "000201", MerID: "777290058110048", SubMerID: "000000000000000",
		TxnMedium: "7"}
	consume := base
	consume.QueryID, consume.OrderID, consume.TxnType, consume.TxnSubType = "261125100000000000001", "SHOP0001", "01", "01"
	consume.TxnAmt, consume.MerchantFee, consume.SettleAmt, consume.NetSettleAmt = 10000, -60, 9940, 9940
	refund := base
	refund.TxnCode, refund.TraceNo, refund.TxnTime = "S30", "100002", at.Add(time.Hour)
	refund.QueryID, refund.OrderID, refund.TxnType, refund.TxnSubType = "261125110000000000002", "SHOP0002", "04", "00"
	refund.OrigQueryID, refund.OrigOrderID = consume.QueryID, consume.OrderID
	refund.TxnAmt, refund.MerchantFee, refund.SettleAmt, refund.NetSettleAmt = 4000, 24, -3976, -3976
	return []reconcile.Record{consume, refund}
}

// A zip written with the reconcile package's writers, with a ZME member, reads back; the
// refund's amounts are negative.
func TestReconcileWrittenZip(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	s := reconcile.Settlement{MerID: "777290058110048", MerName: "测试商户", AcqInsCode: "88022900", SettleDate: day,
		Records: testRecords(day),
		ErrorRecords: []reconcile.ErrorRecord{{TxnCode: "E74", AcqInsCode: "88022900", SendInsCode: "00049993",
			TraceNo: "100003", TxnTime: day.Add(9 * time.Hour), AccNo: "621626*********0018", TxnAmt: 500,
			MerCatCode: "4899", TermType: "07", PayCardType: "01", MerchantFee: 3, SettleAmt: -497,
			MerID: "777290058110048"}},
	}
	zipBytes, err := s.Zip()
	require.NoError(t, err)
	path := writeTestFile(t, t.TempDir(), reconcile.ArchiveName(s.MerID, day), zipBytes)

	r := runCLI(t, "", "reconcile", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Contains(t, lines[1], `"orderId":"SHOP0002","queryId":"261125110000000000002","origQueryId":"261125100000000000001","origOrderId":"SHOP0001"`)
	assert.Contains(t, lines[1], `"txnAmt":4000,"merchantFee":24,"settleAmt":-3976,`)
	assert.Contains(t, lines[2], `{"kind":"ZME","line":1,"orderId":"","queryId":""`)
	assert.Contains(t, lines[2], `"txnAmt":500,"merchantFee":3,"settleAmt":-497,`)

	r = runCLI(t, "", "reconcile", "-summary", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, `{"records":2,"txnAmtCredit":10000,"txnAmtDebit":4000,"txnAmtNet":6000,"merchantFee":-36,"settleAmt":5964,"zmeRecords":1,"zmeSettleAmt":-497}`+"\n", r.stdout)
}

// Totals that disagree with the RD report, a malformed line and a broken zip fail with status 1.
func TestReconcileFailures(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	records := testRecords(day)
	dir := t.TempDir()

	// The RD report counts only the consume; the ZM member holds both.
	var tally reconcile.Tally
	tally.Add(&records[0])
	var zm, rd, zipBuf bytes.Buffer
	w := reconcile.NewZMWriter(&zm)
	for i := range records {
		require.NoError(t, w.Write(&records[i]))
	}
	require.NoError(t, w.Flush())
	require.NoError(t, reconcile.WriteRD(&rd, tally.Summary("777290058110048", "测试商户", "88022900", day, day)))
	aw := reconcile.NewArchiveWriter(&zipBuf, day)
	for kind, data := range map[reconcile.Kind][]byte{reconcile.KindZM: zm.Bytes(), reconcile.KindRD: rd.Bytes()} {
		mw, err := aw.Create(reconcile.MemberName(kind, "777290058110048", day))
		require.NoError(t, err)
		_, err = mw.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, aw.Close())
	mismatch := writeTestFile(t, dir, "mismatch.zip", zipBuf.Bytes())
	r := runCLI(t, "", "reconcile", mismatch)
	assert.Equal(t, exitFailed, r.code)
	assert.Equal(t, 2, strings.Count(r.stdout, "\n"), "the records are still written")
	assert.Contains(t, r.stderr, "disagree with the RD summary report")

	// A ZM member with a truncated second line.
	lines := strings.SplitAfter(zm.String(), "\r\n")
	broken := lines[0] + lines[1][:100] + "\r\n"
	bad := writeTestFile(t, dir, "INN26112588ZM_777290058110048", []byte(broken))
	r = runCLI(t, "", "reconcile", bad)
	assert.Equal(t, exitFailed, r.code)
	assert.Equal(t, 1, strings.Count(r.stdout, "\n"), "the good record is still written")
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"))
	assert.Contains(t, r.stderr, "line 2")

	notZip := writeTestFile(t, dir, "broken.zip", append([]byte("PK\x03\x04"), make([]byte, 64)...))
	requireFailure(t, runCLI(t, "", "reconcile", notZip), exitFailed, "download it again")
	cut := writeTestFile(t, dir, "cut.zip", zipBuf.Bytes()[:zipBuf.Len()/2]) // a download cut short
	requireFailure(t, runCLI(t, "", "reconcile", cut), exitFailed, "a file cut short or damaged: download it again")
	// A zip over a limit is not damaged: no advice to download it again.
	var many bytes.Buffer
	zw := zip.NewWriter(&many)
	for i := range reconcile.DefaultMaxMembers + 1 {
		_, err := zw.Create(strings.Repeat("m", i+1))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	r = runCLI(t, "", "reconcile", writeTestFile(t, dir, "many.zip", many.Bytes()))
	requireFailure(t, r, exitFailed, "members, limit 64")
	assert.NotContains(t, r.stderr, "download it again")
	requireFailure(t, runCLI(t, "", "reconcile", filepath.Join(dir, "missing.zip")), exitFailed, notExist(filepath.Join(dir, "missing.zip")))
	requireFailure(t, runCLI(t, "", "reconcile", "-format", "xml", sampleZip), exitUsage, "-format")
	requireFailure(t, runCLI(t, "", "reconcile", "-settle-date", "2015-09-05", sampleZip), exitUsage, "-settle-date")
	requireFailure(t, runCLI(t, "", "reconcile"), exitUsage, "missing FILE")
}

// A platform's records show their sub-merchant (subMerId, subMerAbbr in GBK) in JSON and CSV, so
// that the file can be split by shop (a platform's trial).
func TestReconcileSubMerchant(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	recs := testRecords(day)
	recs[0].SubMerID, recs[0].SubMerAbbr = "898111148990268", "龙井茶叶"
	recs[1].SubMerID, recs[1].SubMerAbbr = "898111148990269", "=小笼包"
	s := reconcile.Settlement{MerID: "777290058110048", MerName: "测试商户", AcqInsCode: "88022900", SettleDate: day,
		Records: recs}
	zipBytes, err := s.Zip()
	require.NoError(t, err)
	path := writeTestFile(t, t.TempDir(), reconcile.ArchiveName(s.MerID, day), zipBytes)

	r := runCLI(t, "", "reconcile", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"subMerId":"898111148990268","subMerAbbr":"龙井茶叶",`)
	assert.Contains(t, lines[1], `"subMerId":"898111148990269","subMerAbbr":"=小笼包",`)

	r = runCLI(t, "", "reconcile", "-format", "csv", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	lines = strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Contains(t, lines[1], ",898111148990268,龙井茶叶,")
	assert.Contains(t, lines[2], ",898111148990269,'=小笼包,", "a formula escaped")
}

// A group's zip holds its stores' records and an RD per store (and one for the group): each RD
// is checked against its own merchant's records, the group's against them all (every store's RD
// was checked against the whole zip, and every correct group file failed; found by a group's
// trial). A store whose records disagree with its RD is named.
func TestReconcileGroupRDs(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	recs := testRecords(day)
	recs[1].MerID = "777290058110049" // the refund is the second store's
	build := func(storeRD func(merID string, tally *reconcile.Tally)) string {
		var buf bytes.Buffer
		aw := reconcile.NewArchiveWriter(&buf, day)
		w, err := aw.Create(reconcile.MemberName(reconcile.KindZM, "898111100000000", day))
		require.NoError(t, err)
		zw := reconcile.NewZMWriter(w)
		all := &reconcile.Tally{}
		for i := range recs {
			require.NoError(t, zw.Write(&recs[i]))
			all.Add(&recs[i])
		}
		require.NoError(t, zw.Flush())
		for _, merID := range []string{"777290058110048", "777290058110049"} {
			var tally reconcile.Tally
			for i := range recs {
				if recs[i].MerID == merID {
					tally.Add(&recs[i])
				}
			}
			storeRD(merID, &tally)
			w, err := aw.Create(reconcile.MemberName(reconcile.KindRD, merID, day))
			require.NoError(t, err)
			require.NoError(t, reconcile.WriteRD(w, tally.Summary(merID, "门店", "88022900", day, day)))
		}
		w, err = aw.Create(reconcile.MemberName(reconcile.KindRD, "898111100000000", day))
		require.NoError(t, err)
		require.NoError(t, reconcile.WriteRD(w, all.Summary("898111100000000", "集团", "88022900", day, day)))
		require.NoError(t, aw.Close())
		return writeTestFile(t, t.TempDir(), reconcile.ArchiveName("898111100000000", day), buf.Bytes())
	}
	r := runCLI(t, "", "reconcile", "-summary", build(func(string, *reconcile.Tally) {}))
	require.Equal(t, exitOK, r.code, r.stderr)

	// The second store's RD counts a record more than its records.
	extra := recs[1]
	r = runCLI(t, "", "reconcile", "-summary", build(func(merID string, tally *reconcile.Tally) {
		if merID == "777290058110049" {
			tally.Add(&extra)
		}
	}))
	assert.NotEqual(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "of merId 777290058110049")
	assert.Contains(t, r.stderr, reconcile.MemberName(reconcile.KindRD, "777290058110049", day))
	assert.NotContains(t, r.stderr, "of merId 777290058110048")
}

// Kills M18, M19, M20: addSaturating at both bounds (MinInt64+MinInt64 wraps to exactly 0).
func TestReviewKillAddSaturating(t *testing.T) {
	for _, tc := range []struct{ a, b, want int64 }{
		{math.MaxInt64, 1, math.MaxInt64},
		{math.MaxInt64, math.MaxInt64, math.MaxInt64},
		{math.MinInt64, -1, math.MinInt64},
		{math.MinInt64, math.MinInt64, math.MinInt64},
		{math.MaxInt64, math.MinInt64, -1},
		{-5, 3, -2},
	} {
		assert.Equal(t, tc.want, addSaturating(tc.a, tc.b), "%d + %d", tc.a, tc.b)
	}
}

// A 0-byte FILE (a truncated download, "> day.zip" gone wrong, a disk full) is not a settlement
// file: UnionPay publishes no file for a day without transactions (respCode 98). reconcile reads
// it as a bare ZM member with no records and exits 0, and -summary prints {"records":0,...}: a
// nightly script sees an uneventful day.
func TestTrialReconcileEmptyFileFails(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"INN26112788ZM_777290058110048", nil},
		{"777290058110048_20261127.zip", []string{"-settle-date", "20261127"}},
	} {
		p := filepath.Join(dir, tc.name)
		require.NoError(t, os.WriteFile(p, nil, 0o600))
		for _, extra := range [][]string{nil, {"-summary"}} {
			args := append(append(append([]string{"reconcile"}, extra...), tc.args...), p)
			r := runCLI(t, "", args...)
			require.Equal(t, exitFailed, r.code, "%v: stdout %q stderr %q", args, r.stdout, r.stderr)
			require.Empty(t, r.stdout, "%v", args)
		}
	}
}
