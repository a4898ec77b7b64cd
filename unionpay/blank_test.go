package unionpay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestBlankValues pins what the package doc's "Amounts, times and blank values" describes, UnionPay's
// SDKUtil.filterBlank: values are sent trimmed, and blank ones are not sent.
func TestBlankValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		edit    func(*unionpay.FollowUpRequest)
		key     string
		want    string
		present bool
	}{
		{"ReqReserved trimmed", func(r *unionpay.FollowUpRequest) { r.ReqReserved = "  id=42  " }, "reqReserved", "id=42", true},
		{"ReqReserved blank", func(r *unionpay.FollowUpRequest) { r.ReqReserved = " \t " }, "reqReserved", "", false},
		{"OrigQueryID trimmed", func(r *unionpay.FollowUpRequest) { r.OrigQueryID = " 782401051030000000011 " }, "origQryId",
			"782401051030000000011", true},
		{"Extra trimmed", func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"termId": " T1 "} }, "termId", "T1", true},
		{"Extra blank", func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"termId": "  "} }, "termId", "", false},
		// Java's trim, not Go's TrimSpace: U+3000 is kept at the ends, a control character is
		// trimmed, and a value of U+3000 alone is blank to the SDK's StringUtils.isBlank.
		{"Extra ending in U+3000 kept", func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"termId": "T1\u3000"} },
			"termId", "T1\u3000", true},
		{"Extra U+3000 alone blank", func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"termId": "\u3000"} },
			"termId", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(nil))
			c := newTestClient(t, g)
			r := followUp()
			tt.edit(r)
			_, err := c.Refund(context.Background(), r)
			require.NoError(t, err)
			v, ok := g.last()[tt.key]
			assert.Equal(t, tt.present, ok)
			assert.Equal(t, tt.want, v)
		})
	}
}

// TestBlankOverrides: a blank value counts as not given ("Amounts, times and blank values" in the package doc): an
// override with a default takes the default, an optional field is not sent, and a blank QueryID
// without an OrderID is refused, naming QueryID, rather than sending a query that names nothing.
func TestBlankOverrides(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fileAnswer := sign.Fields{"fileName": "777290058110048_20240104.zip", "fileContent": unionpay.EncodeFileContent([]byte("PK"))}
	tests := []struct {
		name  string
		do    func(*unionpay.Client) error
		want  map[string]string // sent fields ("" = not sent)
		field string            // a *RequestError naming it, nothing sent; "" = accepted
	}{
		{"QueryID blank alone", func(c *unionpay.Client) error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{QueryID: " \t "})
			return err
		}, nil, "QueryID"},
		{"QueryID blank with TxnTime", func(c *unionpay.Client) error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{QueryID: "   ", TxnTime: testNow})
			return err
		}, nil, "QueryID"},
		{"QueryID blank with OrderID", func(c *unionpay.Client) error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{QueryID: "  ", OrderID: testOrder, TxnTime: testNow})
			return err
		}, map[string]string{"orderId": testOrder, "queryId": ""}, ""},
		{"QueryID trimmed", func(c *unionpay.Client) error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{QueryID: " 782401051030000000011 "})
			return err
		}, map[string]string{"queryId": "782401051030000000011", "orderId": ""}, ""},
		{"query BizType blank", func(c *unionpay.Client) error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow, BizType: " "})
			return err
		}, map[string]string{"bizType": "000000"}, ""},
		{"collect TxnSubType and Currency blank", func(c *unionpay.Client) error {
			r := cardReq()
			r.TxnSubType, r.Currency = "  ", " "
			_, err := c.Collect(ctx, r)
			return err
		}, map[string]string{"txnSubType": "00", "bizType": "000501", "currencyCode": "156"}, ""},
		{"real-name auth BizType, TxnSubType and BackURL blank", func(c *unionpay.Client) error {
			r := accountReq()
			r.BizType, r.TxnSubType, r.BackURL = "\t", " ", "  "
			_, err := c.RealNameAuth(ctx, r)
			return err
		}, map[string]string{"txnSubType": "01", "bizType": "000501", "backUrl": ""}, ""},
		{"refund Channel blank", func(c *unionpay.Client) error {
			r := followUp()
			r.Channel = " "
			_, err := c.Refund(ctx, r)
			return err
		}, map[string]string{"channelType": "07"}, ""},
		{"file FileType blank", func(c *unionpay.Client) error {
			_, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC), FileType: "  "})
			return err
		}, map[string]string{"fileType": "00"}, ""},
		{"required BackURL blank", func(c *unionpay.Client) error {
			r := cardReq()
			r.BackURL = "  "
			_, err := c.Collect(ctx, r)
			return err
		}, nil, "BackURL"},
		{"required AccNo blank", func(c *unionpay.Client) error {
			r := cardReq()
			r.AccNo = "  "
			_, err := c.Collect(ctx, r)
			return err
		}, nil, "AccNo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(fileAnswer))
			c := newTestClient(t, g)
			err := tt.do(c)
			if tt.field != "" {
				var re *unionpay.RequestError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tt.field, re.Field)
				assert.Zero(t, g.count(), "nothing sent")
				return
			}
			require.NoError(t, err)
			sent := g.last()
			for k, want := range tt.want {
				v, ok := sent[k]
				assert.Equal(t, want != "", ok, k)
				assert.Equal(t, want, v, k)
			}
		})
	}
}

// TestBlankOverridesNoIO: the same rule where nothing is sent at once: a front form's blank
// Channel, Currency and AccNo, and a batch record's blank BizType and Currency.
func TestBlankOverridesNoIO(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	r := consumeReq()
	r.Channel, r.Currency, r.AccNo = " ", "  ", "   "
	form, err := c.FrontConsume(r)
	require.NoError(t, err)
	assert.Equal(t, "07", form.Fields["channelType"])
	assert.Equal(t, "156", form.Fields["currencyCode"])
	assert.NotContains(t, form.Fields, "accNo")
	assert.NotContains(t, form.Fields, "encryptCertId")

	file, _, _, err := unionpay.EncodeBatchFile("5.1.0", "000401", []unionpay.BatchRecord{
		{OrderID: "BATCH0001", Amount: 100, BizType: "  ", Currency: " ", AccNo: "6216261000000000018"}})
	require.NoError(t, err)
	assert.Contains(t, string(file), "\nBATCH0001|156|100||6216261000000000018||000401|")
}
