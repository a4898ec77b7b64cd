package main

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestVerifyFailureHints: a notification a merchant's handler refused is pasted into verify by
// someone on call, who needs the usual cause, not only "does not verify": a value changed after
// signing (or another secure key), a '+' decoded into a space on the way (base64 with spaces),
// and key=value lines that cannot carry the multi-line signPubKeyCert (not a hint at -raw,
// which does not read them either). A message with no signature gets none of these.
func TestVerifyFailureHints(t *testing.T) {
	g := testGateway(t)
	// The gateway's key is new each run, and one signature in about 230 has no '+' to turn into
	// a space: the orderId is changed until it has one.
	var signed sign.Fields
	for i := 0; i < 100 && !strings.Contains(signed["signature"], "+"); i++ {
		var err error
		signed, err = g.srv.Sign(sign.Fields{"orderId": fmt.Sprintf("ORDER%04d", 5+i), "txnTime": "20261125100000",
			"txnAmt": "1000", "respCode": "00", "respMsg": "成功[0000000]", "txnType": "01"})
		require.NoError(t, err)
	}
	formOf := func(f sign.Fields) string {
		form := url.Values{}
		for k, v := range f {
			form.Set(k, v)
		}
		return form.Encode()
	}
	spaced := sign.Fields{}
	for k, v := range signed {
		spaced[k] = v
	}
	spaced["signature"] = strings.ReplaceAll(signed["signature"], "+", " ")
	spaced["signPubKeyCert"] = strings.ReplaceAll(signed["signPubKeyCert"], "+", " ")
	require.True(t, strings.Contains(signed["signature"]+signed["signPubKeyCert"], "+"), "no '+' to turn into a space")
	keys := make([]string, 0, len(signed))
	for k := range signed {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines strings.Builder
	for _, k := range keys {
		lines.WriteString(k + "=" + signed[k] + "\n")
	}
	unsigned := sign.Fields{}
	for k, v := range signed {
		if k != "signature" {
			unsigned[k] = v
		}
	}
	onlySig, onlyCert := sign.Fields{}, sign.Fields{}
	for k, v := range signed {
		onlySig[k], onlyCert[k] = v, v
	}
	onlySig["signature"], onlyCert["signPubKeyCert"] = spaced["signature"], spaced["signPubKeyCert"]
	require.Contains(t, signed["signature"], "+")
	require.Contains(t, signed["signPubKeyCert"], "+")
	keyLines := readTestFile(t, vectorsDir+"/consume_request.signed-secure-key-11.kv")
	const pemCert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
	keyLinesSM3 := readTestFile(t, vectorsDir+"/consume_request.signed-secure-key-12.kv")
	prodChain := []string{"verify", "-root", "../../testdata/acp-prod-certs/acp_prod_root.cer",
		"-middle", "../../testdata/acp-prod-certs/acp_prod_middle.cer"}
	chain := []string{"verify", "-root", g.root, "-middle", g.middle}
	const changed = "(the message was changed after it was signed: a proxy or framework re-encoding the body, " +
		"a value trimmed or re-cased, the body cut short"

	tests := []struct {
		name      string
		args      []string
		stdin     string
		want, not string
	}{
		{"a value changed", chain, strings.Replace(formOf(signed), "txnAmt=1000", "txnAmt=1001", 1),
			"signature does not verify: RSA (version 5.1.0) " + changed + "; give it exactly as received)", "secure key"},
		{"secure key: another key named too", []string{"verify", "-secure-key", "12345678"}, keyLines,
			changed + ", or signed with another secure key; give it exactly as received)", ""},
		{"'+' decoded as spaces", chain, formOf(spaced),
			"(a base64 value holds spaces: its '+' were decoded as spaces, the body URL-decoded twice on its way; " +
				"give the body exactly as received)", "changed after"},
		{"key=value lines with signPubKeyCert", chain, lines.String(),
			"(key=value lines cannot hold signPubKeyCert, whose PEM spans lines: give the body as received, " +
				"the form body on one line)", "use -raw"},
		{"no signature: no hint", chain, formOf(unsigned), "message has no signature field", "changed after"},
		{"secure key, signMethod 12: another key named too", []string{"verify", "-secure-key", "12345678"}, keyLinesSM3,
			changed + ", or signed with another secure key; give it exactly as received)", ""},
		{"'+' decoded as spaces in the signature only", chain, formOf(onlySig), "(a base64 value holds spaces", "changed after"},
		{"'+' decoded as spaces in signPubKeyCert only", chain, formOf(onlyCert), "(a base64 value holds spaces", "changed after"},
		{"'+' decoded as spaces, body ending in a line break", chain, formOf(spaced) + "\n", "(a base64 value holds spaces",
			"changed after"},
		{"another chain: not a changed message", prodChain, formOf(signed), "unknown authority", "changed after"},
		{"key=value lines with signPubKeyCert given -raw", append(append([]string{}, chain...), "-raw"), lines.String(), "",
			"key=value lines cannot hold"},
		{"two key=value lines with a PEM", chain, "signature=abc\nsignPubKeyCert=" + pemCert + "\n",
			"key=value lines cannot hold", "use -raw"},
		{"one key=value line with a PEM", chain, "signPubKeyCert=" + pemCert + "\n", "use -raw", "key=value lines cannot hold"},
		{"key=value lines and a line of another kind", chain, "orderId=1\ntxnAmt=2\n{x}\n", "use -raw", "key=value lines cannot hold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, tt.args...)
			requireFailure(t, r, exitFailed, tt.want)
			if tt.not != "" {
				assert.NotContains(t, r.stderr, tt.not)
			}
		})
	}
}
