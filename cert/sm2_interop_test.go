package cert

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// Interop with an independent implementation of UnionPay's gm SDK
// algorithm (BouncyCastle, see testdata/sm2/README.md). -sm2-interop-update
// rewrites the Go side of the vectors (canonicals, go-signatures,
// go-ciphertexts); the Java program must then be run again.
var sm2InteropUpdate = flag.Bool("sm2-interop-update", false, "rewrite testdata/sm2 go-* vectors")

const sm2InteropDir = "testdata/sm2"

// sm2InteropMessages are the messages whose strings to sign both sides sign.
func sm2InteropMessages(t testing.TB) map[string]sign.Fields {
	cred := loadSM2Credential(t)
	pemText := strings.ReplaceAll(string(pemOf(cred.Certificate.Raw)), "\n", "\r\n")
	consume := sign.Fields{
		"version": "5.1.0", "encoding": "UTF-8", "txnType": "01", "txnSubType": "01", "bizType": "000201",
		"channelType": "07", "accessType": "0", "merId": "777290058110048", "orderId": "20261125203000001",
		"txnTime": "20261125203000", "txnAmt": "1000", "currencyCode": "156",
		"frontUrl": "https://shop.example.com/unionpay/return", "backUrl": "https://shop.example.com/unionpay/notify",
		"riskRateInfo": "{commodityName=测试商品}", "signMethod": "21", "certId": sm2CredentialCertID,
	}
	gbk := consume.Clone()
	gbk["encoding"] = "GBK"
	response := sign.Fields{
		"version": "5.1.0", "encoding": "UTF-8", "respCode": "00", "respMsg": "成功[0000000]",
		"signMethod": "21", "certId": sm2CredentialCertID, "signPubKeyCert": pemText,
		"reserved": "{cardNumberLock=1&x=y}",
	}
	legacy := sign.Fields{"version": "5.0.0", "encoding": "UTF-8", "txnType": "00", "orderId": "A1",
		"signMethod": "21", "certId": sm2CredentialCertID}
	return map[string]sign.Fields{"consume-utf8": consume, "consume-gbk": gbk, "response-pem": response, "legacy-500": legacy}
}

func pemOf(der []byte) []byte {
	b64 := base64.StdEncoding.EncodeToString(der)
	var sb strings.Builder
	sb.WriteString("-----BEGIN CERTIFICATE-----\n")
	for len(b64) > 64 {
		sb.WriteString(b64[:64] + "\n")
		b64 = b64[64:]
	}
	sb.WriteString(b64 + "\n-----END CERTIFICATE-----\n")
	return []byte(sb.String())
}

// readVectors reads a whitespace-separated vector file, skipping comments.
func readVectors(t testing.TB, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(sm2InteropDir, name))
	require.NoError(t, err)
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			rows = append(rows, strings.Fields(line))
		}
	}
	require.NoError(t, sc.Err())
	return rows
}

func canonicalsByName(t testing.TB) map[string][]byte {
	m := map[string][]byte{}
	for _, row := range readVectors(t, "canonicals.txt") {
		b, err := hex.DecodeString(row[1])
		require.NoError(t, err)
		m[row[0]] = b
	}
	return m
}

// BouncyCastle's signatures over our strings to sign, with the test
// credential's key, verify here; its deliberate mistakes do not.
func TestSM2InteropBouncyCastleSignatures(t *testing.T) {
	t.Parallel()
	cred := loadSM2Credential(t)
	pub := sm2PublicKey(cred.Certificate)
	canon := canonicalsByName(t)
	messages := sm2InteropMessages(t)
	for name, f := range messages {
		c, err := sign.Canonical(f)
		require.NoError(t, err)
		assert.Equal(t, hex.EncodeToString(c), hex.EncodeToString(canon[name]), "canonicals.txt %s is current", name)
	}
	rows := readVectors(t, "bc-signatures.txt")
	require.GreaterOrEqual(t, len(rows), len(messages)+2)
	for _, row := range rows {
		name, expect, sig := row[0], row[1], row[2]
		c, ok := canon[name]
		require.True(t, ok, name)
		err := sign.VerifySM2(pub, sm2CredentialCertID, c, sig)
		if expect == "valid" {
			assert.NoError(t, err, "%s %s", name, expect)
		} else {
			assert.ErrorIs(t, err, sign.ErrSignature, "%s %s", name, expect)
		}
	}
}

// BouncyCastle's ciphertexts (SM2Engine C1C2C3 reordered to C1C3C2, as the
// gm SDK does) decrypt here.
func TestSM2InteropBouncyCastleCiphertexts(t *testing.T) {
	t.Parallel()
	cred := loadSM2Credential(t)
	rows := readVectors(t, "bc-ciphertexts.txt")
	require.NotEmpty(t, rows)
	for _, row := range rows {
		expect, plainHex, ct := row[0], row[1], row[2]
		got, err := sm2Decrypt(cred.Key, ct)
		if expect == "valid" {
			require.NoError(t, err, plainHex)
			assert.Equal(t, plainHex, hex.EncodeToString(got))
		} else {
			assert.Error(t, err, "%s %s", expect, plainHex)
		}
	}
}

// Our signatures and ciphertexts, checked by BouncyCastle: its verdicts
// (bc-report.txt) match what each vector is meant to be, and the vectors
// still hold here.
func TestSM2InteropGoVectorsCheckedByBouncyCastle(t *testing.T) {
	t.Parallel()
	cred := loadSM2Credential(t)
	pub := sm2PublicKey(cred.Certificate)
	canon := canonicalsByName(t)
	verdicts := map[string]string{}
	keyChecked := false
	for _, row := range readVectors(t, "bc-report.txt") {
		switch row[0] {
		case "credential":
			keyChecked = strings.Join(row[1:], " ") == "certId "+sm2CredentialCertID+" key matches certificate"
		case "verify", "decrypt":
			verdicts[row[0]+" "+row[1]] = row[2]
		}
	}
	assert.True(t, keyChecked, "BouncyCastle opened cfca_test.sm2 and matched its key")

	sigRows := readVectors(t, "go-signatures.txt")
	require.NotEmpty(t, sigRows)
	for _, row := range sigRows {
		id, name, expect, uid, sig := row[0], row[1], row[2], row[3], row[4]
		want := map[bool]string{true: "OK", false: "FAIL"}[expect == "valid"]
		assert.Equal(t, want, verdicts["verify "+id], "BouncyCastle on %s (%s)", id, expect)
		err := sign.VerifySM2(pub, uid, canon[name], sig)
		assert.Equal(t, expect == "valid", err == nil, "Go on %s (%s): %v", id, expect, err)
	}
	ctRows := readVectors(t, "go-ciphertexts.txt")
	require.NotEmpty(t, ctRows)
	for _, row := range ctRows {
		id, expect, plainHex, ct := row[0], row[1], row[2], row[3]
		want := map[bool]string{true: "OK", false: "FAIL"}[expect == "valid"]
		assert.Equal(t, want, verdicts["decrypt "+id], "BouncyCastle on %s (%s)", id, expect)
		got, err := sm2Decrypt(cred.Key, ct)
		if expect == "valid" {
			require.NoError(t, err)
			assert.Equal(t, plainHex, hex.EncodeToString(got))
		} else {
			assert.Error(t, err)
		}
	}
}

// TestSM2InteropWriteGoVectors rewrites the Go side of the vectors when run
// with -sm2-interop-update.
func TestSM2InteropWriteGoVectors(t *testing.T) {
	if !*sm2InteropUpdate {
		t.Skip("run with -sm2-interop-update to rewrite the Go vectors")
	}
	cred := loadSM2Credential(t)
	signer, err := cred.Signer()
	require.NoError(t, err)
	var canon, sigs, cts strings.Builder
	canon.WriteString("# name hex(string to sign), built by package sign from sm2_interop_test.go's messages\n")
	sigs.WriteString("# id name expect userID base64(signature), made by Go (package sign) with cfca_test.sm2\n")
	cts.WriteString("# id expect hex(plaintext) base64(ciphertext), made by Go (package cert) to cfca_test.sm2's certificate\n")
	messages := sm2InteropMessages(t)
	for _, name := range []string{"consume-utf8", "consume-gbk", "response-pem", "legacy-500"} {
		c, err := sign.Canonical(messages[name])
		require.NoError(t, err)
		fmt.Fprintf(&canon, "%s %x\n", name, c)
		sig, err := signer.Sign(messages[name]["version"], c)
		require.NoError(t, err)
		fmt.Fprintf(&sigs, "go-%s %s valid %s %s\n", name, name, sm2CredentialCertID, sig)
	}
	// Deliberate mistakes, which BouncyCastle must reject too.
	c, _ := sign.Canonical(messages["consume-utf8"])
	good, _ := signer.Sign("5.1.0", c)
	fmt.Fprintf(&sigs, "go-wrong-uid consume-utf8 invalid-default-user-id 1234567812345678 %s\n", good)
	fmt.Fprintf(&sigs, "go-other-message consume-gbk invalid-other-message %s %s\n", sm2CredentialCertID, good)
	sum := sm3.Sum(c)
	der, err := cred.Key.Sign(rand.Reader, []byte(hex.EncodeToString(sum[:])), sm2.NewSM2SignerOption(true, nil))
	require.NoError(t, err)
	r, s, err := parseTestDER(der)
	require.NoError(t, err)
	fmt.Fprintf(&sigs, "go-signed-default-uid consume-utf8 invalid-signed-with-default-user-id %s %s\n",
		sm2CredentialCertID, base64.StdEncoding.EncodeToString(append(r, s...)))

	pub := sm2PublicKey(cred.Certificate)
	for i, plain := range []string{"6216261000000000018", "phoneNo=13552535506&cvn2=123&expired=2311", "证件号码"} {
		ct, err := sm2Encrypt(pub, []byte(plain))
		require.NoError(t, err)
		fmt.Fprintf(&cts, "go-ct-%d valid %x %s\n", i, plain, ct)
	}
	block, err := PINBlock("123456", "6216261000000000018")
	require.NoError(t, err)
	ct, err := sm2Encrypt(pub, block)
	require.NoError(t, err)
	fmt.Fprintf(&cts, "go-ct-pin valid %x %s\n", block, ct)
	c1c2c3, err := sm2.Encrypt(rand.Reader, pub, []byte("6216261000000000018"),
		sm2.NewPlainEncrypterOpts(sm2.MarshalUncompressed, sm2.C1C2C3))
	require.NoError(t, err)
	fmt.Fprintf(&cts, "go-ct-c1c2c3 invalid-c1c2c3-order %x %s\n", "6216261000000000018",
		base64.StdEncoding.EncodeToString(c1c2c3))

	for name, s := range map[string]string{"canonicals.txt": canon.String(), "go-signatures.txt": sigs.String(),
		"go-ciphertexts.txt": cts.String()} {
		require.NoError(t, os.WriteFile(filepath.Join(sm2InteropDir, name), []byte(s), 0o644))
	}
}

// OpenSSL 3, a third implementation, agrees on every Go and BouncyCastle
// signature (openssl-report.txt, made by openssl/verify.sh).
func TestSM2InteropOpenSSLVerdicts(t *testing.T) {
	t.Parallel()
	want := map[string]string{}
	for _, row := range readVectors(t, "go-signatures.txt") {
		want[row[0]] = map[bool]string{true: "OK", false: "FAIL"}[row[2] == "valid"]
	}
	for _, row := range readVectors(t, "bc-signatures.txt") {
		want["bc-"+row[0]+"-"+row[1]] = map[bool]string{true: "OK", false: "FAIL"}[row[1] == "valid"]
	}
	got := map[string]string{}
	for _, row := range readVectors(t, "openssl-report.txt") {
		require.Equal(t, "verify", row[0])
		got[row[1]] = row[2]
	}
	assert.Equal(t, want, got)
}
