package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// Review of d4ba859 (exit 3, ZME totals and columns, -summary CSV, -settle-date checks,
// certinfo -expires-within). TestReviewKill* pass on the reviewed code and kill mutants that the
// commit's own tests let survive; TestReviewBug* fail on the reviewed code (the findings).

const trialZME = "testdata/trial/777290058110048_20261127_with_zme.zip"

// Kills M16 (zmeRecords and zmeSettleAmt swapped in the CSV): the trial zip's CSV totals, whole.
func TestReviewKillSummaryCSVWithZME(t *testing.T) {
	r := runCLI(t, "", "reconcile", "-summary", "-format", "csv", trialZME)
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Equal(t, "records,txnAmtCredit,txnAmtDebit,txnAmtNet,merchantFee,settleAmt,zmeRecords,zmeSettleAmt\n"+
		"2,17345,0,17345,-104,17241,1,-4970\n", r.stdout)
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

// A zip whose ZME member holds a chargeback (settleAmt -4970): -summary sums the ZM records only
// and says nothing of the ZME member, so a script comparing settleAmt with the bank credit is off
// by 49.70 with exit 0 and no signal. Proposed: zmeRecords and zmeSettleAmt in the summary.
func TestTrialSummaryMentionsZME(t *testing.T) {
	r := runCLI(t, "", "reconcile", "-summary", "testdata/trial/777290058110048_20261127_with_zme.zip")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, `"zmeRecords":1`)
}

// -summary -format csv writes the totals as CSV, a header and one row (it wrote JSON).
func TestTrialSummaryIgnoresFormat(t *testing.T) {
	r := runCLI(t, "", "reconcile", "-summary", "-format", "csv", "../../reconcile/testdata/802310048993424_20150905.zip")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Equal(t, "records,txnAmtCredit,txnAmtDebit,txnAmtNet,merchantFee,settleAmt,zmeRecords,zmeSettleAmt\n"+
		"8,1322700,0,1322700,-7936,1314764,0,0\n", r.stdout)
}
