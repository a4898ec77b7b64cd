package unionpay_test

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"flag"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/unionpay/golden")

const goldenDir = "../testdata/unionpay/golden"

// pfxClient returns a client signing with UnionPay's real test PFX (acp_test_sign.pfx, certId
// 69629715588) at the fixed testNow, whose transport captures the request bodies and sends
// nothing.
func pfxClient(t *testing.T, version string, edit ...func(*unionpay.Config)) (*unionpay.Client, *capture) {
	t.Helper()
	signer, err := loadPFX(t).Signer()
	require.NoError(t, err)
	rec := &capture{}
	cfg := testConfig(t, "https://gateway.test.95516.com")
	cfg.Signer, cfg.Version, cfg.HTTPClient = signer, version, &http.Client{Transport: rec}
	// Answers to 5.0.0 requests are verified with UnionPay's signing certificate itself
	// (LegacyCerts), which NewClient requires for that version.
	cfg.Verifier, err = cert.NewVerifier(cert.VerifierConfig{
		Root: loadCert(t, "acp_test_root.cer"), Middle: loadCert(t, "acp_test_middle.cer"),
		LegacyCerts: []*x509.Certificate{loadCert(t, "unipayCertPublicKey.cer")},
		Now:         func() time.Time { return testNow },
	})
	require.NoError(t, err)
	for _, e := range edit {
		e(&cfg)
	}
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	return c, rec
}

// verifyPFX checks f's signature with the PFX's public key in Go (opensslVerify does it again
// outside Go).
func verifyPFX(t *testing.T, f sign.Fields) {
	t.Helper()
	signer, err := loadPFX(t).Signer()
	require.NoError(t, err)
	canonical, err := sign.Canonical(f)
	require.NoError(t, err)
	require.NoError(t, sign.VerifyRSA(signer.Public(), f["version"], canonical, f[sign.FieldSignature]))
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		require.NoError(t, os.MkdirAll(goldenDir, 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -run Golden -update once to create %s", path)
	assert.Equal(t, string(want), string(got))
}

// TestGoldenRequestBodies pins the exact bytes sent for back-end requests signed with the real
// test PFX. PKCS#1 v1.5 signatures are deterministic, so any change in field set, canonical
// string, encoding or signing shows up here; openssl then verifies the signatures independently.
func TestGoldenRequestBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, version string
		do            func(*unionpay.Client) error
	}{
		{"refund-5.1.0.body", sign.Version510, func(c *unionpay.Client) error {
			_, err := c.Refund(context.Background(), followUp())
			return err
		}},
		{"consume-cancel-5.0.0.body", sign.Version500, func(c *unionpay.Client) error {
			_, err := c.CancelConsume(context.Background(), followUp())
			return err
		}},
		{"query-5.1.0.body", sign.Version510, func(c *unionpay.Client) error {
			_, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, rec := pfxClient(t, tt.version)
			require.ErrorIs(t, tt.do(c), errCaptured)
			require.Len(t, rec.bodies, 1)
			body := rec.bodies[0]
			golden(t, tt.name, []byte(body))
			f, err := sign.ParseRequestForm(body)
			require.NoError(t, err)
			assert.Equal(t, "69629715588", f["certId"])
			assert.Equal(t, "01", f["signMethod"])
			verifyPFX(t, f)
			opensslVerify(t, f)
		})
	}
}

// TestGoldenFrontForm pins a signed PC consume form page.
func TestGoldenFrontForm(t *testing.T) {
	t.Parallel()
	c, _ := pfxClient(t, sign.Version510)
	form, err := c.FrontConsume(consumeReq())
	require.NoError(t, err)
	page := form.HTML()
	// The action carries the gateway's random port; pin the rest.
	golden(t, "front-consume-5.1.0.html", []byte(page))
	verifyPFX(t, form.Fields)
	opensslVerify(t, form.Fields)
}

// opensslVerify checks f's signature with openssl, independently of Go's crypto: the public key
// comes out of the PFX through openssl, and the signed data is the lowercase hex digest of the
// string to sign.
func opensslVerify(t *testing.T, f sign.Fields) {
	t.Helper()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	dir := t.TempDir()
	pfx, err := filepath.Abs(filepath.Join(testCerts, "acp_test_sign.pfx"))
	require.NoError(t, err)
	certPEM, err := exec.Command(openssl, "pkcs12", "-legacy", "-in", pfx, "-nokeys", "-clcerts",
		"-passin", "pass:000000").Output()
	require.NoError(t, err, "openssl pkcs12")
	pub := filepath.Join(dir, "pub.pem")
	cmd := exec.Command(openssl, "x509", "-pubkey", "-noout", "-out", pub)
	cmd.Stdin = strings.NewReader(string(certPEM))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "openssl x509: %s", out)

	canonical, err := sign.Canonical(f)
	require.NoError(t, err)
	digest, alg := sha256.Sum256(canonical), "-sha256"
	hexDigest := hex.EncodeToString(digest[:])
	if f["version"] == sign.Version500 {
		d := sha1.Sum(canonical)
		hexDigest, alg = hex.EncodeToString(d[:]), "-sha1"
	}
	sig, err := base64.StdEncoding.DecodeString(f[sign.FieldSignature])
	require.NoError(t, err)
	data, sigFile := filepath.Join(dir, "digest.txt"), filepath.Join(dir, "sig.bin")
	require.NoError(t, os.WriteFile(data, []byte(hexDigest), 0o600))
	require.NoError(t, os.WriteFile(sigFile, sig, 0o600))
	out, err = exec.Command(openssl, "dgst", alg, "-verify", pub, "-signature", sigFile, data).CombinedOutput()
	require.NoError(t, err, "openssl dgst: %s", out)
	assert.Equal(t, "Verified OK", strings.TrimSpace(string(out)))

	// And a flipped byte fails, so the check can fail.
	require.NoError(t, os.WriteFile(data, []byte(hexDigest[:len(hexDigest)-1]+"x"), 0o600))
	out, err = exec.Command(openssl, "dgst", alg, "-verify", pub, "-signature", sigFile, data).CombinedOutput()
	require.Error(t, err, "openssl accepted a wrong digest: %s", out)
}

// readKV reads an official-sdk-vectors *.kv file (key=value lines, \r \n \t \\ escaped).
func readKV(t *testing.T, name string) sign.Fields {
	t.Helper()
	f := sign.Fields{}
	unescape := strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\t`, "\t", `\\`, `\`)
	for line := range strings.SplitSeq(strings.TrimRight(string(readVector(t, name)), "\n"), "\n") {
		k, v, ok := strings.Cut(line, "=")
		require.True(t, ok, "line %q", line)
		f[k] = unescape.Replace(v)
	}
	return f
}

// TestFrontConsumeMatchesOfficialSDK builds the official SDK's vector request with FrontConsume
// and gets exactly the fields, and so the signature, the official Java SDK produced.
func TestFrontConsumeMatchesOfficialSDK(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ version, vector string }{
		{sign.Version510, "consume_request.signed-5.1.0-acp_test_sign.kv"},
		{sign.Version500, "consume_request.signed-5.0.0-acp_test_sign.kv"},
	} {
		t.Run(tt.version, func(t *testing.T) {
			t.Parallel()
			want := readKV(t, tt.vector)
			txnTime, err := time.ParseInLocation("20060102150405", want["txnTime"], time.FixedZone("CST", 8*3600))
			require.NoError(t, err)
			// The vector's form was built at its txnTime (a form's TxnTime is bounded ahead of the clock).
			c, _ := pfxClient(t, tt.version, func(cfg *unionpay.Config) { cfg.Now = func() time.Time { return txnTime } })
			form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: want["orderId"], Amount: 1000,
				TxnTime: txnTime, FrontURL: want["frontUrl"], BackURL: want["backUrl"]})
			require.NoError(t, err)
			assert.Equal(t, want, form.Fields)
		})
	}
}
