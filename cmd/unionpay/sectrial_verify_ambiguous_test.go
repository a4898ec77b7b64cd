package main

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestSecTrialVerifyLinesAmbiguous: `unionpay verify` says it checks a message "as the SDK
// does", but given key=value lines it does not apply the SDK's rule against pairs the string to
// sign could be read back from otherwise (sign.Unambiguous): two genuine fields given as one
// line, respCode "61&respMsg=..." here, print OK although notify refuses the same fields as
// malformed. An operator checking a forwarded message sees OK for a message whose fields are not
// the ones UnionPay signed (here, no respMsg, and a respCode that reads as neither 61 nor 00).
func TestSecTrialVerifyLinesAmbiguous(t *testing.T) {
	f := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "merId": "777290058110048",
		"orderId": "REFUND0001", "txnTime": "20261125100000", "txnType": "04", "txnAmt": "1000",
		"queryId": "261125100000000000001", "respCode": "61", "respMsg": "over the limit", "settleDate": "1125"}
	s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	require.NoError(t, err)
	require.NoError(t, sign.Sign(s, f))
	merged := f.Clone()
	merged["respCode"] = f["respCode"] + "&respMsg=" + f["respMsg"]
	delete(merged, "respMsg")
	require.True(t, errors.Is(sign.Unambiguous(merged), sign.ErrAmbiguous), "the SDK refuses these fields")

	keys := make([]string, 0, len(merged))
	for k := range merged {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines strings.Builder
	for _, k := range keys {
		lines.WriteString(k + "=" + merged[k] + "\n")
	}
	r := runCLI(t, lines.String(), "verify", "-secure-key", "88888888")
	require.NotEqual(t, exitOK, r.code, "verify printed %q for fields the SDK refuses", r.stdout)
}
