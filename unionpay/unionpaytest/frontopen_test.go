package unionpaytest_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestFrontOpen: the fake takes a front open (txnType 79) at frontTransReq.do, opens the card on
// its cashier page, returns the browser to frontUrl and notifies backUrl with a signed open
// result: no amount, and for the token product (000902) tokenPayData holding a token, the same
// for the same card and requestor.
func TestFrontOpen(t *testing.T) {
	t.Parallel()
	srv, c, _ := clientGateway(t)
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	const otherCard = "6226090000000048"
	tests := []struct {
		name, bizType, trID, card string
		wantToken                 bool
	}{
		{"authenticated payment", "", "", unionpaytest.TestCard, false},
		{"token", unionpay.BizTypeToken, "62000000001", unionpaytest.TestCard, true},
		{"token again", unionpay.BizTypeToken, "62000000001", unionpaytest.TestCard, true},
		{"token, other card", unionpay.BizTypeToken, "62000000001", otherCard, true},
	}
	tokens := make([]string, len(tests))
	for i, tt := range tests { // in order: the tokens are compared
		in := newInbox(t, v)
		form, err := c.FrontOpenCard(&unionpay.FrontOpenRequest{
			OrderID: fmt.Sprintf("OPEN%04d", i), FrontURL: "https://shop.example/return", BackURL: in.URL(),
			BizType: tt.bizType, TokenRequestorID: tt.trID, AccNo: tt.card,
		})
		require.NoError(t, err, tt.name)
		ret, err := srv.Pay(context.Background(), form.Fields, "")
		require.NoError(t, err, tt.name)
		back := in.wait(t, 1, 10*time.Second)[0]
		for name, f := range map[string]map[string]string{"frontUrl": ret, "backUrl": back} {
			n, err := notify.Verify(v, f)
			require.NoError(t, err, "%s: %s", tt.name, name)
			assert.Equal(t, "79", n.TxnType, tt.name)
			assert.Equal(t, notify.Succeeded, n.Status(), tt.name)
			assert.Zero(t, n.TxnAmt, tt.name)
			assert.NotContains(t, n.Raw, "currencyCode", tt.name)
			assert.NotContains(t, n.Raw, "settleDate", tt.name)
			assert.NotEmpty(t, n.QueryID, tt.name)
			tok, err := n.Token()
			if !tt.wantToken {
				assert.ErrorIs(t, err, notify.ErrNoToken, tt.name)
				continue
			}
			require.NoError(t, err, tt.name)
			assert.Regexp(t, `^[0-9]{19}$`, tok, tt.name)
			assert.Contains(t, n.Raw["tokenPayData"], "trId=62000000001", tt.name)
			tokens[i] = tok
		}
	}
	assert.Equal(t, tokens[1], tokens[2], "the same card and requestor: the same token")
	assert.NotEqual(t, tokens[1], tokens[3], "another card: another token")
}

// TestFrontOpenRefused: a token open without tokenPayData is refused (a missing field), and the
// app endpoint does not take an open.
func TestFrontOpenRefused(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	f := m.sign(m.fields("79", "00", "000902", "orderId", "OPENBAD01", "channelType", "07",
		"frontUrl", "https://shop.example/return", "backUrl", "https://shop.example/notify"))
	_, err := m.srv.Pay(context.Background(), f, "")
	require.ErrorIs(t, err, unionpaytest.ErrCashier)
	assert.Contains(t, err.Error(), "respCode "+unionpaytest.CodeMissingField)
	assert.Contains(t, err.Error(), "tokenPayData")

	resp := m.call(unionpaytest.EndpointApp, m.fields("79", "00", "000301", "orderId", "OPENBAD02",
		"channelType", "08", "backUrl", "https://shop.example/notify"))
	assert.Equal(t, unionpaytest.CodeNotAllowed, resp["respCode"])
}

// TestFrontOpenComplete: Server.Complete opens the card of a front open whose cashier page was
// shown, as it pays a front order; an open that never reached the cashier is not one.
func TestFrontOpenComplete(t *testing.T) {
	t.Parallel()
	srv, c, _ := clientGateway(t)
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	in := newInbox(t, v)
	form, err := c.FrontOpenCard(&unionpay.FrontOpenRequest{OrderID: "OPENDONE01", FrontURL: "https://shop.example/return",
		BackURL: in.URL(), BizType: unionpay.BizTypeToken, TokenRequestorID: "62000000001"})
	require.NoError(t, err)
	_, err = srv.Complete(form.OrderID, "")
	require.Error(t, err, "not at the cashier yet")

	body, err := sign.Encode(form.Fields)
	require.NoError(t, err)
	resp, err := srv.HTTPClient().Post(form.Action, "application/x-www-form-urlencoded", strings.NewReader(body))
	require.NoError(t, err)
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Contains(t, string(page), "开通银行卡", "the cashier, without an amount")
	assert.NotContains(t, string(page), `id="txnAmt"`)

	code, err := srv.Complete(form.OrderID, "")
	require.NoError(t, err)
	assert.Equal(t, unionpaytest.CodeSuccess, code)
	n, err := notify.Verify(v, in.wait(t, 1, 10*time.Second)[0])
	require.NoError(t, err)
	tok, err := n.Token()
	require.NoError(t, err)
	assert.NotEmpty(t, tok)
}
