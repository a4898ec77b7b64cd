package cert

import (
	"bufio"
	"bytes"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var opensslDir = filepath.Join("testdata", "openssl")

// opensslMerchant returns the openssl-made test key's Decrypter and an
// Encrypter for its certificate.
func opensslMerchant(t testing.TB) (*Encrypter, *Decrypter) {
	t.Helper()
	key, c := opensslKeyPair(t)
	d, err := NewDecrypter(key)
	require.NoError(t, err)
	e, err := NewEncrypter(c)
	require.NoError(t, err)
	return e, d
}

// opensslKeyPair returns the openssl-made test key and its certificate.
func opensslKeyPair(t testing.TB) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	keyPEM, err := os.ReadFile(filepath.Join(opensslDir, "merchant-key.pem"))
	require.NoError(t, err)
	block, _ := pem.Decode(keyPEM)
	require.NotNil(t, block)
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(t, err)
	rsaKey, ok := key.(*rsa.PrivateKey)
	require.True(t, ok, "merchant-key.pem holds a %T", key)
	c, err := LoadCertificateFile(filepath.Join(opensslDir, "merchant-cert.pem"))
	require.NoError(t, err)
	return rsaKey, c
}

func readVector(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(opensslDir, name))
	require.NoError(t, err)
	return strings.TrimSpace(string(b))
}

func TestPINBlockOfficialVectors(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join("..", "testdata", "official-sdk-vectors", "pinblocks.txt"))
	require.NoError(t, err)
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		var pan, pin, want string
		_, err := fmt.Sscan(sc.Text(), &pan, &pin, &want)
		require.NoError(t, err)
		got, err := PINBlock(pin, pan)
		require.NoError(t, err)
		assert.Equal(t, want, hex.EncodeToString(got), "PAN %s PIN %s", pan, pin)
	}
	assert.Equal(t, 6, n)
}

func TestPINBlockBadInput(t *testing.T) {
	t.Parallel()
	const pan = "6216261000000000018"
	tests := []struct{ name, pin, pan, field string }{
		{"pin too short", "123", pan, "pin"},
		{"pin too long", "1234567890123", pan, "pin"},
		{"pin not digits", "12a456", pan, "pin"},
		{"pin empty", "", pan, "pin"},
		{"pan too short", "123456", "6216261000", "pan"},
		{"pan too long", "123456", "62162610000000000180", "pan"},
		{"pan not digits", "123456", "6216 2610 0000 0000 018", "pan"},
		{"pan empty", "123456", "", "pan"},
		// The Java SDK's encryptPin takes (accNo, pin): swapped here, either is refused.
		{"java order, 19-digit card", pan, "123456", "pin"},
		{"java order, 12-digit card", "621626100000", "123456", "pan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := PINBlock(tt.pin, tt.pan)
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "cert: invalid "+tt.field), err.Error())
			if tt.pin != "" {
				assert.NotContains(t, err.Error(), tt.pin)
			}
			if len(tt.pan) > 4 {
				assert.NotContains(t, err.Error(), tt.pan[:6])
			}
		})
	}
}

func TestEncryptRoundTrip(t *testing.T) {
	t.Parallel()
	p := loadTestPFX(t, "unipayAppCert.pfx")
	e, err := NewEncrypter(p.Certificate)
	require.NoError(t, err)
	d, err := p.Decrypter()
	require.NoError(t, err)
	assert.Equal(t, "69903319369", e.CertID())
	assert.Same(t, p.Certificate, e.Certificate())

	c1, err := e.Encrypt("6216261000000000018")
	require.NoError(t, err)
	c2, err := e.Encrypt("6216261000000000018")
	require.NoError(t, err)
	assert.NotEqual(t, c1, c2, "PKCS#1 v1.5 encryption is randomised")
	for _, c := range []string{c1, c2} {
		plain, err := d.Decrypt(c)
		require.NoError(t, err)
		assert.Equal(t, "6216261000000000018", plain)
	}

	pin, err := e.EncryptPIN("123456", "6216261000000000018")
	require.NoError(t, err)
	block, err := d.decrypt(pin)
	require.NoError(t, err)
	assert.Equal(t, "06122456fffffffe", hex.EncodeToString(block))

	_, err = e.Encrypt(strings.Repeat("x", 300))
	require.Error(t, err, "too long for RSA-2048 PKCS#1 v1.5")
	assert.NotContains(t, err.Error(), "xxx")

	enc := loadTestCert(t, "acp_test_enc.cer")
	e, err = NewEncrypter(enc)
	require.NoError(t, err)
	assert.Equal(t, "69683525138", e.CertID(), "encryptCertId of UnionPay's test encryption certificate")
}

func TestDecryptErrors(t *testing.T) {
	t.Parallel()
	_, d := opensslMerchant(t)
	other, err := loadTestPFX(t, "acp_test_sign.pfx").Decrypter()
	require.NoError(t, err)
	accNo := readVector(t, "accno.openssl.b64")
	tests := map[string]struct {
		d  *Decrypter
		in string
	}{
		"not base64":    {d, "%%%"},
		"empty":         {d, ""},
		"wrong key":     {other, accNo},
		"truncated":     {d, accNo[:100]},
		"not encrypted": {d, base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 256))},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.d.Decrypt(tt.in)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "cert: decrypt"), err.Error())
		})
	}
	_, err = NewDecrypter(nil)
	require.Error(t, err)
	_, err = NewEncrypter(nil)
	require.Error(t, err)
}

// Ciphertexts made by openssl decrypt with our Decrypter.
func TestDecryptOpenSSLVectors(t *testing.T) {
	t.Parallel()
	_, d := opensslMerchant(t)
	plain, err := d.Decrypt(readVector(t, "accno.openssl.b64"))
	require.NoError(t, err)
	assert.Equal(t, "6216261000000000018", plain)
	plain, err = d.Decrypt(readVector(t, "encryptedinfo.openssl.b64"))
	require.NoError(t, err)
	assert.Equal(t, "phoneNo=13552535506&cvn2=123&expired=2712", plain)

	// Line-wrapped base64 (as some tools emit) is accepted too.
	b64 := readVector(t, "accno.openssl.b64")
	plain, err = d.Decrypt(b64[:76] + "\r\n" + b64[76:])
	require.NoError(t, err)
	assert.Equal(t, "6216261000000000018", plain)
}

// Ciphertexts we make decrypt with openssl.
func TestEncryptDecryptsWithOpenSSL(t *testing.T) {
	t.Parallel()
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	e, _ := opensslMerchant(t)
	for _, plain := range []string{"6216261000000000018", "phoneNo=13552535506&cvn2=123&expired=2712", "全渠道"} {
		b64, err := e.Encrypt(plain)
		require.NoError(t, err)
		ct, err := base64.StdEncoding.DecodeString(b64)
		require.NoError(t, err)
		cmd := exec.Command(openssl, "pkeyutl", "-decrypt", "-inkey", filepath.Join(opensslDir, "merchant-key.pem"),
			"-pkeyopt", "rsa_padding_mode:pkcs1")
		cmd.Stdin = bytes.NewReader(ct)
		out, err := cmd.Output()
		require.NoError(t, err)
		assert.Equal(t, plain, string(out))
	}
}

// LoadPFX reports what openssl reports for the test PFX files.
func TestLoadPFXMatchesOpenSSL(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join(opensslDir, "pfx-facts.txt"))
	require.NoError(t, err)
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		var file, serialHex, pubSHA string
		var certs int
		_, err := fmt.Sscan(sc.Text(), &file, &serialHex, &pubSHA, &certs)
		require.NoError(t, err)
		p := loadTestPFX(t, file)
		assert.Equal(t, strings.ToLower(serialHex), p.Certificate.SerialNumber.Text(16), file)
		der, err := x509.MarshalPKIXPublicKey(p.Key.Public())
		require.NoError(t, err)
		sum := sha256.Sum256(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
		assert.Equal(t, pubSHA, hex.EncodeToString(sum[:]), file)
		assert.Equal(t, certs, 1+len(p.CACerts), file)
		n++
	}
	assert.Equal(t, 2, n)
}

// TestNewEncrypterRefusesCA: the root or the middle given as the encryption certificate (the
// files sit side by side) was accepted, and every encrypted field then went to UnionPay under a
// key it cannot decrypt. Their key usage is certificate and CRL signing alone; the encryption
// certificate's includes key encipherment. (A self-signed certificate without a key usage, as
// openssl req -x509 makes for tests, stays usable.)
func TestNewEncrypterRefusesCA(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		file string
		ok   bool
	}{
		{"acp_test_root.cer", false},
		{"acp_test_middle.cer", false},
		{"acp_test_enc.cer", true},
	} {
		_, err := NewEncrypter(loadTestCert(t, tt.file))
		if tt.ok {
			require.NoError(t, err, tt.file)
			continue
		}
		require.Error(t, err, tt.file)
		assert.Contains(t, err.Error(), "does not allow encryption", tt.file)
		assert.Contains(t, err.Error(), "CN=\"CFCA TEST", tt.file)
	}
}

// FuzzDecrypt: the RSA and SM2 Decrypters take any text (an accNo or encryptedInfo field of an
// answer or a notification) without a panic, with an error of the package's; what is
// encrypted to their certificates decrypts back exactly; and an SM2 ciphertext changed in one
// byte never decrypts (C3, the SM3 hash, binds C1 and C2).
func FuzzDecrypt(f *testing.F) {
	rsaEnc, rsaDec := opensslMerchant(f)
	c := loadSM2Credential(f)
	sm2Dec, err := c.Decrypter()
	if err != nil {
		f.Fatal(err)
	}
	sm2Enc, err := NewEncrypter(c.Certificate)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("", "6216261000000000018", uint16(0), byte(1))
	f.Add("AAAA", "12345678", uint16(70), byte(0x80))
	f.Add("BA==\r\n", "phoneNo=13552535506&cvn2=123", uint16(100), byte(0))
	for _, seed := range []struct {
		e     *Encrypter
		plain string
	}{{sm2Enc, "x"}, {rsaEnc, "y"}} {
		ct, err := seed.e.Encrypt("6216261000000000018")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(ct, seed.plain, uint16(5), byte(0))
	}
	f.Fuzz(func(t *testing.T, text, plain string, pos uint16, flip byte) {
		for _, d := range []*Decrypter{rsaDec, sm2Dec} {
			p, err := d.Decrypt(text)
			if err != nil && (p != "" || !strings.HasPrefix(err.Error(), "cert: ")) {
				t.Fatalf("Decrypt(%q) = %q, %v", text, p, err)
			}
		}
		for i, e := range []*Encrypter{rsaEnc, sm2Enc} {
			d := []*Decrypter{rsaDec, sm2Dec}[i]
			ct, err := e.Encrypt(plain)
			if err != nil {
				if !strings.HasPrefix(err.Error(), "cert: ") || strings.Contains(err.Error(), plain) && len(plain) > 3 {
					t.Fatalf("Encrypt(%q): %v", plain, err)
				}
				continue
			}
			back, err := d.Decrypt(ct)
			if err != nil || back != plain {
				t.Fatalf("%d: Decrypt(Encrypt(%q)) = %q, %v", i, plain, back, err)
			}
			if i == 1 && flip != 0 {
				raw, _ := base64.StdEncoding.DecodeString(ct)
				raw[int(pos)%len(raw)] ^= flip
				if back, err := d.Decrypt(base64.StdEncoding.EncodeToString(raw)); err == nil {
					t.Fatalf("SM2 ciphertext of %q changed at %d decrypts to %q", plain, int(pos)%len(raw), back)
				}
			}
		}
	})
}
