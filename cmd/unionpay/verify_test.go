package main

import (
	"errors"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/goacp/unionpay/sign"
)

// rawBody joins fields in UnionPay's raw response format (no URL encoding), in key order.
func rawBody(f sign.Fields) string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + f[k])
	}
	return b.String()
}

// A real notification from UnionPay's test environment verifies at a time inside its
// certificate's validity, and fails now that the certificate has expired.
func TestVerifyRealNotification(t *testing.T) {
	body := readTestFile(t, realNotification)
	trust := []string{"verify", "-root", testRoot, "-middle", testMiddle}

	r := runCLI(t, body, append(trust, "-at", "2022-09-08T10:00:00+08:00")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "OK 69678957876 (signMethod 01, 5.1.0, certificate chain -root/-middle)\n", r.stdout)
	assert.Empty(t, r.stderr)

	r = runCLI(t, body, append(trust, "-at", "2024-01-05T00:00:00Z", "-test-names")...)
	assert.Equal(t, exitOK, r.code, r.stderr)

	requireFailure(t, runCLI(t, body, append(trust, "-at", "2026-01-01T00:00:00Z")...), exitFailed, "expired")

	tampered := strings.Replace(body, "txnAmt=1", "txnAmt=2", 1)
	require.NotEqual(t, body, tampered)
	requireFailure(t, runCLI(t, tampered, append(trust, "-at", "2022-09-08T10:00:00+08:00")...),
		exitFailed, "signature does not verify")
}

// Messages signed by the fake gateway (SHA-1 chain, like UnionPay's) verify against its root
// and middle, as notifications and as raw synchronous responses; changed ones do not.
func TestVerifyGatewayMessages(t *testing.T) {
	g := testGateway(t)
	fields := sign.Fields{"orderId": "ORDER0001", "txnTime": "20261125100000", "txnAmt": "1000",
		"respCode": "00", "respMsg": "成功[0000000]", "txnType": "01", "queryId": "261125100000000000001",
		"reserved": "{cardNumberLock=1&x=y}"}
	signed, err := g.srv.Sign(fields)
	require.NoError(t, err)
	certID := g.srv.SigningCertificate().SerialNumber.String()
	form := url.Values{}
	for k, v := range signed {
		form.Set(k, v)
	}
	trust := []string{"verify", "-root", g.root, "-middle", g.middle}
	const chain = " (signMethod 01, 5.1.0, certificate chain -root/-middle)\n"

	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"notification", trust, form.Encode(), exitOK, "OK " + certID + chain},
		{"notification with final newline", trust, form.Encode() + "\r\n", exitOK, "OK " + certID + chain},
		{"raw response", append(trust, "-raw"), rawBody(signed), exitOK, "OK " + certID + chain},
		{"raw response with final newline", append(trust, "-raw"), rawBody(signed) + "\n", exitOK, "OK " + certID + chain},
		{"raw response read as a form", trust, rawBody(signed), exitFailed, "unionpay verify:"},
		{"tampered raw response", append(trust, "-raw"), strings.Replace(rawBody(signed), "txnAmt=1000", "txnAmt=1001", 1),
			exitFailed, "signature does not verify"},
		{"CRLF of signPubKeyCert turned into LF", append(trust, "-raw"), strings.ReplaceAll(rawBody(signed), "\r\n", "\n"),
			exitFailed, "signature does not verify"},
		{"UnionPay's test root does not trust the fake", []string{"verify", "-root", testRoot, "-middle", testMiddle},
			form.Encode(), exitFailed, "unionpay verify: cert:"},
		{"5.1.0 refused when only a secure key is trusted", []string{"verify", "-secure-key", "88888888"},
			form.Encode(), exitFailed, "not accepted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, tt.args...)
			requireOutcome(t, r, tt.code, tt.want)
		})
	}
}

// 5.0.0 messages verify with the certificate named by certId (-verify-cert), and are refused
// when only the 5.1.0 chain is trusted (no downgrade).
func TestVerifyLegacy(t *testing.T) {
	g := testGateway(t)
	signed, err := g.srv.Sign(sign.Fields{"version": "5.0.0", "orderId": "ORDER0002", "txnTime": "20261125100000",
		"respCode": "00", "txnType": "04"})
	require.NoError(t, err)
	body := rawBody(signed)

	r := runCLI(t, body, "verify", "-raw", "-verify-cert", g.signing, "-verify-cert", certsDir+"/unipayCertPublicKey.cer")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "OK "+g.srv.SigningCertificate().SerialNumber.String()+" (signMethod 01, 5.0.0, certificate -verify-cert)\n", r.stdout)

	requireFailure(t, runCLI(t, body, "verify", "-raw", "-root", g.root, "-middle", g.middle),
		exitFailed, "not accepted")
	// The root with the rest of UnionPay's kit is no message signer.
	requireFailure(t, runCLI(t, body, "verify", "-raw", "-verify-cert", g.signing, "-verify-cert", testRoot),
		exitFailed, "is a CA certificate")
	requireFailure(t, runCLI(t, body, "verify", "-raw", "-verify-cert", certsDir+"/unipayCertPublicKey.cer"),
		exitFailed, "no certificate")
}

// A message signed by the sign subcommand with a secure key verifies with verify -secure-key.
func TestVerifySecureKeyRoundTrip(t *testing.T) {
	r := runCLI(t, readTestFile(t, vectorsDir+"/consume_request.kv"), "sign", "-sign-method", "12", "-secure-key", "88888888")
	require.Equal(t, exitOK, r.code, r.stderr)
	signed := r.stdout

	r = runCLI(t, signed, "verify", "-secure-key", "88888888")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "OK (signMethod 12, secure key)\n", r.stdout)

	requireFailure(t, runCLI(t, signed, "verify", "-secure-key", "12345678"), exitFailed, "signature does not verify")
}

func TestVerifyUsage(t *testing.T) {
	body := readTestFile(t, realNotification)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"nothing trusted", nil, "nothing to trust"},
		{"root without middle", []string{"-root", testRoot}, "-root and -middle go together"},
		{"bad time", []string{"-root", testRoot, "-middle", testMiddle, "-at", "yesterday"}, "-at"},
		{"argument", []string{"-secure-key", "k", "message.txt"}, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireFailure(t, runCLI(t, body, append([]string{"verify"}, tt.args...)...), exitUsage, tt.want)
		})
	}
	requireFailure(t, runCLI(t, body, "verify", "-root", testRoot, "-middle", "nope.cer"), exitFailed, "-middle:")
	requireFailure(t, runCLI(t, body, "verify", "-root", testMiddle, "-middle", testRoot), exitFailed, "cert:")
	requireFailure(t, runCLI(t, "a=1&a=2", "verify", "-secure-key", "k"), exitFailed, "malformed")
}

// A GBK response (encoding=GBK, body bytes in GBK) verifies with -raw: the body is re-read in
// the charset it declares.
func TestVerifyRawGBK(t *testing.T) {
	g := testGateway(t)
	signed, err := g.srv.Sign(sign.Fields{"encoding": "GBK", "orderId": "ORDER0003", "txnTime": "20261125100000",
		"respCode": "00", "respMsg": "成功[0000000]", "txnType": "01"})
	require.NoError(t, err)
	body, err := simplifiedchinese.GBK.NewEncoder().String(rawBody(signed))
	require.NoError(t, err)
	require.NotEqual(t, rawBody(signed), body)

	r := runCLI(t, body, "verify", "-raw", "-root", g.root, "-middle", g.middle)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "OK "+g.srv.SigningCertificate().SerialNumber.String()+" (signMethod 01, 5.1.0, certificate chain -root/-middle)\n", r.stdout)

	// Read as UTF-8, the same message does not verify.
	utf8Declared := strings.Replace(body, "encoding=GBK", "encoding=UTF-8", 1)
	requireFailure(t, runCLI(t, utf8Declared, "verify", "-raw", "-root", g.root, "-middle", g.middle),
		exitFailed, "unionpay verify:")
}

// TestVerifyEnvironmentIsNoTrust: an exported $UNIONPAY_SECURE_KEY does not add secure-key trust
// to a check against the certificate chain; a message signed with the (public) test key is
// refused unless -secure-key-env asks for it, and the output names what accepted a message.
func TestVerifyEnvironmentIsNoTrust(t *testing.T) {
	forged := runCLI(t, "merId=777290058110048\norderId=SHOP0001\ntxnAmt=99999900\nrespCode=00\n",
		"sign", "-sign-method", "11", "-secure-key", "88888888")
	require.Equal(t, exitOK, forged.code, forged.stderr)
	chain := []string{"verify", "-root", testRoot, "-middle", testMiddle}
	tests := []struct {
		name string
		args []string
		code int
		want string // stdout, or stderr for a failure
	}{
		{"chain only, variable set", chain, exitFailed, "not accepted"},
		{"chain and -secure-key-env", append(slices.Clip(chain), "-secure-key-env"), exitOK,
			"OK (signMethod 11, secure key)\n"},
		{"-secure-key", []string{"verify", "-secure-key", "88888888"}, exitOK, "OK (signMethod 11, secure key)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runEnv("88888888", forged.stdout, tt.args...)
			requireOutcome(t, r, tt.code, tt.want)
		})
	}
}

// verify takes the key=value lines that sign takes, says so when stdin is empty, and hints at
// -raw when the input is in the other format.
func TestVerifyInputFormats(t *testing.T) {
	g := testGateway(t)
	signed, err := g.srv.Sign(sign.Fields{"orderId": "ORDER0004", "txnTime": "20261125100000", "txnAmt": "1000",
		"respCode": "00", "respMsg": "成功[0000000]", "txnType": "01"})
	require.NoError(t, err)
	form := url.Values{}
	for k, v := range signed {
		form.Set(k, v)
	}
	lines := readTestFile(t, vectorsDir+"/consume_request.signed-secure-key-11.kv")
	key := []string{"verify", "-secure-key", "88888888"}
	chain := []string{"verify", "-root", g.root, "-middle", g.middle}

	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string // stdout, or stderr for a failure
	}{
		{"key=value lines", key, lines, exitOK, "OK (signMethod 11, secure key)\n"},
		{"key=value lines with CRLF and a comment", key, "# saved\r\n" + strings.ReplaceAll(lines, "\n", "\r\n"),
			exitOK, "OK (signMethod 11, secure key)\n"},
		{"tampered key=value lines", key, strings.Replace(lines, "txnAmt=1000", "txnAmt=1001", 1),
			exitFailed, "signature does not verify"},
		{"empty stdin", key, "", exitFailed, "no message on standard input"},
		{"blank stdin", key, " \n\n", exitFailed, "no message on standard input"},
		{"empty stdin with -raw", append(key, "-raw"), "", exitFailed, "no message on standard input"},
		{"raw answer without -raw", chain, rawBody(signed), exitFailed, "use -raw"},
		{"form body with -raw", append(chain, "-raw"), form.Encode(), exitFailed, "leave out -raw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, tt.args...)
			requireOutcome(t, r, tt.code, tt.want)
		})
	}
}

// A raw answer saved on Windows, or piped by PowerShell (Get-Content answer.txt | unionpay ...),
// ends in CR LF. UnionPay's raw answers need not end with signature; here the same answer with
// its fields reordered (the canonical string sorts them) ends with another field.
func TestPortRawAnswerCRLF(t *testing.T) {
	g := testGateway(t)
	d := testSettlement(t)
	parts := strings.Split(d.rawAnswer, "&")
	var sig string
	var rest []string
	for _, p := range parts {
		if strings.HasPrefix(p, "signature=") {
			sig = p
		} else {
			rest = append(rest, p)
		}
	}
	reordered := sig + "&" + strings.Join(rest, "&")
	t.Logf("tail: %q", reordered[len(reordered)-30:])
	r := runCLI(t, reordered, "verify", "-raw", "-root", g.root, "-middle", g.middle)
	assert.Equal(t, exitOK, r.code, "LF-free: %s", r.stderr)
	r = runCLI(t, reordered+"\n", "verify", "-raw", "-root", g.root, "-middle", g.middle)
	assert.Equal(t, exitOK, r.code, "LF: %s", r.stderr)
	r = runCLI(t, reordered+"\r\n", "verify", "-raw", "-root", g.root, "-middle", g.middle)
	assert.Equal(t, exitOK, r.code, "CRLF: %s", r.stderr)
}

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
