package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// infoTransport records the CallInfo of each request's context, then fails it before reading
// its body, as a wrapper that labels spans by CallInfo and whose connection is refused would.
type infoTransport struct {
	mu    sync.Mutex
	infos []unionpay.CallInfo
	found []bool
	urls  []string // each request's URL
}

func (t *infoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ci, ok := unionpay.CallInfoFrom(req.Context())
	t.mu.Lock()
	t.infos, t.found, t.urls = append(t.infos, ci), append(t.found, ok), append(t.urls, req.URL.String())
	t.mu.Unlock()
	return nil, errors.New("dial refused")
}

// TestCallInfo: every call's request carries its CallInfo (operation, orderId or batchNo,
// txnTime, txnType, whether it moves money) in its context, for a caller's transport to label
// spans without reading the body; such a transport leaves a refused connection "not sent".
func TestCallInfo(t *testing.T) {
	t.Parallel()
	for _, op := range prefixOps() {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			rt := &infoTransport{}
			err := op.do(context.Background(), prefixClient(t, nil, rt))
			require.ErrorIs(t, err, unionpay.ErrNotSent, "a transport reading only the context keeps a refusal not sent")
			require.Equal(t, []bool{true}, rt.found, "one request, with its CallInfo")
			ci := rt.infos[0]
			assert.Equal(t, op.name, strings.TrimSpace(ci.Op+" "+ci.OrderID), "Op and OrderID")
			assert.Equal(t, op.moves, ci.MovesMoney, "MovesMoney")
			assert.Len(t, ci.TxnType, 2, "TxnType")
			assert.True(t, testNow.Equal(ci.TxnTime), "TxnTime %v", ci.TxnTime)
			assert.Equal(t, rt.urls[0], ci.Endpoint, "Endpoint: the URL posted to")
		})
	}
	t.Run("query by queryId alone", func(t *testing.T) {
		t.Parallel()
		rt := &infoTransport{}
		_, err := prefixClient(t, nil, rt).Query(context.Background(), &unionpay.QueryRequest{QueryID: "782401051030000000011"})
		require.ErrorIs(t, err, unionpay.ErrNotSent)
		require.Len(t, rt.infos, 1)
		assert.Equal(t, "query", rt.infos[0].Op)
		assert.Equal(t, "00", rt.infos[0].TxnType)
		assert.True(t, rt.infos[0].TxnTime.IsZero(), "no txnTime of the caller's: %v", rt.infos[0].TxnTime)
	})
	t.Run("refund with a batchNo in Extra", func(t *testing.T) {
		t.Parallel()
		rt := &infoTransport{}
		r := followUp()
		r.Extra = map[string]string{"batchNo": "0001"}
		_, err := prefixClient(t, nil, rt).Refund(context.Background(), r)
		require.ErrorIs(t, err, unionpay.ErrNotSent)
		require.Len(t, rt.infos, 1)
		assert.Equal(t, "refund", rt.infos[0].Op)
		assert.Equal(t, "REFUND20240105001", rt.infos[0].OrderID, "the orderId, not the batchNo")
		assert.Equal(t, "04", rt.infos[0].TxnType)
	})
	t.Run("endpoint with a password", func(t *testing.T) {
		t.Parallel()
		rt := &infoTransport{}
		cfg := testConfig(t, "https://gateway.invalid")
		cfg.HTTPClient = &http.Client{Transport: rt}
		cfg.Endpoints.Query = "https://ops:s3cr3t-proxy@gateway.invalid/gateway/api/queryTrans.do"
		c, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		_, err = c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
		require.ErrorIs(t, err, unionpay.ErrNotSent)
		require.Len(t, rt.infos, 1)
		assert.Equal(t, "https://ops:xxxxx@gateway.invalid/gateway/api/queryTrans.do", rt.infos[0].Endpoint)
	})
	_, ok := unionpay.CallInfoFrom(context.Background())
	assert.False(t, ok, "a context of no call")
	//lint:ignore SA1012 a nil context is what the function must survive
	_, ok = unionpay.CallInfoFrom(nil)
	assert.False(t, ok, "a nil context")
}

// spanNamer is a transport that names each request by its call, as an otelhttp span name
// formatter or a metrics RoundTripper would, without reading the request's body.
type spanNamer struct{ next http.RoundTripper }

func (s spanNamer) RoundTrip(req *http.Request) (*http.Response, error) {
	if ci, ok := unionpay.CallInfoFrom(req.Context()); ok {
		fmt.Printf("span %q order %s txnType %s moves money: %v\n", "unionpay "+ci.Op, ci.OrderID, ci.TxnType, ci.MovesMoney)
	}
	return s.next.RoundTrip(req)
}

// A transport of the merchant's names spans by the call each request is for, read from the
// request's context: every back-end transaction posts to the same URL, and reading the body would
// make a refused connection a pending outcome.
func ExampleCallInfoFrom() {
	srv := unionpaytest.NewServer(unionpaytest.WithClock(exampleNow))
	defer srv.Close()
	cfg := srv.Config()
	hc := *cfg.HTTPClient
	hc.Transport = spanNamer{next: hc.Transport}
	cfg.HTTPClient = &hc
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	tx, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: "ORDER20240105099", TxnTime: exampleNow()})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(tx.State)
	// Output:
	// span "unionpay query" order ORDER20240105099 txnType 00 moves money: false
	// not found
}

// uaTransport records each request's User-Agent, then refuses it.
type uaTransport struct {
	mu  sync.Mutex
	uas []string
}

func (t *uaTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.uas = append(t.uas, req.Header.Get("User-Agent"))
	t.mu.Unlock()
	return nil, errors.New("dial refused")
}

// TestUserAgentNamesTheSDK: every request says it comes from this SDK (not resty's default
// "go-resty/2.x"), for an egress proxy's logs and UnionPay's support.
func TestUserAgentNamesTheSDK(t *testing.T) {
	t.Parallel()
	// The version is the module's own, when it is built as a dependency at a version; a test
	// binary builds it as the main module, "(devel)": no version, and never a dependency's.
	want := "goacp-unionpay (+https://github.com/goacp/unionpay)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Path == "github.com/goacp/unionpay" &&
		bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		want = "goacp-unionpay/" + bi.Main.Version + " (+https://github.com/goacp/unionpay)"
	}
	for _, op := range prefixOps() {
		rt := &uaTransport{}
		_ = op.do(context.Background(), prefixClient(t, nil, rt))
		require.Len(t, rt.uas, 1, op.name)
		assert.Equal(t, want, rt.uas[0], op.name)
	}
}
