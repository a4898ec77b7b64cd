package cert_test

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// Outputs of UnionPay's official Java SDK gm package (国密), recorded by a live run; testdata/README.md
// says how each was produced. They need the SDK's test key file.
var (
	gmliveDir   = filepath.Join("testdata", "gmlive")
	gmliveSM2   = filepath.Join("..", "testdata", "sm2", "cfca_test.sm2")
	gmlivePwd   = "cfca1234"
	gmliveCerts = "69629716832"
)

func readGMLive(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(gmliveDir, name))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v))
}

// TestGMLiveKeyFile: LoadSM2File reads the test .sm2 file as the gm SDK's GmUtil.readSm2File did.
func TestGMLiveKeyFile(t *testing.T) {
	var want map[string]string
	readGMLive(t, "sm2-keyfile.json", &want)
	cred, err := cert.LoadSM2File(gmliveSM2, gmlivePwd)
	require.NoError(t, err)
	assert.Equal(t, want["d_hex"], cred.Key.D.Text(16))
	assert.Equal(t, want["x_hex"], cred.Key.X.Text(16))
	assert.Equal(t, want["y_hex"], cred.Key.Y.Text(16))
	assert.Equal(t, want["cert_id"], cred.CertID())
}

// TestGMLiveSignatures: for the gm SDK's signByCertInfo outputs, the fields we send and the string we
// sign are byte for byte its, and its signatures verify with the certId as SM2 user ID.
func TestGMLiveSignatures(t *testing.T) {
	var vecs []struct {
		Name      string            `json:"name"`
		Input     map[string]string `json:"input"`
		Signed    map[string]string `json:"signed"`
		StringHex string            `json:"string_to_sign_hex"`
	}
	readGMLive(t, "sm2-sign.json", &vecs)
	require.NotEmpty(t, vecs)
	cred, err := cert.LoadSM2File(gmliveSM2, gmlivePwd)
	require.NoError(t, err)
	signer, err := cred.Signer()
	require.NoError(t, err)
	for _, v := range vecs {
		t.Run(v.Name, func(t *testing.T) {
			want, err := hex.DecodeString(v.StringHex)
			require.NoError(t, err)
			// The fields we send and the string we sign are the SDK's.
			f := sign.Prepare(sign.Fields(v.Input))
			require.NoError(t, sign.Sign(signer, f))
			got, err := sign.Canonical(f)
			require.NoError(t, err)
			assert.Equal(t, want, got)
			delete(f, sign.FieldSignature)
			sdk := sign.Fields(v.Signed).Clone()
			sig := sdk[sign.FieldSignature]
			delete(sdk, sign.FieldSignature)
			assert.Equal(t, sdk, f)
			// The SDK's signature verifies over our string to sign, with the certId as user ID only.
			assert.Equal(t, gmliveCerts, v.Signed["certId"])
			require.NoError(t, sign.VerifySM2(signer.Public(), gmliveCerts, got, sig))
			require.ErrorIs(t, sign.VerifySM2(signer.Public(), "1234567812345678", got, sig), sign.ErrSignature)
		})
	}
}

// TestGMLiveDecrypt: what the gm SDK encrypted (a card number, encryptedInfo, a PIN block, a
// customerInfo) decrypts with our Decrypter to its plaintexts, and its PIN block is ours.
func TestGMLiveDecrypt(t *testing.T) {
	var vecs []struct {
		Name       string `json:"name"`
		Ciphertext string `json:"ciphertext_base64"`
		PlainHex   string `json:"plaintext_hex"`
		PAN        string `json:"pan"`
		Input      string `json:"input"`
	}
	readGMLive(t, "sm2-encrypted.json", &vecs)
	require.NotEmpty(t, vecs)
	cred, err := cert.LoadSM2File(gmliveSM2, gmlivePwd)
	require.NoError(t, err)
	d, err := cred.Decrypter()
	require.NoError(t, err)
	for _, v := range vecs {
		t.Run(v.Name, func(t *testing.T) {
			if v.Name == "customerInfo" {
				pairs, err := cert.ParseCustomerInfo(v.Ciphertext, d)
				require.NoError(t, err)
				assert.Equal(t, []cert.Pair{{Key: "certifId", Value: "341126197709218366"}, {Key: "certifTp", Value: "01"},
					{Key: "customerNm", Value: "互联网"}, {Key: "cvn2", Value: "123"}, {Key: "expired", Value: "2311"},
					{Key: "phoneNo", Value: "13552535506"}}, pairs)
				return
			}
			got, err := d.Decrypt(v.Ciphertext)
			require.NoError(t, err)
			assert.Equal(t, v.PlainHex, hex.EncodeToString([]byte(got)))
			if v.PAN != "" { // the SDK's PIN block is ours
				block, err := cert.PINBlock(v.Input, v.PAN)
				require.NoError(t, err)
				assert.Equal(t, v.PlainHex, hex.EncodeToString(block))
			}
		})
	}
}

// TestSM2EncryptShortPlaintext: SM2 encryption refuses fewer than 8 bytes. gmsm (v0.15.5, and
// still v0.44.0) overwrites the public point before redrawing k when the KDF output is all zero
// (one chance in 256 for one byte), so that the ciphertext decrypts under no key: the live run
// against the gm SDK found 19 of 2,000 1-byte ciphertexts that neither side could decrypt. From
// 8 bytes (UnionPay's fields: card numbers, PIN blocks, encryptedInfo) the chance is 2^-64, and
// every ciphertext decrypts.
func TestSM2EncryptShortPlaintext(t *testing.T) {
	t.Parallel()
	cred, err := cert.LoadSM2File(gmliveSM2, gmlivePwd)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := smx509.CreateCertificate(rand.Reader, tmpl, tmpl, &cred.Key.PublicKey, cred.Key)
	require.NoError(t, err)
	c, err := cert.ParseSM2Certificate(der)
	require.NoError(t, err)
	e, err := cert.NewEncrypter(c)
	require.NoError(t, err)
	d, err := cred.Decrypter()
	require.NoError(t, err)
	for _, short := range []string{"", "0", "1234567"} {
		_, err := e.Encrypt(short)
		require.ErrorContains(t, err, "want at least 8", "%q", short)
	}
	for i := range 500 {
		plain := fmt.Sprintf("%08d", i)
		ct, err := e.Encrypt(plain)
		require.NoError(t, err)
		got, err := d.Decrypt(ct)
		require.NoError(t, err)
		require.Equal(t, plain, got)
	}
}

// TestSM2CustomerInfoShortEncryptedInfo: a customerInfo whose encryptedInfo would be under 8
// bytes (a cvn2 of two digits) is refused by an SM2 Encrypter with an error naming it.
func TestSM2CustomerInfoShortEncryptedInfo(t *testing.T) {
	t.Parallel()
	cred, err := cert.LoadSM2File(gmliveSM2, gmlivePwd)
	require.NoError(t, err)
	e, err := cert.NewEncrypter(cred.Certificate)
	require.NoError(t, err)
	_, err = e.CustomerInfo([]cert.Pair{{Key: "cvn2", Value: "12"}}, "", true)
	require.ErrorContains(t, err, "customerInfo encryptedInfo")
	require.ErrorContains(t, err, "want at least 8")
	_, err = e.CustomerInfo([]cert.Pair{{Key: "cvn2", Value: "123"}}, "", true)
	require.NoError(t, err)
}
