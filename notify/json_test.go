package notify_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// TestNotificationJSON: json.Marshal (and slog handlers that do not resolve LogValue) show no card
// number: AccNo masked or marked encrypted, Raw left out. Found in the fourth session's review.
func TestNotificationJSON(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		accNo, want string
		secret      bool // accNo must not appear as is
	}{
		{"6216261000000000018", `"AccNo":"621626******0018"`, true},
		{"6216***********0018", `"AccNo":"6216********0018"`, false}, // masked by UnionPay already: masked again, hiding as much
		{"c2VjcmV0IGNpcGhlcnRleHQ=", `"AccNo":"(encrypted)"`, true},
		{"", `"AccNo":""`, false},
	} {
		n := notify.Notification{OrderID: "ORDER0001", TxnAmt: 100, AccNo: tt.accNo,
			Raw: sign.Fields{"accNo": tt.accNo, "signature": "SIG"}}
		for _, v := range []any{n, &n} {
			out, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Contains(t, string(out), tt.want)
			assert.Contains(t, string(out), `"OrderID":"ORDER0001"`)
			if tt.secret {
				assert.NotContains(t, string(out), tt.accNo)
			}
			assert.NotContains(t, string(out), "SIG", "Raw is left out")
		}
	}
}

// TestHandlerUnusableVerifier: a Verifier not made by cert.NewVerifier is the merchant's
// configuration, answered 500 (UnionPay sends again once it is fixed), not 400 as if forged.
func TestHandlerUnusableVerifier(t *testing.T) {
	t.Parallel()
	h := &notify.Handler{Verifier: &cert.Verifier{}, OnNotify: func(context.Context, *notify.Notification) error { return nil }}
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader("orderId=1"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	h.ServeHTTP(rec, r)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
}
