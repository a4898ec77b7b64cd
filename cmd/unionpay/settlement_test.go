package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// settledDay is a day on the shared fake gateway with a paid consume and a partial refund, and
// the raw body of the gateway's answer to the file-download request for it.
type settledDay struct {
	day       time.Time // Beijing midnight
	consumeID string
	refundID  string
	rawAnswer string // the file-download answer exactly as the gateway sent it
}

var settled struct {
	once sync.Once
	day  *settledDay
	err  error
}

// testSettlement makes the day once for all tests.
func testSettlement(t *testing.T) *settledDay {
	t.Helper()
	g := testGateway(t)
	settled.once.Do(func() { settled.day, settled.err = makeSettlement(g.srv) })
	require.NoError(t, settled.err)
	return settled.day
}

func makeSettlement(srv *unionpaytest.Server) (*settledDay, error) {
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer shop.Close()
	client, err := unionpay.NewClient(srv.Config())
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	seq := srv.Now().UnixNano() % 1e9
	d := &settledDay{consumeID: fmt.Sprintf("CLI%09dA", seq), refundID: fmt.Sprintf("CLI%09dB", seq)}
	form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: d.consumeID, Amount: 12345,
		FrontURL: shop.URL + "/return", BackURL: shop.URL + "/notify"})
	if err != nil {
		return nil, err
	}
	back, err := srv.Pay(ctx, form.Fields, unionpaytest.TestCard)
	if err != nil {
		return nil, err
	}
	if _, err := client.Refund(ctx, &unionpay.FollowUpRequest{OrderID: d.refundID, OrigQueryID: back["queryId"],
		Amount: 2345, BackURL: shop.URL + "/notify"}); err != nil {
		return nil, err
	}
	now := srv.Now()
	d.day = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	if d.rawAnswer, err = downloadRaw(ctx, srv, now); err != nil {
		return nil, err
	}
	return d, nil
}

// downloadRaw sends a signed file-download request (txnType 76) to the gateway and returns the
// answer's body untouched, as a merchant's log would hold it.
func downloadRaw(ctx context.Context, srv *unionpaytest.Server, now time.Time) (string, error) {
	signer, err := srv.MerchantSigner()
	if err != nil {
		return "", err
	}
	f := sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "txnType": "76", "txnSubType": "01",
		"bizType": "000000", "accessType": "0", "merId": srv.MerchantID(), "settleDate": now.Format("0102"),
		"txnTime": now.Format("20060102150405"), "fileType": "00"}
	if err := sign.Sign(signer, f); err != nil {
		return "", err
	}
	body, err := sign.Encode(f)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URLFor(unionpaytest.EndpointFile), strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("file download: HTTP %d", resp.StatusCode)
	}
	return string(b), nil
}
