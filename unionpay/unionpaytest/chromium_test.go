package unionpaytest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// findChromium returns the path of a Chromium-family browser, or "" when none is installed.
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// shop is a merchant web site on the real client: /checkout renders the signed auto-post form,
// /return verifies what the browser brings back, /notify is a notify.Handler.
type shop struct {
	client   *unionpay.Client
	gbk      *unionpay.Client // the same merchant configured for GBK messages
	srv      *httptest.Server
	mu       sync.Mutex
	notified []*notify.Notification
}

func newShop(t *testing.T, gw *unionpaytest.Server) *shop {
	t.Helper()
	client, err := unionpay.NewClient(gw.Config())
	require.NoError(t, err)
	verifier, err := gw.NotifyVerifier()
	require.NoError(t, err)
	gbkCfg := gw.Config()
	gbkCfg.Encoding = "GBK"
	gbk, err := unionpay.NewClient(gbkCfg)
	require.NoError(t, err)
	s := &shop{client: client, gbk: gbk}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /checkout", func(w http.ResponseWriter, r *http.Request) {
		channel := unionpay.Channel(r.URL.Query().Get("channel"))
		c := client
		if r.URL.Query().Get("charset") == "GBK" {
			c = gbk
		}
		form, err := c.FrontConsume(&unionpay.ConsumeRequest{
			OrderID: r.URL.Query().Get("order"), Amount: 12345, Channel: channel,
			FrontURL: s.srv.URL + "/return?from=unionpay", BackURL: s.srv.URL + "/notify?shop=1",
			PayTimeout: time.Now().Add(15 * time.Minute), ReqReserved: "浏览器测试", OrderDesc: "测试订单",
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		form.ServeHTTP(w, r)
	})
	mux.HandleFunc("POST /return", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
		result := "fail: "
		f, err := sign.ParseForm(string(body))
		if err == nil {
			_, err = verifier.Verify(f)
		}
		if err == nil {
			result = fmt.Sprintf("ok %s %s %s %s", f["orderId"], f["respCode"], f["txnAmt"], f["reqReserved"])
		} else {
			result += err.Error()
		}
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		fmt.Fprintf(w, `<html><body><p id="verified">%s</p></body></html>`, result)
	})
	mux.Handle("POST /notify", &notify.Handler{Verifier: verifier,
		OnNotify: func(_ context.Context, n *notify.Notification) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.notified = append(s.notified, n)
			return nil
		}})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *shop) notification(orderID string) *notify.Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.notified {
		if n.OrderID == orderID {
			return n
		}
	}
	return nil
}

// TestChromiumFrontFlows drives a real headless Chromium through the PC (07) and WAP (08) front
// consume: the merchant's auto-post form submits itself, the cashier page pays, the browser
// lands on frontUrl with a result the merchant verifies, and the notification reaches backUrl.
func TestChromiumFrontFlows(t *testing.T) {
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

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-dev-shm-usage", true))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)

	tests := []struct {
		name, channel, orderID, charset string
		mobile                          bool
	}{
		{"PC gateway", "07", "BROWSERPC001", "UTF-8", false},
		{"WAP", "08", "BROWSERWAP01", "UTF-8", true},
		{"PC gateway, GBK merchant", "07", "BROWSERGBK01", "GBK", false},
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
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Navigate(s.srv.URL+"/checkout?channel="+tt.channel+"&order="+tt.orderID+"&charset="+tt.charset),
				chromedp.WaitVisible(chromedp.ID("pay")), // the form posted itself: cashier page
			))
			merchant, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("orderId")))
			require.NoError(t, err)
			require.NoError(t, chromedp.Do(ctx,
				chromedp.Click(chromedp.ID("pay")),
				chromedp.WaitVisible(chromedp.ID("verified")), // back at frontUrl
			))
			verified, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("verified")))
			require.NoError(t, err)
			assert.Equal(t, tt.orderID, merchant)
			assert.Equal(t, "ok "+tt.orderID+" 00 12345 浏览器测试", verified, "frontUrl result verifies")

			require.Eventually(t, func() bool { return s.notification(tt.orderID) != nil }, 10*time.Second,
				20*time.Millisecond, "notification reaches backUrl")
			n := s.notification(tt.orderID)
			assert.Equal(t, int64(12345), n.TxnAmt)
			tx, err := s.client.Query(context.Background(), &unionpay.QueryRequest{OrderID: tt.orderID, TxnTime: n.TxnTime})
			require.NoError(t, err)
			assert.Equal(t, unionpay.Succeeded, tx.State)
		})
	}
}
