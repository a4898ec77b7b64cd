package unionpaytest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// The fuzz targets of the endpoints other than backTransReq.do (FuzzRequestBody's): front, app,
// card, query, batch and file. Their seeds are the requests package unionpay's Client sends (it
// posts them through captureTransport, which serves them in process and keeps their bodies),
// signed with the merchant's certificate and with the secure key, so that the fuzzer starts past
// the signature check; each target's second argument re-signs the mutated body with the secure
// key, so that mutations of the fields reach the checks after the signature's.

// fuzzHang is how long one input may take before a target calls it a hang (see watchdog): an
// in-process answer takes milliseconds.
const fuzzHang = 10 * time.Second

// captureTransport is an http.RoundTripper that serves a Client's requests with a gateway's
// routes, in process, and keeps each request's body by endpoint.
type captureTransport struct {
	routes http.Handler
	mu     sync.Mutex
	bodies map[Endpoint][]string
	sent   []sentRequest // in order
}

// sentRequest is a request a Client sent.
type sentRequest struct {
	ep   Endpoint
	body string
}

func (c *captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.bodies[Endpoint(r.URL.Path)] = append(c.bodies[Endpoint(r.URL.Path)], string(b))
	c.sent = append(c.sent, sentRequest{Endpoint(r.URL.Path), string(b)})
	c.mu.Unlock()
	req := httptest.NewRequestWithContext(r.Context(), r.Method, r.URL.Path, bytes.NewReader(b))
	req.Header = r.Header.Clone()
	rec := httptest.NewRecorder()
	c.routes.ServeHTTP(rec, req)
	return rec.Result(), nil
}

// fuzzSeeds are the request bodies a Client sent to each endpoint of a gateway, and the front
// forms it built (which a browser would post), signed with the merchant's certificate and with
// the secure key; and the requests it sent signed with the secure key, in order, to replay on a
// fresh gateway (see setup).
type fuzzSeeds struct {
	bodies map[Endpoint][]string
	keyed  []sentRequest
}

// setup returns the secure-key requests the Client sent to other endpoints than ep that make
// transactions (not queries or file downloads): replayed before an input to ep, they give a
// query its transactions to find, but leave the orderIds and batchNos of ep's own seeds free.
func (s fuzzSeeds) setup(ep Endpoint) []sentRequest {
	var out []sentRequest
	for _, r := range s.keyed {
		if r.ep != ep && r.ep != EndpointQuery && r.ep != EndpointFile {
			out = append(out, r)
		}
	}
	return out
}

// clientSeeds makes the requests of a shop's day with package unionpay's Client, once signing
// with the merchant's certificate and once with the secure key, each time against a new gateway
// of the fuzz targets (fuzzKeys, fuzzClock, fuzzSecureKey: any such gateway takes them, its
// merchant certificate's serial being fixed), and returns their bodies. The calls' outcomes do
// not matter: a refusal's request is a seed too.
func clientSeeds(tb testing.TB) fuzzSeeds {
	tb.Helper()
	seeds := fuzzSeeds{bodies: map[Endpoint][]string{}}
	for _, method := range []string{sign.MethodRSA, sign.MethodSHA256Key} {
		ct := clientDay(tb, method, &seeds)
		for ep, bodies := range ct.bodies {
			seeds.bodies[ep] = append(seeds.bodies[ep], bodies...)
		}
		// The card endpoint takes what the back endpoint does: no Client call posts to it.
		seeds.bodies[EndpointCard] = append(seeds.bodies[EndpointCard], ct.bodies[EndpointBack]...)
		if method == sign.MethodSHA256Key {
			seeds.keyed = ct.sent
		}
	}
	for _, ep := range []Endpoint{EndpointFront, EndpointApp, EndpointCard, EndpointQuery, EndpointBatch, EndpointFile} {
		if len(seeds.bodies[ep]) == 0 {
			tb.Fatalf("no Client request to %s", ep)
		}
	}
	return seeds
}

// clientDay runs clientSeeds' calls signed with method (01 or 11) on a new gateway, adds the
// front forms to seeds, and returns the requests sent.
func clientDay(tb testing.TB, method string, seeds *fuzzSeeds) *captureTransport {
	tb.Helper()
	g, err := newFuzzGateway(WithNotifySchedule(time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	defer g.close()
	ct := &captureTransport{routes: g.routes, bodies: map[Endpoint][]string{}}
	cfg := g.srv.Config()
	cfg.HTTPClient = &http.Client{Transport: ct}
	if method == sign.MethodSHA256Key {
		cfg.Signer = g.key
	}
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, now := context.Background(), g.srv.Now()
	id := func(n string) string { return "FUZZ" + n + method + "01" }
	const front, back = "https://shop.example/return", "https://shop.example/notify"
	for _, r := range []*unionpay.ConsumeRequest{
		{OrderID: id("FRONT"), Amount: 100, FrontURL: front, BackURL: back, PayTimeout: now.Add(15 * time.Minute),
			ReqReserved: "id=42", Reserved: sign.Fields{"cardNumberLock": "1"}, AccNo: TestCard},
		{OrderID: id("FRONTI"), Amount: 1200, FrontURL: front, BackURL: back, Installments: true, InstallmentCount: 3},
	} {
		form, err := c.FrontConsume(r)
		if err != nil {
			tb.Fatal(err)
		}
		addForm(tb, seeds, form)
	}
	open, err := c.FrontOpenCard(&unionpay.FrontOpenRequest{OrderID: id("OPEN"), FrontURL: front, BackURL: back, AccNo: TestCard})
	if err != nil {
		tb.Fatal(err)
	}
	addForm(tb, seeds, open)
	_, _ = c.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: id("APP"), Amount: 300, BackURL: back})
	_, _ = c.AppPreAuth(ctx, &unionpay.ConsumeRequest{OrderID: id("APPPRE"), Amount: 400, BackURL: back})
	paid, _ := c.BackConsume(ctx, &unionpay.CardRequest{OrderID: id("BACK"), Amount: 500, BackURL: back, AccNo: TestCard})
	_, _ = c.OpenCard(ctx, &unionpay.AccountRequest{OrderID: id("BOPEN"), AccNo: TestCard, BizType: unionpay.BizTypeToken,
		TokenRequestorID: "62000000001"})
	_, _ = c.Query(ctx, &unionpay.QueryRequest{OrderID: id("BACK"), TxnTime: now})
	_, _ = c.Query(ctx, &unionpay.QueryRequest{OrderID: id("APP"), TxnTime: now})
	_, _ = c.Query(ctx, &unionpay.QueryRequest{OrderID: id("APPPRE"), TxnTime: now, TxnType: "02", Amount: 400})
	if paid != nil {
		_, _ = c.Query(ctx, &unionpay.QueryRequest{QueryID: paid.QueryID})
	}
	_, _ = c.SubmitBatch(ctx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001", Records: []unionpay.BatchRecord{
		{OrderID: id("ROW1"), Amount: 100, AccType: "01", AccNo: TestCard, CustomerName: "张三"},
		{OrderID: id("ROW2"), Amount: 250, AccType: "01", AccNo: TestCard}}})
	_, _ = c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001", TxnTime: now})
	_, _ = c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: now})
	return ct
}

// addForm adds the body a browser posts for form to seeds.
func addForm(tb testing.TB, seeds *fuzzSeeds, form *unionpay.Form) {
	tb.Helper()
	body, err := sign.Encode(form.Fields)
	if err != nil {
		tb.Fatal(err)
	}
	seeds.bodies[EndpointFront] = append(seeds.bodies[EndpointFront], body)
}

// resigned returns body with its fields signed again with the secure key (signMethod 11, no
// certId), as a merchant that built those fields would sign them; body itself when it does not
// parse or cannot be signed or encoded.
func resigned(g *fuzzGateway, body string) string {
	f, err := sign.ParseRequestForm(body)
	if err != nil {
		return body
	}
	delete(f, "certId")
	delete(f, "signature")
	if f["version"] == "" {
		f["version"] = sign.Version510
	}
	if err := sign.Sign(g.key, f); err != nil {
		return body
	}
	out, err := sign.Encode(f)
	if err != nil {
		return body
	}
	return out
}

// serve posts body to ep through g's routes, in process, and returns the response and its body.
func (g *fuzzGateway) serve(t *testing.T, ep Endpoint, body string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, string(ep), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	g.routes.ServeHTTP(rec, req)
	resp := rec.Result()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// watchdog crashes the test binary, with every goroutine's stack, unless the returned stop is
// called within fuzzHang: the fuzzer has no time limit of its own for an input, and keeps the
// input of a worker that crashed.
func watchdog(body string) (stop func() bool) {
	return time.AfterFunc(fuzzHang, func() {
		debug.SetTraceback("all")
		panic(fmt.Sprintf("no answer in %v for body %q", fuzzHang, body))
	}).Stop
}

// resultCode matches the message page's respCode.
var resultCode = regexp.MustCompile(`<p id="result" data-respcode="([0-9A-Z]{2})">`)

// frontAnswer posts body to the front endpoint as a browser would and checks the page: 200,
// HTML in UTF-8 that is valid UTF-8, and either the cashier page or the message page with a
// respCode. It returns that respCode, "" for the cashier page.
func (g *fuzzGateway) frontAnswer(t *testing.T, body string) string {
	t.Helper()
	resp, b := g.serve(t, EndpointFront, body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d for body %q: %s", resp.StatusCode, body, b)
	}
	if mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != "text/html" ||
		!strings.EqualFold(params["charset"], "UTF-8") {
		t.Fatalf("Content-Type %q for body %q", resp.Header.Get("Content-Type"), body)
	}
	if !utf8.Valid(b) {
		t.Fatalf("page is not UTF-8 for body %q:\n%q", body, b)
	}
	if bytes.Contains(b, []byte(`<form id="cashier"`)) {
		return ""
	}
	m := resultCode.FindSubmatch(b)
	if m == nil {
		t.Fatalf("neither the cashier page nor a result for body %q:\n%s", body, b)
	}
	return string(m[1])
}

// endpointGateway is the gateway a target of ep fuzzes: one per fuzz worker, started outside
// f.Fuzz (a gateway per input starts a listener, whose goroutines make coverage differ from run
// to run), whose transactions are reset before each input (fresh) to those the Client's requests
// of seeds to other endpoints made (see fuzzSeeds.setup): an input meets the same state however
// many came before it, so that its coverage is its own and a failing input reproduces alone.
type endpointGateway struct {
	*fuzzGateway
	setup []sentRequest
}

// newEndpointGateway starts the gateway of a target of ep, with the setup seeds.setup(ep) and no
// notifications; f's cleanup closes it.
func newEndpointGateway(f *testing.F, seeds fuzzSeeds, ep Endpoint) *endpointGateway {
	f.Helper()
	g, err := newFuzzGateway()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(g.close)
	// Marked closed, the gateway still answers but starts no notification delivery: a delivery's
	// goroutine would run into the next input, whose coverage would then differ from run to run
	// (and the fuzzer spend its time minimising inputs it wrongly finds new).
	g.srv.mu.Lock()
	g.srv.closed = true
	g.srv.mu.Unlock()
	return &endpointGateway{fuzzGateway: g, setup: seeds.setup(ep)}
}

// fresh forgets every transaction, batch and delivery of the gateway and replays the setup
// requests.
func (g *endpointGateway) fresh() {
	s := g.srv
	s.mu.Lock()
	s.seq, s.finals = 0, 0
	s.orders, s.byQueryID, s.sessions = map[string]*txn{}, map[string]*txn{}, map[string]*txn{}
	s.batches, s.tokenDeletes = map[string]*batch{}, map[string]int{}
	s.deliveries, s.ledger = history[Delivery]{limit: s.opts.historyLimit}, history[*txn]{limit: s.opts.ledgerLimit}
	s.mu.Unlock()
	for _, r := range g.setup {
		req := httptest.NewRequest(http.MethodPost, string(r.ep), strings.NewReader(r.body))
		g.routes.ServeHTTP(httptest.NewRecorder(), req)
	}
}

// fuzzEndpoint is the body of the targets of the server-to-server endpoints: body (re-signed
// with the secure key when resign is set) is posted to ep of g, on its fresh state, and the
// answer must be a signed raw answer (fuzzGateway.answer); a request whose own signature does
// not verify must be refused as malformed, badly signed or incomplete.
func fuzzEndpoint(t *testing.T, g *endpointGateway, ep Endpoint, body string, resign bool) {
	defer watchdog(body)()
	g.fresh()
	if resign {
		body = resigned(g.fuzzGateway, body)
	}
	code := g.answer(t, ep, body)["respCode"]
	if !slices.Contains(refusedUnsigned, code) && !g.requestVerifies(body) {
		t.Fatalf("respCode %s for a request whose signature does not verify: %q", code, body)
	}
}

// fuzzEndpointTarget is the whole of a server-to-server endpoint's target: seeded with the
// Client's requests to ep (addSeeds), on a gateway holding the transactions of the seeds'
// requests to state (newEndpointGateway), each input posted to ep (fuzzEndpoint).
func fuzzEndpointTarget(f *testing.F, ep, state Endpoint) {
	seeds := clientSeeds(f)
	addSeeds(f, seeds.bodies[ep])
	g := newEndpointGateway(f, seeds, state)
	f.Fuzz(func(t *testing.T, body string, resign bool) { fuzzEndpoint(t, g, ep, body, resign) })
}

// addSeeds adds each of bodies to f twice: as it is, and to be re-signed.
func addSeeds(f *testing.F, bodies []string) {
	for _, b := range slices.Concat(bodies, []string{"", "=", "a=%ZZ&encoding=GBK", "version=5.1.0&encoding=UTF-8&signMethod=11&signature=x"}) {
		f.Add(b, false)
		f.Add(b, true)
	}
}

// FuzzAppRequest: whatever arrives at appTransReq.do gets a signed raw answer, never a 5xx,
// a panic or a hang, and a request that does not verify is refused (see fuzzEndpoint).
func FuzzAppRequest(f *testing.F) {
	fuzzEndpointTarget(f, EndpointApp, EndpointApp)
}

// FuzzCardRequest is FuzzAppRequest for cardTransReq.do, seeded with the Client's back-end
// requests (the card endpoint takes what the back endpoint takes).
func FuzzCardRequest(f *testing.F) {
	fuzzEndpointTarget(f, EndpointCard, EndpointBack)
}

// FuzzQueryRequest is FuzzAppRequest for queryTrans.do, on a gateway holding the transactions
// the seeds ask about.
func FuzzQueryRequest(f *testing.F) {
	fuzzEndpointTarget(f, EndpointQuery, EndpointQuery)
}

// FuzzBatchRequest is FuzzAppRequest for batchTrans.do, the whole request (FuzzBatchFile
// fuzzes the file of a well-signed one).
func FuzzBatchRequest(f *testing.F) {
	fuzzEndpointTarget(f, EndpointBatch, EndpointBatch)
}

// FuzzFileRequest is FuzzAppRequest for the file endpoint (settlement file download, 76), on a
// gateway holding the seeds' transactions, so that the file has records.
func FuzzFileRequest(f *testing.F) {
	fuzzEndpointTarget(f, EndpointFile, EndpointFile)
}

// FuzzFrontRequest: whatever a browser posts to frontTransReq.do gets a page (200, UTF-8
// HTML): the cashier page, or the message page with a respCode, never a 5xx, a panic or a
// hang; a form whose signature does not verify gets no cashier page but a refusal as malformed,
// badly signed or incomplete.
func FuzzFrontRequest(f *testing.F) {
	seeds := clientSeeds(f)
	addSeeds(f, seeds.bodies[EndpointFront])
	g := newEndpointGateway(f, fuzzSeeds{}, EndpointFront) // a form needs no other transaction
	f.Fuzz(func(t *testing.T, body string, resign bool) {
		defer watchdog(body)()
		g.fresh()
		if resign {
			body = resigned(g.fuzzGateway, body)
		}
		code := g.frontAnswer(t, body)
		if !slices.Contains(refusedUnsigned, code) && !g.requestVerifies(body) {
			t.Fatalf("respCode %q (\"\": the cashier page) for a form whose signature does not verify: %q", code, body)
		}
	})
}
