package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A nightly job must tell "UnionPay has no file for that day" (respCode 98: nothing settled, or
// not published yet: retry later) from a corrupt or failed answer (alert now). filecontent exits
// 1 for both, the only difference the text on stderr: 98 has a status of its own (3).
func TestTrialFilecontentNoFileHasItsOwnStatus(t *testing.T) {
	noFile := "accessType=0&bizType=000000&encoding=UTF-8&fileType=00&merId=777290058110048&respCode=98&respMsg=文件不存在[0000098]&settleDate=1120&txnType=76&version=5.1.0"
	corrupt := "accessType=0&bizType=000000&encoding=UTF-8&fileContent=!!!!&merId=777290058110048&respCode=00&respMsg=ok&settleDate=1120&txnType=76&version=5.1.0"
	a := runCLI(t, noFile, "filecontent")
	b := runCLI(t, corrupt, "filecontent")
	require.NotEqual(t, exitOK, a.code)
	require.NotEqual(t, exitOK, b.code)
	require.NotEqual(t, a.code, b.code, "respCode 98 %q and a corrupt fileContent %q share exit status %d", a.stderr, b.stderr, a.code)
}

// -summary -format csv writes the totals as CSV, a header and one row (it wrote JSON).
func TestTrialSummaryIgnoresFormat(t *testing.T) {
	r := runCLI(t, "", "reconcile", "-summary", "-format", "csv", "../../reconcile/testdata/802310048993424_20150905.zip")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Equal(t, "records,txnAmtCredit,txnAmtDebit,txnAmtNet,merchantFee,settleAmt,zmeRecords,zmeSettleAmt\n"+
		"8,1322700,0,1322700,-7936,1314764,0,0\n", r.stdout)
}
