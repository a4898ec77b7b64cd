package notify_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// openFields returns the fields of the back notification of a front open (txnType 79) of the
// token product (bizType 000902), as UnionPay's Token samples read it: no amount, tokenPayData
// holding the token, customerInfo.
func openFields(orderID, tokenPayData string) sign.Fields {
	f := sign.Fields{
		"version":      sign.Version510,
		"encoding":     "UTF-8",
		"bizType":      "000902",
		"txnType":      "79",
		"txnSubType":   "00",
		"accessType":   "0",
		"channelType":  "07",
		"merId":        "777290058110048",
		"orderId":      orderID,
		"txnTime":      "20260601080000",
		"respCode":     "00",
		"respMsg":      "成功[0000000]",
		"customerInfo": "e3Bob25lTm89MTM1NTI1MzU1MDZ9",
		"accNo":        "6216***********0018",
	}
	if tokenPayData != "" {
		f["tokenPayData"] = tokenPayData
	}
	return f
}

// TestToken: the notification of a front open decodes (txnType 79, no amount, succeeded on 00)
// and Token reads tokenPayData's token, refusing what holds none.
func TestToken(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	const token = "6235240000020757389"
	tests := []struct {
		name, tokenPayData, respCode string
		status                       notify.Status
		want                         string
		wantErr                      error
	}{
		{"opened", "{token=" + token + "&trId=62000000001&tokenType=01&tokenLevel=40}", "00", notify.Succeeded, token, nil},
		{"token last", "{trId=62000000001&tokenType=01&token=" + token + "}", "00", notify.Succeeded, token, nil},
		{"failed", "", "61", notify.Failed, "", notify.ErrNoToken},
		{"authenticated payment: no tokenPayData", "", "00", notify.Succeeded, "", notify.ErrNoToken},
		{"no token sub-field", "{trId=62000000001&tokenType=01}", "00", notify.Succeeded, "", notify.ErrNoToken},
		{"empty token", "{token=&trId=62000000001}", "00", notify.Succeeded, "", notify.ErrNoToken},
		{"not braced", "token=" + token, "00", notify.Succeeded, "", sign.ErrMalformed},
		{"pair without =", "{token}", "00", notify.Succeeded, "", sign.ErrMalformed},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := openFields(fmt.Sprintf("OPEN%04d", i), tt.tokenPayData)
			f["respCode"] = tt.respCode
			n, err := notify.Parse(v, []byte(encode(t, signWith(t, p.leaf, f))))
			require.NoError(t, err)
			assert.Equal(t, "79", n.TxnType)
			assert.Equal(t, "000902", n.BizType)
			assert.Zero(t, n.TxnAmt)
			assert.Equal(t, tt.status, n.Status())
			got, err := n.Token()
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				if errors.Is(tt.wantErr, sign.ErrMalformed) {
					fe, ok := errors.AsType[*notify.FieldError](err)
					require.True(t, ok, "%v", err)
					assert.Equal(t, "tokenPayData", fe.Field)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestTokenNotLogged: a notification's String, JSON and log value leave the token out.
func TestTokenNotLogged(t *testing.T) {
	t.Parallel()
	p := testPKI()
	const token = "6235240000020757389"
	n, err := notify.Parse(p.verifier(t), []byte(encode(t, signWith(t, p.leaf,
		openFields("OPENLOG01", "{token="+token+"&trId=62000000001&tokenType=01}")))))
	require.NoError(t, err)
	js, err := json.Marshal(n)
	require.NoError(t, err)
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("notification", "n", n)
	for name, s := range map[string]string{"String": n.String(), "GoString": fmt.Sprintf("%#v", *n),
		"JSON": string(js), "slog": logged.String()} {
		assert.NotContains(t, s, token, name)
		assert.NotContains(t, s, "tokenPayData", name)
	}
}
