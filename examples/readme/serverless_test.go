package readme

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// serverlessTest runs the README's serverless snippet: its credentials from environment
// variables (the PFX as base64, the chain as PEM), the fake gateway's notification as an API
// gateway's base64-encoded event, applied once and answered 200 "ok"; an altered one, one still
// base64 though the event says not, and one a proxy compressed are refused with the statuses
// notify.Handler answers, and its JSON log, the Handler's records (the source IP, a refused
// message's claims, durations), holds neither the password nor the PFX.
const serverlessTest = `package fn

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"strings"
	"testing"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func TestServerlessNotify(t *testing.T) {
	s := unionpaytest.NewServer()
	defer s.Close()
	const password = "pfx-Secret-9"
	pfx, err := s.MerchantPFX(password)
	if err != nil {
		t.Fatal(err)
	}
	pfx64 := base64.StdEncoding.EncodeToString(pfx)
	t.Setenv("UNIONPAY_PFX", pfx64)
	t.Setenv("UNIONPAY_PFX_PASSWORD", password)
	t.Setenv("UNIONPAY_ROOT", string(s.RootPEM()))
	t.Setenv("UNIONPAY_MIDDLE", string(s.MiddlePEM()))
	t.Setenv("UNIONPAY_MERID", s.MerchantID())
	vals, err := s.SignNotification(sign.Fields{
		"version": "5.1.0", "encoding": "UTF-8", "signMethod": "01", "merId": s.MerchantID(),
		"orderId": "ORDER20261128", "txnTime": "20261128103000", "txnType": "01", "txnSubType": "01",
		"bizType": "000201", "accessType": "0", "respCode": "00", "respMsg": "success",
		"queryId": "782611281030000000001", "txnAmt": "12800", "currencyCode": "156", "settleDate": "1128",
	})
	if err != nil {
		t.Fatal(err)
	}
	body := vals.Encode()
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	var applied []string
	apply := func(_ context.Context, n *notify.Notification) error {
		applied = append(applied, n.Key())
		return nil
	}
	b64 := base64.StdEncoding.EncodeToString([]byte(body))
	for _, tt := range []struct {
		name string
		ev   Event
		code int
	}{
		{"base64 event", Event{Body: b64, IsBase64Encoded: true}, 200},
		{"plain event", Event{Body: body}, 200},
		{"altered", Event{Body: strings.Replace(body, "txnAmt=12800", "txnAmt=1", 1)}, 400},
		{"base64 not said", Event{Body: b64}, 400},
		{"compressed", Event{Body: body, Headers: map[string]string{"content-encoding": "gzip"}}, 415},
	} {
		tt.ev.RequestContext.HTTP.SourceIP = "203.0.113.7"
		got := Notify(context.Background(), tt.ev, log, apply)
		if got.StatusCode != tt.code {
			t.Errorf("%s: answered %d %q, want %d", tt.name, got.StatusCode, got.Body, tt.code)
		}
		if tt.code == 200 && got.Body != "ok" {
			t.Errorf("%s: body %q, want ok", tt.name, got.Body)
		}
	}
	txnTime, err := unionpay.ParseTxnTime("20261128103000")
	if err != nil {
		t.Fatal(err)
	}
	if key := notify.KeyOf("ORDER20261128", txnTime); len(applied) != 2 || applied[0] != key || applied[1] != key {
		t.Errorf("applied %q, want the order twice", applied)
	}
	out := logs.String()
	for _, secret := range []string{password, pfx64[:32]} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds a secret: %s", out)
		}
	}
	if !strings.Contains(out, "\"reason\":\"malformed\"") || !strings.Contains(out, "base64") {
		t.Errorf("the undecoded body is not logged as base64: %s", out)
	}
	for _, want := range []string{"\"remote\":\"203.0.113.7\"", "\"claimed\":{\"merId\":", "\"reason\":\"content_encoding\"", "\"onNotifyDuration\":"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log holds no %s: %s", want, out)
		}
	}
}
`

// TestServerlessSnippetRuns: the README's serverless snippet ("Running as a serverless
// function") is not only a file that compiles, it verifies and answers notifications as it says.
func TestServerlessSnippetRuns(t *testing.T) {
	goTool := goToolOrSkip(t)
	var snippet string
	for _, b := range blocks(t) {
		if b.lang == "go" && strings.Contains(b.code, "\nfunc Notify(ctx context.Context, ev Event,") {
			snippet = b.code
		}
	}
	require.NotEmpty(t, snippet, "README: no Go snippet with the serverless Notify")
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	tmp := t.TempDir()
	files := map[string]string{"snippet.go": snippet, "snippet_test.go": serverlessTest}
	replace := map[string]string{}
	for name, code := range files {
		src := filepath.Join(tmp, name)
		require.NoError(t, os.WriteFile(src, []byte(code), 0o600))
		replace[filepath.Join(root, "examples", "readme", "serverless", name)] = src
	}
	runOverlayTest(t, goTool, root, tmp, "serverless", replace, "the README's serverless snippet", "TestServerlessNotify")
}
