package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// A zip whose ZME member holds a chargeback (settleAmt -4970): -summary sums the ZM records only
// and says nothing of the ZME member, so a script comparing settleAmt with the bank credit is off
// by 49.70 with exit 0 and no signal. Proposed: zmeRecords and zmeSettleAmt in the summary.
func TestTrialSummaryMentionsZME(t *testing.T) {
	r := runCLI(t, "", "reconcile", "-summary", "testdata/trial/777290058110048_20261127_with_zme.zip")
	require.Equal(t, exitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, `"zmeRecords":1`)
}
