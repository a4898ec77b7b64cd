package main

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// testSM2 is the SM2 test credential of UnionPay's gm SDK (certId 69629716832, expired 2020).
const testSM2 = "../../testdata/sm2/cfca_test.sm2"

func TestCertinfoSM2(t *testing.T) {
	r := runCLI(t, "", "certinfo", "-password", "cfca1234", testSM2)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "certId: 69629716832\n"+
		"subject: CN=041@Ztest@00010000:SIGN@00000001,OU=Enterprises,OU=CUPRA,O=CFCA OCA1,C=cn\n"+
		"issuer: CN=CFCA TEST SM2 OCA1,O=China Financial Certification Authority,C=CN\n"+
		"notBefore: 2018-11-26T10:14:15Z\nnotAfter: 2020-11-26T10:14:15Z\nkeyType: SM2\n"+
		"status: EXPIRED since 2020-11-26T10:14:15Z\n", r.stdout)

	r = runCLI(t, "", "certinfo", "-password", "s3cr3t-pw", testSM2)
	requireFailure(t, r, exitFailed, "wrong .sm2 password")
	assert.NotContains(t, r.stderr, "s3cr3t-pw")
}

// unionpay sign -sign-method 21 signs with the .sm2 key: the output verifies with the
// certificate's key and certId as user ID.
func TestSignSM2(t *testing.T) {
	kv := readTestFile(t, vectorsDir+"/consume_request.kv")
	r := runCLI(t, kv, "sign", "-sign-method", "21", "-sm2", testSM2, "-password", "cfca1234")
	require.Equal(t, exitOK, r.code, r.stderr)
	f, err := sign.ParseForm(r.stdout)
	require.NoError(t, err)
	assert.Equal(t, "21", f["signMethod"])
	assert.Equal(t, "69629716832", f["certId"])
	assert.Len(t, f["signature"], 88)

	cred, err := cert.LoadSM2File(testSM2, "cfca1234")
	require.NoError(t, err)
	c, err := sign.Canonical(f)
	require.NoError(t, err)
	assert.NoError(t, sign.VerifySM2(cred.Certificate.PublicKey.(*ecdsa.PublicKey), "69629716832", c, f["signature"]))

	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"wrong password", []string{"-sign-method", "21", "-sm2", testSM2, "-password", "111111"}, exitFailed, "wrong .sm2 password"},
		{"pfx with 21", []string{"-sign-method", "21", "-sm2", testSM2, "-pfx", testPFX}, exitUsage, "-pfx is for"},
		{"key with 21", []string{"-sign-method", "21", "-sm2", testSM2, "-secure-key", "k"}, exitUsage, "-secure-key is for"},
		{"sm2 with 01", []string{"-sm2", testSM2, "-pfx", testPFX, "-password", "000000"}, exitUsage, "-sm2 is for"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			requireFailure(t, runCLI(t, kv, append([]string{"sign"}, tt.args...)...), tt.code, tt.want)
		})
	}
}

// unionpay decrypt -sm2 opens what is SM2-encrypted to the merchant's certificate.
func TestDecryptSM2(t *testing.T) {
	cred, err := cert.LoadSM2File(testSM2, "cfca1234")
	require.NoError(t, err)
	e, err := cert.NewEncrypter(cred.Certificate)
	require.NoError(t, err)
	ct, err := e.Encrypt("6216***********0018")
	require.NoError(t, err)
	r := runCLI(t, ct+"\n", "decrypt", "-sm2", testSM2, "-password", "cfca1234")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "6216***********0018\n", r.stdout)

	requireFailure(t, runCLI(t, ct, "decrypt", "-sm2", testSM2, "-password", "x"), exitFailed, "wrong .sm2 password")
	requireFailure(t, runCLI(t, ct, "decrypt", "-sm2", testSM2, "-pfx", testPFX), exitUsage, "exclude each other")
	requireFailure(t, runCLI(t, ct, "decrypt", "-pfx", testPFX, "-password", "000000"), exitFailed, "decrypt")
}

// unionpay verify checks signMethod 21 messages against SM2 root and middle given as flags, and
// refuses them when only other methods are trusted.
func TestVerifySM2(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	issue := func(serial int64, cn string, ca bool, parent *sm2TestIdentity) *sm2TestIdentity {
		key, err := sm2.GenerateKey(rand.Reader)
		require.NoError(t, err)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0), BasicConstraintsValid: true, IsCA: ca}
		pc, pk := tmpl, key
		if parent != nil {
			pc, pk = parent.cert, parent.key
		}
		der, err := smx509.CreateCertificate(rand.Reader, tmpl, pc, &key.PublicKey, pk)
		require.NoError(t, err)
		c, err := cert.ParseCertificate(der)
		require.NoError(t, err)
		path := filepath.Join(dir, fmt.Sprint(serial, ".cer"))
		p := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		require.NoError(t, os.WriteFile(path, p, 0o600))
		return &sm2TestIdentity{key: key, cert: c, path: path, pem: strings.ReplaceAll(string(p), "\n", "\r\n")}
	}
	root := issue(1, "SM2 Root", true, nil)
	middle := issue(2, "SM2 Middle", true, root)
	leaf := issue(70000000001, "041@8310000000083040@中国银联股份有限公司@00016495", false, middle)

	f := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "txnType": "01", "orderId": "20261125203000001",
		"txnTime": "20261125203000", "respCode": "00", "signPubKeyCert": leaf.pem}
	s, err := sign.NewSM2Signer(leaf.key, "70000000001")
	require.NoError(t, err)
	require.NoError(t, sign.Sign(s, f))
	form := url.Values{}
	for k, v := range f {
		form.Set(k, v)
	}
	body := form.Encode()
	at := now.Format(time.RFC3339)

	r := runCLI(t, body, "verify", "-sm2-root", root.path, "-sm2-middle", middle.path, "-at", at)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "OK 70000000001 (signMethod 21, 5.1.0, SM2 certificate chain -sm2-root/-sm2-middle)\n", r.stdout)

	requireFailure(t, runCLI(t, body, "verify", "-secure-key", "88888888"), exitFailed, "not accepted")
	requireFailure(t, runCLI(t, strings.Replace(body, "respCode=00", "respCode=01", 1), "verify",
		"-sm2-root", root.path, "-sm2-middle", middle.path, "-at", at), exitFailed, "does not verify")
	requireFailure(t, runCLI(t, body, "verify", "-sm2-root", root.path), exitUsage, "go together")
	// UnionPay's SM2 chain given as -root/-middle names the flags to use (it read as a bad
	// signature, then as "SM2Root or SM2Middle").
	requireFailure(t, runCLI(t, body, "verify", "-root", root.path, "-middle", middle.path, "-at", at), exitFailed,
		"give it as -sm2-root or -sm2-middle")
	// A method not configured names the flags missing.
	requireFailure(t, runCLI(t, body, "verify", "-sm2-verify-cert", leaf.path, "-at", at), exitFailed,
		"version 5.1.0 signMethod 21 (no -sm2-root/-sm2-middle given)")
	requireFailure(t, runCLI(t, strings.Replace(body, "version=5.1.0", "version=5.0.0", 1), "verify",
		"-sm2-root", root.path, "-sm2-middle", middle.path, "-at", at), exitFailed,
		"version 5.0.0 signMethod 21 (no -sm2-verify-cert given)")
}

type sm2TestIdentity struct {
	key       *sm2.PrivateKey
	cert      *x509.Certificate
	path, pem string
}
