package unionpay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestClaimsDecryptAccNoOrder pins DecryptAccNo's doc and CHANGELOG entry for a client without
// Config.Decrypter: a nil or empty transaction is ErrNoAccNo (before the missing Decrypter), an
// accNo in clear of at most 19 characters is returned as it is, an encrypted one (or a longer
// run of digits, which is not a card number in clear) is a *ConfigError.
func TestClaimsDecryptAccNoOrder(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, newGateway(t, accept(nil)), func(cfg *unionpay.Config) { cfg.Decrypter = nil })
	for _, tx := range []*unionpay.Transaction{nil, {}} {
		_, err := c.DecryptAccNo(tx)
		require.ErrorIs(t, err, unionpay.ErrNoAccNo)
		var ce *unionpay.ConfigError
		require.False(t, errors.As(err, &ce), "%v", err)
	}
	got, err := c.DecryptAccNo(&unionpay.Transaction{AccNo: "621626*********0018"}) // 19
	require.NoError(t, err)
	assert.Equal(t, "621626*********0018", got)
	for _, enc := range []string{"bm90IGVuY3J5cHRlZA==", "62162610000000000189"} {
		_, err := c.DecryptAccNo(&unionpay.Transaction{AccNo: enc})
		var ce *unionpay.ConfigError
		require.ErrorAs(t, err, &ce, enc)
		assert.Equal(t, "Config.Decrypter", ce.Field)
	}
}

// TestClaimsFollowUpLogForm pins the CHANGELOG's FollowUpRequest entry: Reserved and RiskRateInfo
// keys kept, every value "***", an empty value empty; ReqReserved and Extra as they are, in
// String, %#v, JSON and slog.
func TestClaimsFollowUpLogForm(t *testing.T) {
	t.Parallel()
	r := &unionpay.FollowUpRequest{OrderID: "CLAIMS1", OrigQueryID: "782401051030000000011", Amount: 150,
		ReqReserved: "mine-123", Extra: sign.Fields{"termId": "T0001"},
		Reserved: sign.Fields{"payeeName": "某某"}, RiskRateInfo: sign.Fields{"ipAddress": "203.0.113.77", "email": ""}}
	var js, txt bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("refund", "r", r)
	slog.New(slog.NewTextHandler(&txt, nil)).Info("refund", "r", *r)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	for how, out := range map[string]string{"String": r.String(), "%#v": fmt.Sprintf("%#v", r), "JSON": string(b),
		"slog JSON": js.String(), "slog text by value": txt.String()} {
		for _, s := range []string{"某某", "203.0.113.77"} {
			assert.NotContains(t, out, s, how)
		}
		for _, s := range []string{"mine-123", "T0001", "payeeName", "ipAddress", "email"} {
			assert.Contains(t, out, s, how)
		}
	}
	assert.Contains(t, r.String(), "RiskRateInfo:map[email: ipAddress:***]")
}

// TestClaimsFormEncryptedAccNo pins "a Form's log forms now show its fields as Fields.Masked does
// (an encrypted accNo as "(encrypted)")".
func TestClaimsFormEncryptedAccNo(t *testing.T) {
	t.Parallel()
	const ct = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="
	f := &unionpay.Form{OrderID: "CLAIMS2", Fields: sign.Fields{"accNo": ct, "orderId": "CLAIMS2"}}
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("form", "f", f)
	for how, out := range map[string]string{"String": f.String(), "slog": js.String()} {
		assert.NotContains(t, out, ct, how)
		assert.Contains(t, out, "(encrypted)", how)
	}
	assert.True(t, strings.Contains(claimsJSON(t, f), ct), "a Form's JSON is unchanged")
}

func claimsJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestClaimsDownloadFileCorruptSaysUnionpayOnce pins the CHANGELOG's "DownloadFile no longer
// repeats "unionpay:" before DecodeFileContent's errors" for a fileContent that is not base64 of
// a deflated file.
func TestClaimsDownloadFileCorruptSaysUnionpayOnce(t *testing.T) {
	t.Parallel()
	for _, fc := range []string{"!!! not base64 !!!", "bm90IGRlZmxhdGVk"} {
		g := newGateway(t, accept(sign.Fields{"fileContent": fc, "fileName": "INN.zip", "fileType": "00"}))
		c := newTestClient(t, g)
		_, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: testNow})
		require.Error(t, err)
		t.Log(err)
		assert.Equal(t, 1, strings.Count(err.Error(), "unionpay: "), "%v", err)
	}
}
