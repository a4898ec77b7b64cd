package unionpaytest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// readmeJS returns the README's one JavaScript block: the single-page app's payWithUnionPay.
func readmeJS(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(readme), "\n```js\n")
	require.True(t, ok, "the README has a js block")
	js, _, ok := strings.Cut(rest, "\n```\n")
	require.True(t, ok)
	require.NotContains(t, rest, "\n```js\n", "one js block")
	return js
}

// TestChromiumSinglePageApp runs the README's single-page-app recipe in a real headless Chromium:
// the app's page allows only its own scripts (script-src 'self', no inline script, connect-src
// 'self'), its button calls the README's payWithUnionPay, which fetches the Form as JSON from the
// shop and posts it; the gateway's cashier opens, the payment returns to frontUrl, where the
// result verifies, in UTF-8 and for a GBK merchant (the app's page is UTF-8).
func TestChromiumSinglePageApp(t *testing.T) {
	path := findChromium()
	if path == "" {
		t.Skip("no chromium on PATH (Debian: apt-get install chromium)")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	gw := unionpaytest.NewServer(keys(t), unionpaytest.WithPlainHTTP())
	t.Cleanup(gw.Close)
	s := newShop(t, gw) // its /return verifies, its /notify takes the notification
	js := readmeJS(t)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /app", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'")
		order, charset := r.URL.Query().Get("order"), r.URL.Query().Get("charset")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>shop</title>` +
			`<script src="/pay.js"></script></head><body>` +
			`<button id="buy" data-checkout="/api/checkout/` + order + `?charset=` + charset + `">Buy</button>` +
			`<script src="/main.js"></script></body></html>`))
	})
	script := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/javascript; charset=UTF-8")
			_, _ = w.Write([]byte(body))
		}
	}
	mux.HandleFunc("GET /pay.js", script(js))
	mux.HandleFunc("GET /main.js", script(`document.getElementById("buy").addEventListener("click",
  (e) => payWithUnionPay(e.target.dataset.checkout).catch((err) => { document.title = "error: " + err; }));`))
	mux.HandleFunc("POST /api/checkout/{order}", func(w http.ResponseWriter, r *http.Request) {
		c, desc := s.client, "测试订单 \"x\" <y> & z\u2028" // U+2028: JSON escapes it
		if r.URL.Query().Get("charset") == "GBK" {
			c, desc = s.gbk, "测试订单 \"x\" <y> & z" // GBK has no U+2028
		}
		form, err := c.FrontConsume(&unionpay.ConsumeRequest{
			OrderID: r.PathValue("order"), Amount: 12345, FrontURL: s.srv.URL + "/return?from=unionpay",
			BackURL: s.srv.URL + "/notify?shop=1", PayTimeout: time.Now().Add(15 * time.Minute),
			ReqReserved: "浏览器测试", OrderDesc: desc,
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(form)
	})
	app := httptest.NewServer(mux)
	t.Cleanup(app.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-dev-shm-usage", true))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)

	for _, tt := range []struct{ name, orderID, charset string }{
		{"UTF-8", "SPAAPPUTF801", "UTF-8"},
		{"GBK merchant", "SPAAPPGBK001", "GBK"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			browser, cancel := chromedp.NewContext(allocCtx)
			defer cancel()
			require.NoError(t, chromedp.Do(browser)) // start the browser without a deadline
			ctx, cancelTimeout := context.WithTimeout(browser, 60*time.Second)
			defer cancelTimeout()
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Navigate(app.URL+"/app?order="+tt.orderID+"&charset="+tt.charset),
				chromedp.Click(chromedp.ID("buy")),
				chromedp.WaitVisible(chromedp.ID("pay")), // the posted form verified: the cashier page
			))
			merchant, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("orderId")))
			require.NoError(t, err)
			assert.Equal(t, tt.orderID, merchant)
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Click(chromedp.ID("pay")),
				chromedp.WaitVisible(chromedp.ID("verified")), // back at frontUrl
			))
			verified, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("verified")))
			require.NoError(t, err)
			assert.Equal(t, "ok "+tt.orderID+" 00 12345 浏览器测试", verified, "frontUrl result verifies")
		})
	}
}
