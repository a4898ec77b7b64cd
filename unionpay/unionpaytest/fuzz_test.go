package unionpaytest

import (
	"crypto/rand"
	"crypto/rsa"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

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

// requestVerifies reports whether body is a request whose own signature verifies, checked with
// package sign's primitives: parsed as a gateway parses requests (sign.ParseRequestForm), signed
// with the test merchant's certificate (signMethod 01 and its certId) or with the secure key
// (11 or 12).
func (g *fuzzGateway) requestVerifies(body string) bool {
	f, err := sign.ParseRequestForm(body)
	if err != nil {
		return false
	}
	canonical, err := sign.Canonical(f)
	if err != nil {
		return false
	}
	switch m := f["signMethod"]; m {
	case sign.MethodRSA:
		pub, ok := g.srv.MerchantCertificate().PublicKey.(*rsa.PublicKey)
		return ok && f["certId"] == g.srv.MerchantCertID() &&
			sign.VerifyRSA(pub, f["version"], canonical, f["signature"]) == nil
	case sign.MethodSHA256Key, sign.MethodSM3Key:
		return sign.VerifySecureKey(m, fuzzSecureKey, canonical, f["signature"]) == nil
	}
	return false
}

// refusedUnsigned lists the respCodes for a request whose signature does not verify: malformed
// (10), bad signature (11), missing field (13, the signature itself, say). Never a success (00,
// A6), a pending code (03, 04, 05, 83) or a business answer that needs a trusted request.
var refusedUnsigned = []string{CodeMalformed, CodeBadSignature, CodeMissingField}

// FuzzRequestBody: whatever arrives at the back endpoint, the gateway answers 200 with a raw
// body that verifies with the merchant's verifier of this gateway, never a 5xx or a panic; and
// a request whose own signature does not verify (checked independently with package sign) is
// refused as malformed, badly signed or incomplete, never answered with a success or a pending
// code. One gateway serves every input of a fuzz worker (its state grows: a seed's orderId is
// taken once), started outside f.Fuzz; seeds signed with the secure key keep most inputs free
// of RSA signing, which dominates the cost of an answer.
func FuzzRequestBody(f *testing.F) {
	g, err := newFuzzGateway()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(g.close)
	seed := func(s sign.Signer, orderID string, kv ...string) string {
		req := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "txnType": "95", "txnSubType": "00",
			"bizType": "000000", "accessType": "0", "merId": g.srv.MerchantID(), "orderId": orderID,
			"txnTime": g.srv.Now().Format("20060102150405"), "certType": "01", "channelType": "07"}
		for i := 0; i+1 < len(kv); i += 2 {
			req[kv[i]] = kv[i+1]
		}
		if err := sign.Sign(s, req); err != nil {
			f.Fatal(err)
		}
		body, err := sign.Encode(req)
		if err != nil {
			f.Fatal(err)
		}
		return body
	}
	rsaBody := seed(g.rsa, "FUZZCERT01")
	keyBody := seed(g.key, "FUZZCERT02")
	// Signed requests whose orderId was changed after signing: otherwise valid, and fresh.
	tampered := func(s sign.Signer, orderID, to string) string {
		return strings.Replace(seed(s, orderID), "orderId="+orderID, "orderId="+to, 1)
	}
	for _, s := range []string{rsaBody, keyBody, "", "=", "&&&", "a=1&a=2", "version=5.1.0&encoding=GBK&txnAmt=%ZZ",
		tampered(g.rsa, "FUZZCERT07", "FUZZCERT08"), tampered(g.key, "FUZZCERT09", "FUZZCERT10"),
		strings.Replace(rsaBody, "certType=01", "certType=02", 1), rsaBody + "&reqReserved={a=b&c=[d]}",
		strings.Replace(keyBody, "certType=01", "certType=02", 1), keyBody + "&reqReserved={a=b&c=[d]}",
		seed(g.key, "FUZZCERT03", "encoding", "GBK", "reqReserved", "中文"),
		seed(g.key, "FUZZCERT04", "version", "5.0.0"), seed(g.rsa, "FUZZCERT05", "version", "5.0.0"),
		seed(g.key, "FUZZCERT06", "signMethod", sign.MethodSM3Key)} {
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
// respCode) with a body that verifies, never a 5xx or a panic; and accepted (00) only if its
// header's totals and its number of rows are those of the request. Each input gets a gateway of
// its own on the fixed test clock, so that nothing but the input decides the answer (an earlier
// input's batchNo would make it a duplicate): a failing input reproduces alone. The request is
// signed with the secure key, so that the gateway's start (its certificates) is the one RSA cost.
func FuzzBatchFile(f *testing.F) {
	f.Add("5.0.0|300|2||\norderId|currencyCode|txnAmt|accNo\nFUZZROW001|156|100|6216261000000000018\nFUZZROW002|156|200|6216261000000000018", "2", "300")
	f.Add("5.0.0|1|1||\norderId|txnAmt\n||", "1", "1")
	f.Add("\n\n\n", "0", "0")
	f.Add("5.0.0|100|1||\r\norderId|txnAmt\r\nFUZZROW003|100\r\n", "1", "100")
	f.Add("5.0.0|300|2||\norderId|txnAmt\nFUZZROW004|300", "2", "300") // one row short of totalQty
	f.Fuzz(func(t *testing.T, file, qty, amt string) {
		content, err := FileContent([]byte(file))
		if err != nil {
			t.Fatal(err)
		}
		g, err := newFuzzGateway(WithPlainHTTP())
		if err != nil {
			t.Fatal(err)
		}
		defer g.close()
		req := sign.Prepare(sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "txnType": "21",
			"txnSubType": "03", "bizType": "000401", "accessType": "0", "merId": g.srv.MerchantID(),
			"txnTime": g.srv.Now().Format("20060102150405"), "batchNo": "0001",
			"totalQty": qty, "totalAmt": amt, "fileContent": content})
		if err := sign.Sign(g.key, req); err != nil {
			t.Fatal(err)
		}
		body, err := sign.Encode(req)
		if err != nil {
			t.Skip("not encodable")
		}
		resp := g.answer(t, EndpointBatch, body)
		if resp["respCode"] == CodeSuccess && !batchTotalsAgree(file, req["totalQty"], req["totalAmt"]) {
			t.Fatalf("batch accepted with totals %s/%s: %q", req["totalQty"], req["totalAmt"], file)
		}
	})
}

// batchTotalsAgree reports whether a batch file, as UnionPay's batch specification lays it out
// (header version|totalAmt|totalQty||, a column line, one line per row; CRLF or LF, trailing
// line ends ignored), states the request's totalAmt and totalQty and has totalQty rows.
func batchTotalsAgree(file, qty, amt string) bool {
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(file, "\r\n", "\n"), "\n"), "\n")
	head := strings.Split(lines[0], "|")
	if len(lines) < 2 || len(head) < 3 {
		return false
	}
	q, err1 := strconv.ParseInt(qty, 10, 64)
	a, err2 := strconv.ParseInt(amt, 10, 64)
	hq, err3 := strconv.ParseInt(head[2], 10, 64)
	ha, err4 := strconv.ParseInt(head[1], 10, 64)
	return err1 == nil && err2 == nil && err3 == nil && err4 == nil && q == hq && a == ha && int64(len(lines)-2) == q
}
