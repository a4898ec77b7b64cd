package notify_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

const (
	auditPAN   = "6216261000000000018"
	auditPhone = "13552535506"
)

// TestAuditHandlerLogsNoCardData: whatever happens to a notification carrying a clear accNo and a
// customerInfo, the Handler's log (JSON and text) shows neither.
func TestAuditHandlerLogsNoCardData(t *testing.T) {
	t.Parallel()
	p := testPKI()
	ci := "e3Bob25lTm89MTM1NTI1MzU1MDZ9" // base64 of {phoneNo=13552535506}
	f := consumeFields("ORDER20260601")
	f["accNo"], f["customerInfo"] = auditPAN, ci
	signed := signWith(t, p.leaf, f)
	good := encode(t, signed)
	tampered := strings.Replace(good, "txnAmt=1000", "txnAmt=1001", 1)
	repeated := good + "&accNo=" + auditPAN
	bodies := map[string]string{"good": good, "tampered": tampered, "repeated": repeated,
		"bad amount": encode(t, signWith(t, p.leaf, func() sign.Fields { g := f.Clone(); g["txnAmt"] = "x" + auditPAN; return g }()))}
	for name, body := range bodies {
		for _, fail := range []bool{false, true} {
			var js, txt bytes.Buffer
			h := &notify.Handler{Verifier: p.verifier(t), OnNotify: func(ctx context.Context, n *notify.Notification) error {
				if fail {
					return errors.New("db down")
				}
				return nil
			}}
			for _, l := range []*slog.Logger{slog.New(slog.NewJSONHandler(&js, nil)), slog.New(slog.NewTextHandler(&txt, nil))} {
				h.Logger = l
				r := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
			out := js.String() + txt.String()
			for _, s := range []string{auditPAN, auditPhone, url.QueryEscape(ci)} {
				if ok, form := leaktest.Shows(out, s); ok {
					t.Errorf("%s (OnNotify fails: %v): the log shows %q (%s):\n%s", name, fail, s, form, out)
				}
			}
		}
	}
}

// TestAuditNotificationRendersNoCardData: a Notification with a clear accNo and a customerInfo
// printed or logged every way.
func TestAuditNotificationRendersNoCardData(t *testing.T) {
	t.Parallel()
	p := testPKI()
	f := consumeFields("ORDER20260601")
	f["accNo"], f["customerInfo"] = auditPAN, "e3Bob25lTm89MTM1NTI1MzU1MDZ9"
	v := p.verifier(t)
	n, err := notify.Verify(v, signWith(t, p.leaf, f))
	if err != nil {
		t.Fatal(err)
	}
	if leaks := leaktest.Find(*n, auditPAN, auditPhone); len(leaks) > 0 {
		t.Errorf("a Notification shows card data:\n%s", leaktest.Summary(leaks))
	}
}
