package main

// Review of d4ba859 (exit 3, ZME totals and columns, -summary CSV, -settle-date checks,
// certinfo -expires-within). TestReviewKill* pass on the reviewed code and kill mutants that the
// commit's own tests let survive; TestReviewBug* fail on the reviewed code (the findings).

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

const trialZME = "testdata/trial/777290058110048_20261127_with_zme.zip"

// certinfoAt runs certinfo with the clock at now.
func certinfoAt(t *testing.T, now time.Time, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		getenv: func(string) string { return "" }, now: func() time.Time { return now }}
	code := e.dispatch(append([]string{"certinfo", "-password", "000000"}, args...))
	return result{code, out.String(), errOut.String()}
}

var testPFXNotBefore = time.Date(2018, 11, 26, 3, 54, 31, 0, time.UTC)
var testPFXNotAfter = time.Date(2021, 11, 26, 3, 54, 31, 0, time.UTC)

// Kills M01 (a negative -expires-within accepted).
func TestReviewKillExpiresWithinNegative(t *testing.T) {
	r := certinfoAt(t, testPFXNotAfter.AddDate(0, -3, 0), "-expires-within", "-1h", testPFX)
	requireFailure(t, r, exitUsage, "must not be negative")
}

// Kills M04 (the boundary): with exactly DURATION left the certificate is still valid at
// now+DURATION (x509's notAfter is inclusive), so it does not "expire within" it; a second less
// does. Also a certificate not yet valid fails, whatever its notAfter.
func TestReviewKillExpiresWithinBoundaryAndNotYetValid(t *testing.T) {
	r := certinfoAt(t, testPFXNotAfter.Add(-720*time.Hour), "-expires-within", "720h", testPFX)
	require.Equal(t, exitOK, r.code, r.stderr)
	r = certinfoAt(t, testPFXNotAfter.Add(-720*time.Hour+time.Second), "-expires-within", "720h", testPFX)
	require.Equal(t, exitFailed, r.code, r.stderr)
	assert.Contains(t, r.stderr, "expires within 720h0m0s")
	r = certinfoAt(t, testPFXNotBefore.Add(-time.Hour), "-expires-within", "720h", testPFX)
	require.Equal(t, exitFailed, r.code, r.stderr)
	assert.Contains(t, r.stderr, "NOT YET VALID")
	assert.Contains(t, r.stdout, "status: NOT YET VALID")
}

// Kills M16 (zmeRecords and zmeSettleAmt swapped in the CSV): the trial zip's CSV totals, whole.
func TestReviewKillSummaryCSVWithZME(t *testing.T) {
	r := runCLI(t, "", "reconcile", "-summary", "-format", "csv", trialZME)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Equal(t, "records,txnAmtCredit,txnAmtDebit,txnAmtNet,merchantFee,settleAmt,zmeRecords,zmeSettleAmt\n"+
		"2,17345,0,17345,-104,17241,1,-4970\n", r.stdout)
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

// Kills M21, M22, M23, M34, M35: the ZME row's txnCode and orig* keys, and a ZM refund's
// origTraceNo and origTxnTime, carry the file's values (the sample's ZM rows have them empty).
func TestReviewKillRowOrigKeys(t *testing.T) {
	r := runCLI(t, "", "reconcile", trialZME)
	require.Equal(t, exitOK, r.code, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Contains(t, lines[2], `"txnCode":"E74","origTraceNo":"000004","origTxnTime":"2026-11-27T06:22:03+08:00","origTxnAmt":5000}`)

	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	recs := testRecords(day)
	recs[1].OrigTraceNo, recs[1].OrigTxnTime = "100001", recs[0].TxnTime
	s := reconcile.Settlement{MerID: "777290058110048", MerName: "测试商户", AcqInsCode: "88022900", SettleDate: day, Records: recs}
	zipBytes, err := s.Zip()
	require.NoError(t, err)
	path := writeTestFile(t, t.TempDir(), reconcile.ArchiveName(s.MerID, day), zipBytes)
	r = runCLI(t, "", "reconcile", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	lines = strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[1], `"txnCode":"S30","origTraceNo":"100001","origTxnTime":"2026-11-25T10:00:00+08:00","origTxnAmt":0}`)
}

// zmeLineWith returns the trial zip's ZME line with txnCode (3 bytes) and origTraceNo (6 bytes)
// replaced, as a bare ZME member.
func zmeLineWith(t *testing.T, txnCode, origTraceNo string) []byte {
	t.Helper()
	_, b := memberOf(t, []byte(readTestFile(t, trialZME)), "ZME_")
	line := []byte(string(b))
	require.Len(t, txnCode, 3)
	require.Len(t, origTraceNo, 6)
	copy(line[0:3], txnCode)
	copy(line[90:96], origTraceNo)
	return line
}

// Kills M25 (txnCode and origTraceNo not escaped for a spreadsheet) and M26 (nor made printable).
func TestReviewKillZMETextEscaped(t *testing.T) {
	dir := t.TempDir()
	path := writeTestFile(t, dir, "INN26112788ZME_777290058110048", zmeLineWith(t, "=1+", "-2+3A1"))
	r := runCLI(t, "", "reconcile", "-format", "csv", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, ",'=1+,'-2+3A1,", "formula cells escaped")

	path = writeTestFile(t, dir, "INN26112788ZME_777290058110049", zmeLineWith(t, "\x1b[A", "\x1b]0;x\a"))
	r = runCLI(t, "", "reconcile", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "\x1b")
	var row map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &row))
	assert.Equal(t, `\x1b[A`, row["txnCode"])
}

// Kills M33 (and M10): the commit's test of a -settle-date against the names uses a zip only; a
// bare member's name is checked too.
func TestReviewKillBareMemberSettleDate(t *testing.T) {
	_, zm := memberOf(t, []byte(readTestFile(t, sampleZip)), "ZM_")
	path := writeTestFile(t, t.TempDir(), "INN15090588ZM_802310048993424", zm)
	requireFailure(t, runCLI(t, "", "reconcile", "-settle-date", "20160905", path), exitFailed, "disagrees with the name")
	r := runCLI(t, "", "reconcile", "-settle-date", "20150905", path)
	require.Equal(t, exitOK, r.code, r.stderr)

	zmePath := writeTestFile(t, t.TempDir(), "INN26112788ZME_777290058110048", zmeLineWith(t, "E74", "000004"))
	requireFailure(t, runCLI(t, "", "reconcile", "-summary", "-settle-date", "20261126", zmePath), exitFailed, "disagrees")
	// A bare ZME: no ZM records, its error transaction apart.
	r = runCLI(t, "", "reconcile", "-summary", zmePath)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, `{"records":0,"txnAmtCredit":0,"txnAmtDebit":0,"txnAmtNet":0,"merchantFee":0,"settleAmt":0,"zmeRecords":1,"zmeSettleAmt":-4970}`+"\n", r.stdout)
}

// undatedZip is a zip of a ZM and a ZME member whose names carry no date (not UnionPay's names).
func undatedZip(t *testing.T) []byte {
	t.Helper()
	_, zm := memberOf(t, []byte(readTestFile(t, trialZME)), "ZM_")
	_, zme := memberOf(t, []byte(readTestFile(t, trialZME)), "ZME_")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range map[string][]byte{"ZM_777290058110048": zm, "ZME_777290058110048": zme} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(b)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// Kills M12: a zip whose members carry no date reads with -settle-date (and without it asks for one).
func TestReviewKillUndatedMembers(t *testing.T) {
	path := writeTestFile(t, t.TempDir(), "undated.zip", undatedZip(t))
	r := runCLI(t, "", "reconcile", "-summary", "-settle-date", "20261127", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"zmeRecords":1,"zmeSettleAmt":-4970`)
	requireFailure(t, runCLI(t, "", "reconcile", path), exitUsage, "give -settle-date")
}

// A ZME line that is malformed withholds the -summary totals (JSON and CSV), status 1; a group's
// zip of two stores with a ZME member each adds both.
func TestReviewSummaryMalformedZMEAndGroup(t *testing.T) {
	bad := zmeLineWith(t, "E74", "000004")
	bad[27] = 'X' // the separator before traceNo
	_, zm := memberOf(t, []byte(readTestFile(t, trialZME)), "ZM_")
	_, zme := memberOf(t, []byte(readTestFile(t, trialZME)), "ZME_")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range []struct {
		name string
		b    []byte
	}{{"INN26112788ZM_777290058110048", zm}, {"INN26112788ZME_777290058110048", append(append([]byte{}, zme...), bad...)}} {
		w, err := zw.Create(m.name)
		require.NoError(t, err)
		_, err = w.Write(m.b)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	path := writeTestFile(t, t.TempDir(), "777290058110048_20261127.zip", buf.Bytes())
	for _, format := range []string{"json", "csv"} {
		requireFailure(t, runCLI(t, "", "reconcile", "-summary", "-format", format, path), exitFailed, "ZME")
	}

	// Group: two stores' ZME members, each with one chargeback.
	day := time.Date(2026, 11, 27, 0, 0, 0, 0, reconcile.Beijing())
	other := bytes.Replace(zme, []byte("777290058110048"), []byte("777290058110049"), 1)
	buf.Reset()
	aw := reconcile.NewArchiveWriter(&buf, day)
	for _, m := range []struct {
		name string
		b    []byte
	}{{"INN26112788ZM_898111100000000", zm}, {"INN26112788ZME_777290058110048", zme}, {"INN26112788ZME_777290058110049", other}} {
		w, err := aw.Create(m.name)
		require.NoError(t, err)
		_, err = w.Write(m.b)
		require.NoError(t, err)
	}
	require.NoError(t, aw.Close())
	path = writeTestFile(t, t.TempDir(), "898111100000000_20261127.zip", buf.Bytes())
	r := runCLI(t, "", "reconcile", "-summary", path)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"zmeRecords":2,"zmeSettleAmt":-9940}`)
	requireFailure(t, runCLI(t, "", "reconcile", "-summary", "-settle-date", "20261128", path), exitFailed, "disagrees with the member")
}

// errNoFile is matched through any wrapping; no other command's failure is status 3.
func TestReviewNoFileOnlyForFilecontent(t *testing.T) {
	for _, args := range [][]string{
		{"verify", "-raw", "-secure-key", "88888888"},
		{"sign", "-sign-method", "11", "-secure-key", "88888888"},
		{"decrypt", "-pfx", testPFX, "-password", "000000"},
	} {
		r := runCLI(t, "respCode=98&respMsg=x&signature=x", args...)
		assert.NotEqual(t, exitNoFile, r.code, "%v: %q", args, r.stderr)
	}
	r := runCLI(t, "respCode=98&respMsg=x\r\n", "filecontent")
	assert.Equal(t, exitNoFile, r.code, r.stderr)
}

// ---- Findings: these fail on the reviewed code. ----

// Finding 1: a bare RD report ignores -settle-date: "a -settle-date other than the file's is
// refused" (README) holds for ZM/ZME names and zip members, not for a bare RD, whose name and
// content both say 2015-09-05.
func TestReviewBugBareRDSettleDate(t *testing.T) {
	name, rd := memberOf(t, []byte(readTestFile(t, sampleZip)), "RD")
	path := writeTestFile(t, t.TempDir(), name, rd)
	r := runCLI(t, "", "reconcile", "-settle-date", "20160905", path)
	require.Equal(t, exitFailed, r.code, "bare RD %s with -settle-date 20160905: stdout %q", name, r.stdout)
	assert.Empty(t, r.stdout)
}

// Finding 2: -expires-within 0 (or 0s) given explicitly checks nothing: an EXPIRED certificate
// exits 0, though the help says "exit status 1 when the certificate is not valid now or expires
// within this DURATION".
func TestReviewBugExpiresWithinZero(t *testing.T) {
	r := certinfoAt(t, testPFXNotAfter.AddDate(0, 0, 1), "-expires-within", "0s", testPFX)
	assert.Contains(t, r.stdout, "status: EXPIRED")
	require.Equal(t, exitFailed, r.code, "-expires-within 0s on an expired certificate: stderr %q", r.stderr)
}

// Finding 3: certinfo's usage line does not show -expires-within (README's does).
func TestReviewBugCertinfoUsageLine(t *testing.T) {
	r := runCLI(t, "", "certinfo", "-h")
	require.Equal(t, exitOK, r.code)
	help := r.stdout + r.stderr
	first, _, _ := strings.Cut(help, "\n")
	assert.Contains(t, first, "-expires-within", "usage line %q", first)
	// and -summary's flag line still says it writes only the ZM records' totals
	r = runCLI(t, "", "reconcile", "-h")
	help = r.stdout + r.stderr
	i := strings.Index(help, "  -summary\n")
	require.GreaterOrEqual(t, i, 0)
	assert.NotContains(t, help[i:], "only the totals of the ZM records")
}

// Finding 4: zmeSettleAmt is held at the int64 bound and written as if true: the comment says
// "its totals are refused anyway", but nothing refuses them (the ZM totals' overflow is refused
// through Tally.Err). Reachable with ~9.2 million ZME lines of 12-digit settleAmt (3 GiB, well
// within reconcile.Open's 4 GiB a member / 8 GiB in all at ratio 200).
func TestReviewBugZMESettleAmtSaturatedWritten(t *testing.T) {
	var out bytes.Buffer
	w := newRecordWriter(&out, "json", true)
	for range 3 {
		require.NoError(t, w.zme(&reconcile.ErrorRecord{SettleAmt: math.MaxInt64 / 2}))
	}
	err := w.finish(&reconcile.Tally{}, true)
	assert.Error(t, err, "saturated zmeSettleAmt accepted")
	assert.Empty(t, out.String(), "a saturated total written as a true one")
}
