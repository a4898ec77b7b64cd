package sign_test

import (
	"bufio"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/goacp/unionpay/sign"
)

const vectors = "../testdata/official-sdk-vectors"

// readKV reads a vector file: one key=value per line, split at the first
// '=', with \r \n \t \\ escapes in values.
func readKV(t testing.TB, name string) sign.Fields {
	t.Helper()
	file, err := os.Open(filepath.Join(vectors, name))
	require.NoError(t, err)
	defer file.Close()
	f := sign.Fields{}
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		require.True(t, ok, "line %q", sc.Text())
		f[k] = strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\t`, "\t", `\\`, `\`).Replace(v)
	}
	require.NoError(t, sc.Err())
	return f
}

func readLines(t testing.TB, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}

// testKey loads the private key of a UnionPay public test PFX.
func testKey(t testing.TB, name string) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../testdata/acp-test-certs", name))
	require.NoError(t, err)
	key, leaf, _, err := pkcs12.DecodeChain(b, "000000")
	require.NoError(t, err)
	return key.(*rsa.PrivateKey), leaf
}

func TestOfficialSDKCanonicalAndRSA(t *testing.T) {
	t.Parallel()
	key, leaf := testKey(t, "acp_test_sign.pfx")
	require.Equal(t, "69629715588", leaf.SerialNumber.String())
	signer, err := sign.NewRSASigner(key, leaf.SerialNumber.String())
	require.NoError(t, err)

	for _, version := range []string{"5.1.0", "5.0.0"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			want := readKV(t, "consume_request.signed-"+version+"-acp_test_sign.kv")
			lines := readLines(t, filepath.Join(vectors, "consume_request.signed-"+version+"-acp_test_sign.canonical.txt"))

			canonical, err := sign.Canonical(want)
			require.NoError(t, err)
			assert.Equal(t, lines[0], string(canonical), "string to sign")

			req := readKV(t, "consume_request.kv")
			req["version"] = version
			req = sign.Prepare(req)
			require.NoError(t, sign.Sign(signer, req))
			assert.Equal(t, want, req, "signed request must equal the official SDK's byte for byte")

			assert.NoError(t, sign.VerifyRSA(&key.PublicKey, version, canonical, want["signature"]))
			assert.ErrorIs(t, sign.VerifyRSA(&key.PublicKey, otherVersion(version), canonical, want["signature"]), sign.ErrSignature)
		})
	}
}

func otherVersion(v string) string {
	if v == sign.Version510 {
		return sign.Version500
	}
	return sign.Version510
}

func TestOfficialSDKMultiCertPFX(t *testing.T) {
	t.Parallel()
	key, leaf := testKey(t, "unipayAppCert.pfx")
	signer, err := sign.NewRSASigner(key, leaf.SerialNumber.String())
	require.NoError(t, err)
	want := readKV(t, "consume_request.signed-5.1.0-unipayAppCert.kv")
	req := sign.Prepare(readKV(t, "consume_request.kv"))
	require.NoError(t, sign.Sign(signer, req))
	assert.Equal(t, "69903319369", req["certId"])
	assert.Equal(t, want, req)
}

func TestOfficialSDKSecureKey(t *testing.T) {
	t.Parallel()
	for _, method := range []string{sign.MethodSHA256Key, sign.MethodSM3Key} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			want := readKV(t, "consume_request.signed-secure-key-"+method+".kv")
			signer, err := sign.NewSecureKeySigner(method, []byte("88888888"))
			require.NoError(t, err)
			req := sign.Prepare(readKV(t, "consume_request.kv"))
			require.NoError(t, sign.Sign(signer, req))
			assert.Equal(t, want, req)
			_, hasCertID := req["certId"]
			assert.False(t, hasCertID, "secure-key messages carry no certId")

			canonical, err := sign.Canonical(want)
			require.NoError(t, err)
			assert.NoError(t, sign.VerifySecureKey(method, []byte("88888888"), canonical, want["signature"]))
			assert.ErrorIs(t, sign.VerifySecureKey(method, []byte("88888889"), canonical, want["signature"]), sign.ErrSignature)
			assert.ErrorIs(t, sign.VerifySecureKey(method, []byte("88888888"), canonical, strings.ToUpper(want["signature"])), sign.ErrSignature)
		})
	}
}

func TestOfficialSDKRawResponse(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile(filepath.Join(vectors, "raw_response.txt"))
	require.NoError(t, err)
	f, err := sign.ParseRaw(string(body))
	require.NoError(t, err)
	assert.Equal(t, "{cardNumberLock=1&a=b}", f["reserved"])
	assert.Equal(t, "2026[A&B]Z", f["orderId"])
	assert.Equal(t, "abc+/=", f["signature"])
	assert.Equal(t, "", f["empty"])
	canonical, err := sign.Canonical(f)
	require.NoError(t, err)
	want := readLines(t, filepath.Join(vectors, "raw_response.canonical.txt"))[0]
	assert.Equal(t, want, string(canonical))
}

// TestOpenSSLSignatures checks that our signatures are byte-identical to
// those OpenSSL made with the same key (testdata/openssl/make.sh), and,
// when openssl is installed, that it verifies a signature we make now.
func TestOpenSSLSignatures(t *testing.T) {
	t.Parallel()
	key, leaf := testKey(t, "acp_test_sign.pfx")
	signer, err := sign.NewRSASigner(key, leaf.SerialNumber.String())
	require.NoError(t, err)
	pubPEM, err := os.ReadFile("testdata/openssl/pubkey.pem")
	require.NoError(t, err)
	blk, _ := pem.Decode(pubPEM)
	require.NotNil(t, blk)
	pub, err := x509.ParsePKIXPublicKey(blk.Bytes)
	require.NoError(t, err)
	require.True(t, key.PublicKey.Equal(pub), "openssl's public key is the PFX's")

	for _, version := range []string{"5.1.0", "5.0.0"} {
		t.Run(version, func(t *testing.T) {
			canonical := readLines(t, filepath.Join(vectors, "consume_request.signed-"+version+"-acp_test_sign.canonical.txt"))[0]
			wantSig := readLines(t, "testdata/openssl/signature-"+version+".b64")[0]
			got, err := signer.Sign(version, []byte(canonical))
			require.NoError(t, err)
			assert.Equal(t, wantSig, got)
			assert.NoError(t, sign.VerifyRSA(pub.(*rsa.PublicKey), version, []byte(canonical), wantSig))
		})
	}

	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed; the committed vectors were checked above")
	}
	t.Run("live", func(t *testing.T) {
		dir := t.TempDir()
		msg := "accessType=0&merId=777290058110048&orderId=ORDER0001&txnAmt=1&version=5.1.0&中文=值"
		sig, err := signer.Sign("5.1.0", []byte(msg))
		require.NoError(t, err)
		raw, err := decodeB64(sig)
		require.NoError(t, err)
		digest := sha256Hex(msg)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "d.hex"), []byte(digest), 0o600))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "sig.bin"), raw, 0o600))
		out, err := exec.Command("openssl", "dgst", "-sha256", "-verify", "testdata/openssl/pubkey.pem",
			"-signature", filepath.Join(dir, "sig.bin"), filepath.Join(dir, "d.hex")).CombinedOutput()
		require.NoError(t, err, string(out))
		assert.Contains(t, string(out), "Verified OK")
		raw[10] ^= 1
		require.NoError(t, os.WriteFile(filepath.Join(dir, "sig.bin"), raw, 0o600))
		out, err = exec.Command("openssl", "dgst", "-sha256", "-verify", "testdata/openssl/pubkey.pem",
			"-signature", filepath.Join(dir, "sig.bin"), filepath.Join(dir, "d.hex")).CombinedOutput()
		assert.Error(t, err, string(out))
	})
}
