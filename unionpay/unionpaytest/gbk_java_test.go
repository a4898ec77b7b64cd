package unionpaytest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestGBKEchoJavaCharacters: a GBK merchant's request carrying the euro sign and a
// user-defined character in reqReserved is answered by the fake gateway in Java's GBK, which
// the client reads back: the echoed value equals the one sent (an answer written with 0x80
// would be refused as invalid GBK).
func TestGBKEchoJavaCharacters(t *testing.T) {
	t.Parallel()
	srv, _, _ := clientGateway(t)
	cfg := srv.Config()
	cfg.Encoding = "GBK"
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	res, err := c.BackConsume(context.Background(), &unionpay.CardRequest{OrderID: "REVIEWGBK0001", Amount: 100,
		AccNo: unionpaytest.TestCard, BackURL: "https://shop.example/notify", ReqReserved: "礼品€\ue000",
		Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111"}})
	require.NoError(t, err)
	assert.Equal(t, "礼品€\ue000", res.Raw["reqReserved"])
}
