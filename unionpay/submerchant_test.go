package unionpay_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

func platformConfig(s unionpay.SubMerchant) func(*unionpay.Config) {
	return func(c *unionpay.Config) { c.AccessType, c.SubMerchant = unionpay.AccessPlatform, s }
}

// A client derived with WithSubMerchant sends its own sub-merchant, and the one it came from
// still sends its.
func TestWithSubMerchantSends(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	plat := newTestClient(t, g, platformConfig(unionpay.SubMerchant{ID: "SUB01", Name: "小店", Abbr: "小"}))
	tea, err := plat.WithSubMerchant(unionpay.SubMerchant{ID: "898111100000001", Name: "杭州西湖龙井茶叶有限公司", Abbr: "龙井茶叶"})
	require.NoError(t, err)

	for _, tt := range []struct {
		c               *unionpay.Client
		id, name, abbrv string
	}{
		{tea, "898111100000001", "杭州西湖龙井茶叶有限公司", "龙井茶叶"},
		{plat, "SUB01", "小店", "小"},
		{tea, "898111100000001", "杭州西湖龙井茶叶有限公司", "龙井茶叶"},
	} {
		_, err := tt.c.Refund(context.Background(), followUp())
		require.NoError(t, err)
		req := g.last()
		assert.Equal(t, "2", req["accessType"])
		assert.Equal(t, tt.id, req["subMerId"])
		assert.Equal(t, tt.name, req["subMerName"])
		assert.Equal(t, tt.abbrv, req["subMerAbbr"])
		assert.Equal(t, plat.MerchantID(), req["merId"])
	}
}

// An encryption certificate update through either client is used by both.
func TestWithSubMerchantSharesEncryptionCertificate(t *testing.T) {
	t.Parallel()
	g := newGateway(t, certAnswer(encPEM(t)))
	plat := newTestClient(t, g, platformConfig(unionpay.SubMerchant{ID: "SUB01", Name: "小店", Abbr: "小"}),
		func(c *unionpay.Config) { c.Encrypter = ownedEncrypter(t, "00040000:SIGN") })
	shop, err := plat.WithSubMerchant(unionpay.SubMerchant{ID: "SUB02", Name: "二店", Abbr: "二"})
	require.NoError(t, err)
	require.Same(t, plat.Encrypter(), shop.Encrypter())
	old := plat.Encrypter()

	updated, err := shop.UpdateEncryptionCertificate(context.Background())
	require.NoError(t, err)
	require.True(t, updated)
	assert.NotSame(t, old, plat.Encrypter(), "the platform's client uses the new certificate")
	assert.Same(t, shop.Encrypter(), plat.Encrypter())
	assert.Equal(t, "69683525138", plat.Encrypter().CertID())
	assert.Equal(t, "SUB02", g.last()["subMerId"], "the update went out as the shop's")
}

func TestWithSubMerchantRefuses(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	plat := newTestClient(t, g, platformConfig(unionpay.SubMerchant{ID: "SUB01", Name: "小店", Abbr: "小"}))
	gbk := newTestClient(t, g, platformConfig(unionpay.SubMerchant{ID: "SUB01", Name: "小店", Abbr: "小"}),
		func(c *unionpay.Config) { c.Encoding = "GBK" })
	direct := newTestClient(t, g)
	tests := []struct {
		name  string
		c     *unionpay.Client
		s     unionpay.SubMerchant
		field string
	}{
		{"not a platform", direct, unionpay.SubMerchant{ID: "SUB02", Name: "二店", Abbr: "二"}, "Config.AccessType"},
		{"zero Client", &unionpay.Client{}, unionpay.SubMerchant{ID: "SUB02", Name: "二店", Abbr: "二"}, "Client"},
		{"empty", plat, unionpay.SubMerchant{}, "Config.SubMerchant"},
		{"blank name", plat, unionpay.SubMerchant{ID: "SUB02", Name: " ", Abbr: "二"}, "Config.SubMerchant.Name"},
		{"only Abbr given", plat, unionpay.SubMerchant{Abbr: "二"}, "Config.SubMerchant.ID"},
		{"ID too long", plat, unionpay.SubMerchant{ID: strings.Repeat("1", 16), Name: "二店", Abbr: "二"}, "Config.SubMerchant.ID"},
		{"ID not alphanumeric", plat, unionpay.SubMerchant{ID: "SUB-02", Name: "二店", Abbr: "二"}, "Config.SubMerchant.ID"},
		{"abbr too wide", plat, unionpay.SubMerchant{ID: "SUB02", Name: "二店", Abbr: strings.Repeat("二", 17)}, "Config.SubMerchant.Abbr"},
		{"line break", plat, unionpay.SubMerchant{ID: "SUB02", Name: "二\n店", Abbr: "二"}, "Config.SubMerchant.Name"},
		{"not UTF-8", plat, unionpay.SubMerchant{ID: "SUB02", Name: "二店", Abbr: "\xff"}, "Config.SubMerchant.Abbr"},
		{"not GBK with GBK encoding", gbk, unionpay.SubMerchant{ID: "SUB02", Name: "二店😀", Abbr: "二"}, "Config.SubMerchant.Name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := tt.c.WithSubMerchant(tt.s)
			assert.Nil(t, d)
			var ce *unionpay.ConfigError
			require.True(t, errors.As(err, &ce), "%v", err)
			assert.Equal(t, tt.field, ce.Field)
		})
	}
	// A blank field is named as it is sent.
	_, err := plat.WithSubMerchant(unionpay.SubMerchant{ID: "SUB02", Name: "二店", Abbr: " "})
	assert.ErrorContains(t, err, "(subMerAbbr)")
	// A refused sub-merchant leaves the client as it was.
	_, err = plat.Refund(context.Background(), followUp())
	require.NoError(t, err)
	assert.Equal(t, "SUB01", g.last()["subMerId"])
}

func TestZeroClientEncrypter(t *testing.T) {
	t.Parallel()
	assert.Nil(t, (&unionpay.Client{}).Encrypter())
}
