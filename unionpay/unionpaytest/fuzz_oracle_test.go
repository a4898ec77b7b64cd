package unionpaytest

// The oracle of FuzzRequestBody: a request's own signature checked with no code of package
// sign, and its test against UnionPay's official vectors.

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

// requestVerifies reports whether body is a request whose own signature verifies, signed with
// the test merchant's certificate (signMethod 01 and its certId, the certificate's serial number
// in decimal) or with the secure key (11 or 12). It is checked by independentVerify, with no code
// of package sign: a fault in how package sign parses a request or builds its string to sign,
// which the gateway shares, shows as a disagreement.
func (g *fuzzGateway) requestVerifies(body string) bool {
	c := g.srv.MerchantCertificate()
	pub, ok := c.PublicKey.(*rsa.PublicKey)
	return ok && independentVerify(body, pub, c.SerialNumber.String(), fuzzSecureKey)
}

// independentVerify checks the signature of a form-encoded request with the standard library
// alone (and gmsm's SM3 for signMethod 12), following UnionPay's published rules:
//
//   - the body is split at '&' and each pair at its first '=', keys and values percent-decoded
//     ('+' as space) with net/url; a repeated key, an empty key or a bad escape is refused, and
//     a field with an empty value is not part of the message (the official SDK drops blank
//     fields before signing, and unionpaytest's gateway, like UnionPay's SDKs, before verifying);
//   - the string to sign is every field but "signature", sorted by key in byte order, "k=v"
//     joined by '&', the decoded bytes as they came (a GBK request's bytes are GBK already);
//   - signMethod 01: RSA PKCS#1 v1.5 over H(lowercase hex of H(string to sign)), H = SHA-256 for
//     version 5.1.0 and SHA-1 for 5.0.0, with pub, and only if certId is certID;
//   - signMethod 11 (12): signature = lowercase hex of H(string to sign + "&" + lowercase hex of
//     H(secureKey)), H = SHA-256 (SM3).
func independentVerify(body string, pub *rsa.PublicKey, certID string, secureKey []byte) bool {
	f := map[string]string{}
	seen := map[string]bool{}
	for pair := range strings.SplitSeq(body, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || key == "" || seen[key] {
			return false
		}
		seen[key] = true
		if value != "" {
			f[key] = value
		}
	}
	s := stringToSign(f)
	switch f["signMethod"] {
	case "01":
		var h crypto.Hash
		var digest []byte
		switch f["version"] {
		case "5.1.0":
			sum := sha256.Sum256(s)
			sum = sha256.Sum256([]byte(hex.EncodeToString(sum[:])))
			h, digest = crypto.SHA256, sum[:]
		case "5.0.0":
			sum := sha1.Sum(s)
			sum = sha1.Sum([]byte(hex.EncodeToString(sum[:])))
			h, digest = crypto.SHA1, sum[:]
		default:
			return false
		}
		sig, err := base64.StdEncoding.DecodeString(f["signature"])
		return err == nil && f["certId"] == certID && rsa.VerifyPKCS1v15(pub, h, digest, sig) == nil
	case "11":
		return f["signature"] == secureKeySignature(sha256.New, s, secureKey)
	case "12":
		return f["signature"] == secureKeySignature(sm3.New, s, secureKey)
	}
	return false
}

// stringToSign joins the fields of f but "signature", sorted by key in byte order, as k=v pairs
// separated by '&'.
func stringToSign(f map[string]string) []byte {
	keys := make([]string, 0, len(f))
	for k := range f {
		if k != "signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b bytes.Buffer
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + f[k])
	}
	return b.Bytes()
}

// secureKeySignature is hex(H(s + "&" + hex(H(key)))), lowercase.
func secureKeySignature(newHash func() hash.Hash, s, key []byte) string {
	kh := newHash()
	kh.Write(key)
	h := newHash()
	h.Write(s)
	h.Write([]byte("&" + hex.EncodeToString(kh.Sum(nil))))
	return hex.EncodeToString(h.Sum(nil))
}

// officialVectors holds the outputs of UnionPay's official Java SDK (see its README).
const officialVectors = "../../testdata/official-sdk-vectors"

// readVector reads an official vector file: one key=value per line, split at the first '=',
// with \r \n \t \\ escapes in values.
func readVector(t *testing.T, name string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(officialVectors, name))
	require.NoError(t, err)
	f := map[string]string{}
	for line := range strings.SplitSeq(strings.TrimRight(string(b), "\n"), "\n") {
		k, v, ok := strings.Cut(line, "=")
		require.True(t, ok, "line %q", line)
		f[k] = strings.NewReplacer(`\r`, "\r", `\n`, "\n", `\t`, "\t", `\\`, `\`).Replace(v)
	}
	return f
}

// formBody encodes f as a form body, keys sorted, as a merchant posts it.
func formBody(f map[string]string) string {
	v := url.Values{}
	for k, x := range f {
		v.Set(k, x)
	}
	return v.Encode()
}

// TestIndependentVerifyOfficialVectors: FuzzRequestBody's oracle reproduces what UnionPay's
// official SDK signed: the string to sign and its digest of each canonical.txt, and the RSA
// (5.1.0, 5.0.0, two merchant keys) and secure-key (11, 12) signatures; a request whose orderId
// was changed after signing, or with another certId, does not verify.
func TestIndependentVerifyOfficialVectors(t *testing.T) {
	load := func(t *testing.T, pfx string) *rsa.PublicKey {
		b, err := os.ReadFile(filepath.Join("../../testdata/acp-test-certs", pfx))
		require.NoError(t, err)
		key, _, _, err := pkcs12.DecodeChain(b, "000000")
		require.NoError(t, err)
		return &key.(*rsa.PrivateKey).PublicKey
	}
	tamper := func(f map[string]string, k, v string) map[string]string {
		g := maps.Clone(f)
		g[k] = v
		return g
	}
	key := []byte("88888888")
	cases := []struct {
		name, kv, canonical, pfx, certID string
	}{
		{"5.1.0 RSA", "consume_request.signed-5.1.0-acp_test_sign.kv", "consume_request.signed-5.1.0-acp_test_sign.canonical.txt",
			"acp_test_sign.pfx", "69629715588"},
		{"5.0.0 RSA", "consume_request.signed-5.0.0-acp_test_sign.kv", "consume_request.signed-5.0.0-acp_test_sign.canonical.txt",
			"acp_test_sign.pfx", "69629715588"},
		{"5.1.0 RSA, unipayAppCert", "consume_request.signed-5.1.0-unipayAppCert.kv", "", "unipayAppCert.pfx", "69903319369"},
		{"secure key 11", "consume_request.signed-secure-key-11.kv", "", "", ""},
		{"secure key 12", "consume_request.signed-secure-key-12.kv", "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := readVector(t, c.kv)
			var pub *rsa.PublicKey
			if c.pfx != "" {
				pub = load(t, c.pfx)
			}
			if c.canonical != "" {
				b, err := os.ReadFile(filepath.Join(officialVectors, c.canonical))
				require.NoError(t, err)
				lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
				require.Len(t, lines, 2)
				assert.Equal(t, lines[0], string(stringToSign(f)))
				if f["version"] == "5.1.0" {
					sum := sha256.Sum256([]byte(lines[0]))
					assert.Equal(t, lines[1], hex.EncodeToString(sum[:]))
				} else {
					sum := sha1.Sum([]byte(lines[0]))
					assert.Equal(t, lines[1], hex.EncodeToString(sum[:]))
				}
			}
			switch f["signMethod"] {
			case "11":
				assert.Equal(t, f["signature"], secureKeySignature(sha256.New, stringToSign(f), key))
			case "12":
				assert.Equal(t, f["signature"], secureKeySignature(sm3.New, stringToSign(f), key))
			}
			assert.True(t, independentVerify(formBody(f), pub, c.certID, key), "the official request verifies")
			assert.False(t, independentVerify(formBody(tamper(f, "orderId", "20261125203000002")), pub, c.certID, key),
				"orderId changed after signing")
			assert.False(t, independentVerify(formBody(tamper(f, "txnAmt", "1001")), pub, c.certID, key),
				"txnAmt changed after signing")
			assert.False(t, independentVerify(formBody(f)+"&orderId=x", pub, c.certID, key), "orderId given twice")
			assert.True(t, independentVerify(formBody(f)+"&reserved=", pub, c.certID, key), "an empty field is no part of the message")
			if c.pfx != "" {
				assert.False(t, independentVerify(formBody(f), pub, c.certID+"0", key), "another certId")
			} else {
				assert.False(t, independentVerify(formBody(f), pub, c.certID, []byte("88888889")), "another key")
			}
		})
	}
}
