package unionpaytest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestChromiumFormWithoutScript drives a real headless Chromium to the SDK's auto-post page when
// its script does not run: scripts disabled in the browser, or blocked by a second
// Content-Security-Policy that a proxy in front of the shop adds (as nginx's add_header does;
// the browser enforces both policies, and the proxy's lacks FormScriptHash). The shopper must
// see the page's text and button, and the button must post the signed form: the gateway shows
// its cashier for the order. On a phone (WAP) the page must be laid out at the device's width
// (a viewport), not at a desktop's 980 pixels. (The page used to show nothing when its script was
// blocked, its only button being inside <noscript>, and had no viewport.)
func TestChromiumFormWithoutScript(t *testing.T) {
	path := findChromium()
	if path == "" {
		t.Skip("no chromium on PATH (Debian: apt-get install chromium)")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	gw := unionpaytest.NewServer(keys(t), unionpaytest.WithPlainHTTP())
	t.Cleanup(gw.Close)
	s := newShop(t, gw)
	target, err := url.Parse(s.srv.URL)
	require.NoError(t, err)
	proxy := httptest.NewServer(&httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) },
		ModifyResponse: func(res *http.Response) error {
			res.Header.Add("Content-Security-Policy", "script-src 'self'")
			return nil
		},
	})
	t.Cleanup(proxy.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-dev-shm-usage", true))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)

	disableScripts := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	tests := []struct {
		name, shop, channel, orderID, charset string
		noScripts, mobile                     bool
	}{
		{"scripts disabled", s.srv.URL, "07", "NOSCRIPTPC01", "UTF-8", true, false},
		{"scripts disabled, WAP", s.srv.URL, "08", "NOSCRIPTWAP1", "UTF-8", true, true},
		{"script blocked by a proxy's policy", proxy.URL, "07", "BLOCKEDPC001", "UTF-8", false, false},
		{"script blocked by a proxy's policy, WAP", proxy.URL, "08", "BLOCKEDWAP01", "UTF-8", false, true},
		{"script blocked by a proxy's policy, GBK", proxy.URL, "07", "BLOCKEDGBK01", "GBK", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			browser, cancel := chromedp.NewContext(allocCtx)
			defer cancel()
			require.NoError(t, chromedp.Do(browser)) // start the browser without a deadline
			ctx, cancelTimeout := context.WithTimeout(browser, 60*time.Second)
			defer cancelTimeout()
			if tt.mobile {
				require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)))
			}
			if tt.noScripts {
				require.NoError(t, chromedp.Do(ctx, disableScripts))
			}
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Navigate(tt.shop+"/checkout?channel="+tt.channel+"&order="+tt.orderID+"&charset="+tt.charset),
				chromedp.WaitVisible(chromedp.CSS("#pay_form [type=submit]")),
			), "the page shows a button")
			here, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.origin`))
			require.NoError(t, err)
			require.Equal(t, tt.shop, here, "no script ran: still on the shop's page")
			lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
			require.NoError(t, err)
			assert.Equal(t, "zh-CN", lang)
			text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#pay_form")))
			require.NoError(t, err)
			assert.Contains(t, text, "Going to UnionPay")
			if tt.mobile {
				width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.clientWidth`))
				require.NoError(t, err)
				assert.Equal(t, 390, width, "laid out at the phone's width")
			}
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Click(chromedp.CSS("#pay_form [type=submit]")),
				chromedp.WaitVisible(chromedp.ID("pay")), // the signed form verified: the cashier page
			))
			merchant, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("orderId")))
			require.NoError(t, err)
			assert.Equal(t, tt.orderID, merchant)
		})
	}
}
