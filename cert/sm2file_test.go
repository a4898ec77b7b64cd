package cert

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// The gm SDK's test credential opens with cfca1234, and its key is the key
// of its certificate.
func TestLoadSM2TestCredential(t *testing.T) {
	t.Parallel()
	cred := loadSM2Credential(t)
	c := cred.Certificate
	assert.Equal(t, sm2CredentialCertID, cred.CertID())
	assert.Equal(t, "041@Ztest@00010000:SIGN@00000001", c.Subject.CommonName)
	assert.Equal(t, "CFCA TEST SM2 OCA1", c.Issuer.CommonName)
	assert.Equal(t, "2018-11-26", c.NotBefore.UTC().Format("2006-01-02"))
	assert.Equal(t, "2020-11-26", c.NotAfter.UTC().Format("2006-01-02"))
	assert.True(t, cred.Key.PublicKey.Equal(c.PublicKey), "key matches certificate")
	assert.True(t, sm2.IsSM2PublicKey(c.PublicKey))

	// The key signs what the certificate's key verifies, with certId as user ID.
	signer, err := cred.Signer()
	require.NoError(t, err)
	assert.Equal(t, sm2CredentialCertID, signer.CertID())
	f := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "orderId": "A1", "txnAmt": "1"}
	require.NoError(t, sign.Sign(signer, f))
	canonical, err := sign.Canonical(f)
	require.NoError(t, err)
	assert.NoError(t, sign.VerifySM2(sm2PublicKey(c), sm2CredentialCertID, canonical, f["signature"]))

	// The same file as DER, or as one base64 line, gives the same key.
	text := readTestFile(t, sm2CredentialPath)
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(text)), ""))
	require.NoError(t, err)
	for name, data := range map[string][]byte{
		"DER":             der,
		"one line":        []byte(base64.StdEncoding.EncodeToString(der)),
		"BOM and CRLF":    append([]byte("\xef\xbb\xbf"), []byte(strings.ReplaceAll(string(text), "\n", "\r\n"))...),
		"spaces and tabs": []byte(" \t" + strings.ReplaceAll(string(text), "\n", " \n\t")),
	} {
		other, err := LoadSM2(data, sm2CredentialPassword)
		if assert.NoError(t, err, name) {
			assert.True(t, cred.Key.Equal(other.Key), name)
		}
	}
}

func TestLoadSM2WrongPassword(t *testing.T) {
	t.Parallel()
	data := readTestFile(t, sm2CredentialPath)
	for _, pw := range []string{"", "cfca1235", "CFCA1234", "cfca1234 ", "111111", "000000", strings.Repeat("x", 1000)} {
		t.Run(pw, func(t *testing.T) {
			t.Parallel()
			cred, err := LoadSM2(data, pw)
			require.ErrorIs(t, err, ErrPassword)
			assert.Nil(t, cred)
			if pw != "" {
				assert.NotContains(t, err.Error(), pw, "the password never appears in errors")
			}
		})
	}
	_, err := LoadSM2File(sm2CredentialPath, "wrong")
	assert.ErrorIs(t, err, ErrPassword)
	assert.Contains(t, err.Error(), "cfca_test.sm2")
}

func TestLoadSM2Errors(t *testing.T) {
	t.Parallel()
	cred := loadSM2Credential(t)
	certDER := cred.Certificate.Raw
	d := scalar(cred.Key)
	other, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	rsaCert := loadTestCert(t, "acp_test_enc.cer")

	good := readTestFile(t, sm2CredentialPath)
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(good)), ""))
	require.NoError(t, err)
	mutate := func(f func(*sm2File)) []byte {
		var s sm2File
		_, err := asn1.Unmarshal(der, &s)
		require.NoError(t, err)
		f(&s)
		out, err := asn1.Marshal(s)
		require.NoError(t, err)
		return out
	}
	flip := func(i int) []byte {
		c := append([]byte(nil), der...)
		c[i] ^= 0x01
		return c
	}

	tests := []struct {
		name     string
		data     []byte
		password bool // the error is ErrPassword (the key does not decrypt)
	}{
		{"empty", nil, false},
		{"white space", []byte(" \r\n"), false},
		{"not base64", []byte("MIIDHQIBATBH!!!"), false},
		{"PEM", []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"), false},
		{"truncated base64", good[:200], false},
		{"truncated DER", der[:len(der)-10], false},
		{"trailing data", append(append([]byte(nil), der...), 0x00), false},
		{"a certificate, not a .sm2 file", certDER, false},
		{"version 2", mutate(func(s *sm2File) { s.Version = 2 }), false},
		{"other content type", mutate(func(s *sm2File) { s.Key.ContentType = asn1.ObjectIdentifier{1, 2, 3} }), false},
		{"other cipher", mutate(func(s *sm2File) { s.Key.Cipher = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2} }), false},
		{"encrypted key empty", mutate(func(s *sm2File) { s.Key.Encrypted = nil }), false},
		{"encrypted key not whole blocks", mutate(func(s *sm2File) { s.Key.Encrypted = s.Key.Encrypted[:47] }), false},
		{"encrypted key too long", mutate(func(s *sm2File) { s.Key.Encrypted = make([]byte, 4096) }), false},
		{"encrypted key damaged", flip(40), true},
		{"certificate damaged", mutate(func(s *sm2File) { s.Cert.DER = s.Cert.DER[:100] }), false},
		{"RSA certificate", mutate(func(s *sm2File) { s.Cert.DER = rsaCert.Raw }), false},
		// The password is right (the key decrypts to 32 bytes and a full block of padding): a key
		// and certificate that are not a pair, or a key out of range, are not ErrPassword (found
		// by an SM2 merchant's trial: a renewed certificate with the old key read as a wrong
		// password).
		{"key of another certificate", encodeSM2File(t, scalar(other), certDER, "pw"), false},
		{"key of 31 bytes", encodeSM2File(t, d[1:], certDER, "pw"), true},
		{"zero key", encodeSM2File(t, make([]byte, 32), certDER, "pw"), false},
		{"key beyond the order", encodeSM2File(t, []byte(strings.Repeat("\xff", 32)), certDER, "pw"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := LoadSM2(tt.data, "pw")
			if tt.password {
				require.ErrorIs(t, err, ErrPassword)
			} else {
				require.Error(t, err)
				assert.NotErrorIs(t, err, ErrPassword)
			}
			assert.Nil(t, c)
			assert.True(t, strings.HasPrefix(err.Error(), "cert: "), err.Error())
		})
	}
	// The file builder itself round-trips.
	c, err := LoadSM2(encodeSM2File(t, d, certDER, "pw"), "pw")
	require.NoError(t, err)
	assert.True(t, cred.Key.Equal(c.Key))
	// The key in 33 bytes, a leading zero first (a Java BigInteger's bytes), loads as UnionPay's
	// gm SDK loads it (found by a live run against it).
	c, err = LoadSM2(encodeSM2File(t, append([]byte{0}, d...), certDER, "pw"), "pw")
	require.NoError(t, err)
	assert.True(t, cred.Key.Equal(c.Key))
	_, err = LoadSM2(encodeSM2File(t, append([]byte{1}, d...), certDER, "pw"), "pw")
	require.ErrorIs(t, err, ErrPassword, "33 bytes without a leading zero")

	_, err = LoadSM2File("testdata/no-such-file.sm2", "pw")
	assert.Error(t, err)
	_, err = LoadSM2(make([]byte, maxFileSize+1), "pw")
	assert.ErrorContains(t, err, "larger")
}

// FuzzLoadSM2: LoadSM2 never panics; an error carries no credential and the package prefix, the
// test file with another password is ErrPassword, and a credential's key is its certificate's.
// Seeds beyond the test file (the long campaign's): its key with another certificate, and the
// scalars 0 and n-1, which reach the checks after decryption.
func FuzzLoadSM2(f *testing.F) {
	good, err := readFileForFuzz(sm2CredentialPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, sm2CredentialPassword)
	f.Add(good, "wrong")
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		c, err := LoadSM2(data, password)
		if err != nil {
			if c != nil {
				t.Fatal("credential with an error")
			}
			if !strings.HasPrefix(err.Error(), "cert: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			if bytes.Equal(data, good) && password != sm2CredentialPassword && !errors.Is(err, ErrPassword) {
				t.Fatalf("the test file with password %q: %v, want ErrPassword", password, err)
			}
			return
		}
		if !c.Key.PublicKey.Equal(c.Certificate.PublicKey) {
			t.Fatal("key does not match certificate")
		}
	})
}

func readFileForFuzz(path string) ([]byte, error) { return readFile(path) }

// TestCredentialKindMixUp: a .sm2 file given to LoadPFX, and a PFX given to LoadSM2, say what the
// file is and which function reads it (they said "pkcs12: error reading P12 data: asn1: ..." and
// ".sm2 file is not the CFCA ASN.1 structure"; the command-line tool alone said it). SM2 trial.
func TestCredentialKindMixUp(t *testing.T) {
	t.Parallel()
	_, err := LoadPFX(readTestFile(t, sm2CredentialPath), "cfca1234")
	require.ErrorContains(t, err, "not a PKCS#12 (.pfx) file but a CFCA .sm2 file: use LoadSM2")
	assert.NotErrorIs(t, err, ErrPassword)
	pfx := readTestFile(t, filepath.Join(testCertDir, "acp_test_sign.pfx"))
	_, err = LoadSM2(pfx, "000000")
	require.ErrorContains(t, err, "not a .sm2 file but a PKCS#12 (.pfx) file: use LoadPFX")
	assert.NotContains(t, err.Error(), "asn1", "asn1's struct-tag dump is noise once the file is named")
	// A PFX whose content is typed with SM2's OID (GM/T 0010) is no .sm2 file: LoadPFX does not
	// send it to LoadSM2, which would send it back.
	sm2TypedPFX, err := asn1.Marshal(struct {
		Version int
		Type    asn1.ObjectIdentifier
	}{3, oidSM2Data})
	require.NoError(t, err)
	_, err = LoadPFX(sm2TypedPFX, "000000")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "CFCA .sm2 file")
	// A certificate (an SM2 .cer of UnionPay's gm SDK, or an RSA one) given where the .sm2 file goes
	// (acpsdk.sm2.signCert.path, -sm2) is named as one, PEM or DER, as LoadPFX names it.
	cred, err := LoadSM2(readTestFile(t, sm2CredentialPath), "cfca1234")
	require.NoError(t, err)
	sm2PEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cred.Certificate.Raw})
	rsaPEM := readTestFile(t, filepath.Join(testCertDir, "acp_test_root.cer"))
	for name, in := range map[string][]byte{
		"SM2 certificate DER": cred.Certificate.Raw, "SM2 certificate PEM": sm2PEM, "RSA certificate PEM": rsaPEM,
	} {
		_, err := LoadSM2(in, "cfca1234")
		require.ErrorContains(t, err, "cert: not a .sm2 file but a certificate (CN=", name)
		assert.ErrorContains(t, err, "which holds no private key", name)
		assert.NotContains(t, err.Error(), "asn1", name)
	}
}

// TestLoadSM2ShortKey: a key whose top byte is zero (one in 256) loads whether the file holds it
// in 31, 32 or 33 bytes, as UnionPay's gm SDK reads it (a BigInteger); with a wrong password
// such files are ErrPassword.
func TestLoadSM2ShortKey(t *testing.T) {
	t.Parallel()
	key := shortSM2Key(t)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(70000000031), Subject: pkix.Name{CommonName: "short"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := smx509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	d := scalar(key)
	require.Zero(t, d[0])
	for name, b := range map[string][]byte{"31 bytes": d[1:], "32 bytes": d, "33 bytes": append([]byte{0}, d...)} {
		file := encodeSM2File(t, b, der, "pw")
		c, err := LoadSM2(file, "pw")
		require.NoError(t, err, name)
		assert.True(t, key.Equal(c.Key), name)
		_, err = LoadSM2(file, "wrong")
		require.ErrorIs(t, err, ErrPassword, name)
	}
}

// TestLoadSM2OtherLengthMismatch: a key written in 31 or 33 bytes that is not the certificate's
// is a wrong password (decryptSM2Key's rule: a wrong password gives 31 bytes one time in 256),
// while one written in 32 bytes is a key and certificate that are not a pair.
func TestLoadSM2OtherLengthMismatch(t *testing.T) {
	t.Parallel()
	key := shortSM2Key(t)
	other, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(70000000033), Subject: pkix.Name{CommonName: "other"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := smx509.CreateCertificate(rand.Reader, tmpl, tmpl, &other.PublicKey, other)
	require.NoError(t, err)
	d := scalar(key)
	for name, b := range map[string][]byte{"31 bytes": d[1:], "33 bytes": append([]byte{0}, d...)} {
		_, err := LoadSM2(encodeSM2File(t, b, der, "pw"), "pw")
		require.ErrorIs(t, err, ErrPassword, name)
	}
	_, err = LoadSM2(encodeSM2File(t, d, der, "pw"), "pw")
	require.NotErrorIs(t, err, ErrPassword)
	require.ErrorContains(t, err, "does not match its certificate")
}

// shortSM2Key returns an SM2 key whose scalar's top byte is zero (one key in 256).
func shortSM2Key(t *testing.T) *sm2.PrivateKey {
	t.Helper()
	for {
		key, err := sm2.GenerateKey(rand.Reader)
		require.NoError(t, err)
		if key.D.BitLen() <= 248 {
			return key
		}
	}
}
