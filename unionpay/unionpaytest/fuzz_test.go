package unionpaytest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// fuzzServer starts a gateway for a fuzz target; the merchant signer signs seeds and batch files.
func fuzzServer(f *testing.F) (*unionpaytest.Server, sign.Signer, *clock) {
	k, err := sharedKeys()
	if err != nil {
		f.Fatal(err)
	}
	c := newClock()
	srv := unionpaytest.NewServer(unionpaytest.WithKeys(k), unionpaytest.WithClock(c.Now))
	f.Cleanup(srv.Close)
	signer, err := srv.MerchantSigner()
	if err != nil {
		f.Fatal(err)
	}
	return srv, signer, c
}

// checkAnswer posts body to ep and fails unless the gateway answers 200 with a signed raw body.
func checkAnswer(t *testing.T, srv *unionpaytest.Server, hc *http.Client, ep unionpaytest.Endpoint, body string) sign.Fields {
	resp, err := hc.Post(srv.URLFor(ep), "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d for body %q", resp.StatusCode, body)
	}
	text, err := sign.DecodeBody(b, "GBK") // ASCII and GBK answers both decode
	if err != nil {
		text = string(b)
	}
	f, err := sign.ParseRaw(text)
	if err != nil {
		t.Fatalf("answer does not parse: %v\n%s", err, b)
	}
	if f["respCode"] == "" || f["signature"] == "" {
		t.Fatalf("answer without respCode or signature: %s", b)
	}
	return f
}

// FuzzRequestBody: whatever arrives at the back endpoint, the gateway answers a signed raw
// response, never a 5xx or a panic, and never "00" unless the request was properly signed.
func FuzzRequestBody(f *testing.F) {
	srv, signer, c := fuzzServer(f)
	good := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "txnType": "95", "txnSubType": "00",
		"bizType": "000000", "accessType": "0", "merId": srv.MerchantID(), "orderId": "FUZZCERT01",
		"txnTime": c.Now().Format("20060102150405"), "certType": "01", "channelType": "07"}
	if err := sign.Sign(signer, good); err != nil {
		f.Fatal(err)
	}
	body, err := sign.Encode(good)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{body, "", "=", "&&&", "a=1&a=2", "version=5.1.0&encoding=GBK&txnAmt=%ZZ",
		strings.Replace(body, "certType=01", "certType=02", 1), body + "&reqReserved={a=b&c=[d]}"} {
		f.Add(seed)
	}
	hc := srv.HTTPClient()
	f.Fuzz(func(t *testing.T, body string) {
		resp := checkAnswer(t, srv, hc, unionpaytest.EndpointBack, body)
		if resp["respCode"] == "00" && !strings.Contains(body, "signature=") {
			t.Fatalf("accepted an unsigned request: %q", body)
		}
	})
}

// FuzzBatchFile: any batch file, properly signed, is answered (accepted, or refused with a
// respCode), never a 5xx or a panic.
func FuzzBatchFile(f *testing.F) {
	srv, signer, c := fuzzServer(f)
	f.Add("5.0.0|300|2||\norderId|currencyCode|txnAmt|accNo\nFUZZROW001|156|100|6216261000000000018\nFUZZROW002|156|200|6216261000000000018", "2", "300")
	f.Add("5.0.0|1|1||\norderId|txnAmt\n||", "1", "1")
	f.Add("\n\n\n", "0", "0")
	f.Add("5.0.0|100|1||\r\norderId|txnAmt\r\nFUZZROW003|100\r\n", "1", "100")
	hc := srv.HTTPClient()
	n := 0
	f.Fuzz(func(t *testing.T, file, qty, amt string) {
		content, err := unionpaytest.FileContent([]byte(file))
		if err != nil {
			t.Fatal(err)
		}
		n++
		req := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "txnType": "21", "txnSubType": "03",
			"bizType": "000401", "accessType": "0", "merId": srv.MerchantID(),
			"txnTime": c.Now().Add(time.Duration(n%600) * time.Second).Format("20060102150405"),
			"batchNo": "0001", "totalQty": qty, "totalAmt": amt, "fileContent": content}
		req = sign.Prepare(req)
		if err := sign.Sign(signer, req); err != nil {
			t.Fatal(err)
		}
		body, err := sign.Encode(req)
		if err != nil {
			t.Skip("not encodable")
		}
		checkAnswer(t, srv, hc, unionpaytest.EndpointBatch, body)
	})
}
