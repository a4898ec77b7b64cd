package unionpaytest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// MerchantSM2File hands a 国密 merchant's test its credentials as UnionPay's gm SDK reads them:
// a .sm2 file that cert.LoadSM2 opens with the password it was written under (the empty one too,
// which LoadSM2 takes) to the gateway's SM2 merchant key and certificate, whose signer the
// gateway accepts, and refuses with another password (cert.ErrPassword).
func TestMerchantSM2File(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(newClock().Now), keys(t), unionpaytest.WithSM2())
	t.Cleanup(srv.Close)
	tests := []struct {
		name          string
		write, open   string
		wrongPassword bool
	}{
		{name: "right password", write: "123456", open: "123456"},
		{name: "empty password", write: "", open: ""},
		{name: "non-ASCII password", write: "密码000000", open: "密码000000"},
		{name: "wrong password", write: "123456", open: "654321", wrongPassword: true},
		{name: "password given empty", write: "123456", open: "", wrongPassword: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, err := srv.MerchantSM2File(tt.write)
			require.NoError(t, err)
			for _, line := range strings.SplitAfter(string(data), "\n") {
				assert.LessOrEqual(t, len(line), 77, "base64 in lines of 76 characters, as CFCA writes them")
			}
			cred, err := cert.LoadSM2(data, tt.open)
			if tt.wrongPassword {
				require.ErrorIs(t, err, cert.ErrPassword)
				assert.Nil(t, cred)
				return
			}
			require.NoError(t, err)
			assert.True(t, srv.SM2MerchantKey().Equal(cred.Key), "the merchant's SM2 key")
			assert.True(t, srv.SM2MerchantCertificate().Equal(cred.Certificate), "the merchant's SM2 certificate")
			signer, err := cred.Signer()
			require.NoError(t, err)
			cfg := srv.Config()
			cfg.Signer = signer
			client, err := unionpay.NewClient(cfg)
			require.NoError(t, err)
			res, err := client.BackConsume(context.Background(), &unionpay.CardRequest{
				OrderID: "SM2FILE000" + string(rune('0'+i)), Amount: 100, BackURL: "http://127.0.0.1:1/n",
				AccNo: "6216261000000000018", Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
			require.NoError(t, err, "the gateway accepts what the file's key signs")
			assert.Equal(t, "21", res.Raw["signMethod"])
		})
	}
}

// A gateway not started WithSM2 has no SM2 merchant to write.
func TestMerchantSM2FileNotEnabled(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(unionpaytest.WithClock(newClock().Now), keys(t))
	t.Cleanup(srv.Close)
	data, err := srv.MerchantSM2File("123456")
	require.ErrorContains(t, err, "WithSM2")
	assert.Nil(t, data)
}
