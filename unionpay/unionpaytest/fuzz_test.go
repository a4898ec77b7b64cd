package unionpaytest

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

// answer posts body to ep, in process (fuzzGateway.serve), and returns the answer's fields. It
// fails unless the gateway answers 200 with a raw body in the charset its Content-Type names
// (valid text in it) that parses (sign.ParseRaw, as a client does), has a respCode, and verifies
// with the verifier a client of this gateway uses.
func (g *fuzzGateway) answer(t *testing.T, ep Endpoint, body string) sign.Fields {
	t.Helper()
	resp, b := g.serve(t, ep, body)
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
	if !utf8.ValidString(text) {
		t.Fatalf("answer is not valid %s: %q", params["charset"], b)
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
	for r := range strings.SplitSeq(rows, ";") {
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
