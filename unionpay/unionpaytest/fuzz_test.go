package unionpaytest

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// fuzzKeys are the fuzz targets' gateway keys, generated once per test binary. They are
// 1024-bit, not 2048 as NewKeys makes them: the gateway signs every answer with RSA but for
// secure-key requests, and that signature is most of the cost of an input (about 1 ms with a
// 2048-bit key, 0.2 ms with 1024). What the targets check does not depend on the key size.
var fuzzKeys = sync.OnceValues(func() (*Keys, error) {
	var ks [5]*rsa.PrivateKey
	for i := range ks {
		k, err := rsa.GenerateKey(rand.Reader, 1024)
		if err != nil {
			return nil, err
		}
		ks[i] = k
	}
	return &Keys{root: ks[0], middle: ks[1], signing: ks[2], encryption: ks[3], merchant: ks[4]}, nil
})

// fuzzClock is the fuzz targets' gateway clock: fixed, so that no answer depends on when it runs.
func fuzzClock() time.Time {
	return time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

// fuzzSecureKey is the secure key of the fuzz targets' gateways. Requests signed with it
// (signMethod 11 or 12) are answered with an HMAC-like signature instead of RSA: a mutated
// secure-key request costs no private-key operation on either side.
var fuzzSecureKey = []byte("88888888")

// fuzzGateway is a gateway for a fuzz target with what its merchant needs: the gateway's
// routes, signers, and the verifier of the gateway's answers (Server.NotifyVerifier, trusting
// that gateway only).
//
// The fuzz targets are internal tests so that they can serve requests in process, through the
// gateway's own routes (Server.routes), not over loopback: a loopback round trip runs net/http's
// client and server goroutines around every input, whose coverage differs from run to run, so
// the fuzzer kept finding "new" inputs and spent its minimisation time on them. Over loopback,
// FuzzRequestBody made about 600 executions in 45 s; in process, with the keys of fuzzKeys,
// about 14000.
type fuzzGateway struct {
	srv      *Server
	routes   http.Handler
	verifier *cert.Verifier
	rsa      sign.Signer // the merchant's certificate (signMethod 01)
	key      sign.Signer // the secure key (signMethod 11)
}

// newFuzzGateway starts a gateway on the fixed test clock; opts come after the defaults. The
// caller closes it.
func newFuzzGateway(opts ...Option) (*fuzzGateway, error) {
	k, err := fuzzKeys()
	if err != nil {
		return nil, err
	}
	srv := NewServer(append([]Option{WithKeys(k), WithClock(fuzzClock), WithSecureKey(fuzzSecureKey)}, opts...)...)
	g := &fuzzGateway{srv: srv, routes: srv.routes()}
	if g.verifier, err = srv.NotifyVerifier(); err == nil {
		if g.rsa, err = srv.MerchantSigner(); err == nil {
			g.key, err = sign.NewSecureKeySigner(sign.MethodSHA256Key, fuzzSecureKey)
		}
	}
	if err != nil {
		g.close()
		return nil, err
	}
	return g, nil
}

func (g *fuzzGateway) close() { g.srv.Close() }

// answer posts body to ep, in process, and returns the answer's fields. It fails unless the
// gateway answers 200 with a raw body in the charset its Content-Type names that parses
// (sign.ParseRaw, as a client does), has a respCode, and verifies with the verifier a client of
// this gateway uses.
func (g *fuzzGateway) answer(t *testing.T, ep Endpoint, body string) sign.Fields {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, string(ep), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	g.routes.ServeHTTP(rec, req)
	resp := rec.Result()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d for body %q: %s", resp.StatusCode, body, b)
	}
	_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || params["charset"] == "" {
		t.Fatalf("Content-Type %q: no charset (%v)", resp.Header.Get("Content-Type"), err)
	}
	text, err := sign.DecodeBody(b, params["charset"])
	if err != nil {
		t.Fatalf("answer is not %s: %v\n%q", params["charset"], err, b)
	}
	f, err := sign.ParseRaw(text)
	if err != nil {
		t.Fatalf("answer does not parse: %v\n%s", err, text)
	}
	if f["respCode"] == "" {
		t.Fatalf("answer without respCode: %s", text)
	}
	if _, err := g.verifier.Verify(f); err != nil {
		t.Fatalf("answer does not verify: %v\nrequest %q\nanswer %s", err, body, text)
	}
	return f
}

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
	for _, pair := range strings.Split(body, "&") {
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
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
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

// TestRequestBodyTamperedSeeds: the tampered seeds of FuzzRequestBody, signed requests whose
// orderId was changed after signing, are refused as badly signed (11), and the oracle says
// they do not verify; the same requests untampered verify and are answered 00.
func TestRequestBodyTamperedSeeds(t *testing.T) {
	g, err := newFuzzGateway()
	require.NoError(t, err)
	defer g.close()
	for _, s := range []sign.Signer{g.rsa, g.key} {
		t.Run(s.Method(), func(t *testing.T) {
			body := signedRequest(t, g, s, "FUZZGOOD"+s.Method())
			assert.True(t, g.requestVerifies(body))
			assert.Equal(t, CodeSuccess, g.answer(t, EndpointBack, body)["respCode"])

			body = tamperedRequest(t, g, s, "FUZZTAMP"+s.Method(), "FUZZTAMQ"+s.Method())
			assert.False(t, g.requestVerifies(body))
			assert.Equal(t, CodeBadSignature, g.answer(t, EndpointBack, body)["respCode"])
		})
	}
}

// refusedUnsigned lists the respCodes for a request whose signature does not verify: malformed
// (10), bad signature (11), missing field (13, the signature itself, say). Never a success (00,
// A6), a pending code (03, 04, 05, 83) or a business answer that needs a trusted request.
var refusedUnsigned = []string{CodeMalformed, CodeBadSignature, CodeMissingField}

// signedRequest returns the form body of a certificate application (txnType 95) to g for
// orderID, with the fields kv (key, value, ...) added, signed with s.
func signedRequest(tb testing.TB, g *fuzzGateway, s sign.Signer, orderID string, kv ...string) string {
	tb.Helper()
	req := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "txnType": "95", "txnSubType": "00",
		"bizType": "000000", "accessType": "0", "merId": g.srv.MerchantID(), "orderId": orderID,
		"txnTime": g.srv.Now().Format("20060102150405"), "certType": "01", "channelType": "07"}
	for i := 0; i+1 < len(kv); i += 2 {
		req[kv[i]] = kv[i+1]
	}
	if err := sign.Sign(s, req); err != nil {
		tb.Fatal(err)
	}
	body, err := sign.Encode(req)
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// tamperedRequest is signedRequest for orderID with the orderId changed to another after
// signing: otherwise valid, and fresh.
func tamperedRequest(tb testing.TB, g *fuzzGateway, s sign.Signer, orderID, to string) string {
	tb.Helper()
	return strings.Replace(signedRequest(tb, g, s, orderID), "orderId="+orderID, "orderId="+to, 1)
}

// FuzzRequestBody: whatever arrives at the back endpoint, the gateway answers 200 with a raw
// body that verifies with the merchant's verifier of this gateway, never a 5xx or a panic; and
// a request whose own signature does not verify (checked by independentVerify, without package
// sign) is refused as malformed, badly signed or incomplete, never answered with a success or a
// pending code. One gateway serves every input of a fuzz worker (its state grows: a seed's
// orderId is taken once), started outside f.Fuzz; seeds signed with the secure key keep most
// inputs free of RSA signing, which dominates the cost of an answer. Seeds 7 and 8 are signed
// requests whose orderId was changed after signing: a string to sign that left orderId out
// would let the gateway accept them, and the oracle catches it.
func FuzzRequestBody(f *testing.F) {
	g, err := newFuzzGateway()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(g.close)
	rsaBody := signedRequest(f, g, g.rsa, "FUZZCERT01")
	keyBody := signedRequest(f, g, g.key, "FUZZCERT02")
	for _, s := range []string{rsaBody, keyBody, "", "=", "&&&", "a=1&a=2", "version=5.1.0&encoding=GBK&txnAmt=%ZZ",
		tamperedRequest(f, g, g.rsa, "FUZZCERT07", "FUZZCERT08"), tamperedRequest(f, g, g.key, "FUZZCERT09", "FUZZCERT10"),
		strings.Replace(rsaBody, "certType=01", "certType=02", 1), rsaBody + "&reqReserved={a=b&c=[d]}",
		strings.Replace(keyBody, "certType=01", "certType=02", 1), keyBody + "&reqReserved={a=b&c=[d]}",
		signedRequest(f, g, g.key, "FUZZCERT03", "encoding", "GBK", "reqReserved", "中文"),
		signedRequest(f, g, g.key, "FUZZCERT04", "version", "5.0.0"), signedRequest(f, g, g.rsa, "FUZZCERT05", "version", "5.0.0"),
		signedRequest(f, g, g.key, "FUZZCERT06", "signMethod", sign.MethodSM3Key)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		resp := g.answer(t, EndpointBack, body)
		if code := resp["respCode"]; !slices.Contains(refusedUnsigned, code) && !g.requestVerifies(body) {
			t.Fatalf("respCode %s for a request whose signature does not verify: %q", code, body)
		}
	})
}

// FuzzBatchFile: any batch file, properly signed, is answered (accepted, or refused with a
// respCode) with a body that verifies, never a 5xx or a panic. The file is built by the test
// from the fuzz input (see batchInput), so the test knows its rows and their amounts without
// reading the file back: a batch is accepted (00) only if the request's totalQty is the number
// of rows written, the rows' txnAmt add up to its totalAmt, and the header states both; and a
// batch whose totals are all the true ones, with a column line holding orderId and txnAmt and
// every txnAmt 1-12 digits without a leading zero, is accepted. Each input gets a gateway of its
// own on the fixed test clock, so that nothing but the input decides the answer (an earlier
// input's batchNo would make it a duplicate): a failing input reproduces alone. The request is
// signed with the secure key, so that the gateway's start (its certificates) is the one RSA cost.
func FuzzBatchFile(f *testing.F) {
	f.Add("FUZZROW001,100;FUZZROW002,200", "", "", "", "", byte(1))
	f.Add(",", "", "", "1", "1", byte(0))
	f.Add("", "", "", "", "", byte(0))
	f.Add("FUZZROW003,100", "", "", "", "", byte(4|8))
	f.Add("FUZZROW004,300", "", "2", "2", "", byte(0)) // one row short of totalQty
	f.Add("FUZZROW005,100;FUZZROW006,0100", "", "", "", "", byte(2|3<<3))
	f.Add("FUZZROW007,100", "101", "", "", "", byte(0))
	f.Add("FUZZROW011,100;FUZZROW012,200", "250", "", "", "250", byte(0)) // the rows add up to 300
	f.Add("FUZZROW008,100", "", "", "", "", byte(3))
	f.Add("FUZZROW009,1|00;FUZZ\nROW010,2", "", "", "", "", byte(4))
	f.Fuzz(func(t *testing.T, rows, headAmt, headQty, qty, amt string, layout byte) {
		in := batchInput(rows, layout)
		file := in.file(in.orDerived(headAmt, headQty))
		content, err := FileContent([]byte(file))
		if err != nil {
			t.Fatal(err)
		}
		g, err := newFuzzGateway(WithPlainHTTP())
		if err != nil {
			t.Fatal(err)
		}
		defer g.close()
		reqAmt, reqQty := in.orDerived(amt, qty)
		req := sign.Prepare(sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "txnType": "21",
			"txnSubType": "03", "bizType": "000401", "accessType": "0", "merId": g.srv.MerchantID(),
			"txnTime": g.srv.Now().Format("20060102150405"), "batchNo": "0001",
			"totalQty": reqQty, "totalAmt": reqAmt, "fileContent": content})
		if err := sign.Sign(g.key, req); err != nil {
			t.Fatal(err)
		}
		body, err := sign.Encode(req)
		if err != nil {
			t.Skip("not encodable")
		}
		code := g.answer(t, EndpointBatch, body)["respCode"]
		hAmt, hQty := in.orDerived(headAmt, headQty)
		if why := in.disagrees(req["totalQty"], req["totalAmt"], hQty, hAmt); code == CodeSuccess && why != "" {
			t.Fatalf("batch accepted, but %s: totals %q/%q\n%q", why, req["totalQty"], req["totalAmt"], file)
		}
		if code != CodeSuccess && headAmt+headQty+qty+amt == "" && in.wellFormed() {
			t.Fatalf("a well-formed batch with its true totals refused with %s\n%q", code, file)
		}
	})
}

// batchColumnLines are the column lines FuzzBatchFile writes (layout&3); the last has no
// txnAmt column, so its rows carry no amount.
var batchColumnLines = [][]string{
	{"orderId", "txnAmt"},
	{"orderId", "currencyCode", "txnAmt", "accNo"},
	{"txnAmt", "orderId", "accNo"},
	{"orderId", "accNo"},
}

// fuzzBatch is a batch file as FuzzBatchFile writes it: a header "5.0.0|totalAmt|totalQty||",
// a column line, and one line per row, lines ended by eol, then trailing more eols.
type fuzzBatch struct {
	cols     []string
	rows     [][2]string // orderId and txnAmt of each row
	eol      string
	trailing int
}

// batchInput builds a batch from the fuzz input: rows holds the rows separated by ';', each
// "orderId,txnAmt" (split at its first ','); '|', CR and LF are dropped from every cell, so
// that each row is one line of the columns the layout gives. An empty rows is no row. layout:
// bits 0-1 the column line, bit 2 CR LF (else LF), bits 3-4 the number of line ends after the
// last line.
func batchInput(rows string, layout byte) *fuzzBatch {
	b := &fuzzBatch{cols: batchColumnLines[layout&3], eol: "\n", trailing: int(layout >> 3 & 3)}
	if layout&4 != 0 {
		b.eol = "\r\n"
	}
	if rows == "" {
		return b
	}
	for _, r := range strings.Split(rows, ";") {
		id, amount, _ := strings.Cut(r, ",")
		b.rows = append(b.rows, [2]string{batchCell(id), batchCell(amount)})
	}
	return b
}

// batchCell drops '|', CR and LF from s.
func batchCell(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '|' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, s)
}

// has reports whether the batch has the column c.
func (b *fuzzBatch) has(c string) bool { return slices.Contains(b.cols, c) }

// file returns the batch file with the header totals amt and qty.
func (b *fuzzBatch) file(amt, qty string) string {
	var sb strings.Builder
	sb.WriteString("5.0.0|" + batchCell(amt) + "|" + batchCell(qty) + "||" + b.eol + strings.Join(b.cols, "|"))
	for _, r := range b.rows {
		cells := make([]string, len(b.cols))
		for i, c := range b.cols {
			switch c {
			case "orderId":
				cells[i] = r[0]
			case "txnAmt":
				cells[i] = r[1]
			case "currencyCode":
				cells[i] = "156"
			case "accNo":
				cells[i] = "6216261000000000018"
			}
		}
		sb.WriteString(b.eol + strings.Join(cells, "|"))
	}
	sb.WriteString(strings.Repeat(b.eol, b.trailing))
	return sb.String()
}

// sum returns the sum of the rows' amounts, and whether every row has one (the file has a
// txnAmt column) that is a number, with no overflow.
func (b *fuzzBatch) sum() (uint64, bool) {
	var sum uint64
	ok := b.has("txnAmt")
	for _, r := range b.rows {
		n, err := strconv.ParseUint(r[1], 10, 63)
		ok = ok && err == nil && sum+n >= sum
		sum += n
	}
	return sum, ok
}

// orDerived returns amt and qty, each replaced by the batch's true value (the sum of the
// amounts that are numbers, the number of rows) when empty.
func (b *fuzzBatch) orDerived(amt, qty string) (string, string) {
	if amt == "" {
		sum, _ := b.sum()
		amt = strconv.FormatUint(sum, 10)
	}
	if qty == "" {
		qty = strconv.Itoa(len(b.rows))
	}
	return amt, qty
}

// disagrees returns why the batch cannot be accepted with the request's totals qty and amt and
// the header's hQty and hAmt, or "": all four must be numbers, the quantities the number of
// rows written, the amounts the sum of the rows' amounts.
func (b *fuzzBatch) disagrees(qty, amt, hQty, hAmt string) string {
	num := func(s string) (uint64, bool) {
		n, err := strconv.ParseUint(s, 10, 63)
		return n, err == nil
	}
	q, ok1 := num(qty)
	hq, ok2 := num(batchCell(hQty))
	a, ok3 := num(amt)
	ha, ok4 := num(batchCell(hAmt))
	sum, ok := b.sum()
	switch {
	case !ok1 || !ok2 || !ok3 || !ok4:
		return "a total is not a number"
	case q != uint64(len(b.rows)) || hq != q:
		return fmt.Sprintf("the file has %d rows", len(b.rows))
	case !ok:
		return "a row has no numeric txnAmt"
	case a != sum || ha != a:
		return fmt.Sprintf("the rows add up to %d", sum)
	}
	return ""
}

// wellFormed reports whether the batch has at least one row, orderId and txnAmt columns, and
// every txnAmt 1 to 12 digits without a leading zero (amounts in fen, as UnionPay's batch
// specification has them).
func (b *fuzzBatch) wellFormed() bool {
	if len(b.rows) == 0 || !b.has("orderId") || !b.has("txnAmt") {
		return false
	}
	for _, r := range b.rows {
		a := r[1]
		if a == "" || len(a) > 12 || a[0] == '0' || strings.Trim(a, "0123456789") != "" {
			return false
		}
	}
	return true
}
