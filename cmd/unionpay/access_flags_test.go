package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
)

// accessSeen is a transport to the fake gateway that keeps the access fields of each request it
// sends: accessType, acqInsCode, subMerId, subMerName and subMerAbbr, as UnionPay receives them.
type accessSeen struct {
	next http.RoundTripper
	mu   sync.Mutex
	sent []url.Values
}

// RoundTrip records r's form and sends it on.
func (a *accessSeen) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.sent = append(a.sent, form)
	a.mu.Unlock()
	r = r.Clone(r.Context())
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	return a.next.RoundTrip(r)
}

// last returns the access fields of the last request sent, as "accessType acqInsCode subMerId
// subMerName subMerAbbr".
func (a *accessSeen) last(t *testing.T) string {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	require.NotEmpty(t, a.sent, "no request sent")
	f := a.sent[len(a.sent)-1]
	return strings.Join([]string{f.Get("accessType"), f.Get("acqInsCode"), f.Get("subMerId"), f.Get("subMerName"),
		f.Get("subMerAbbr")}, " ")
}

// TestQueryDownloadAccess: query and download send an acquirer's acqInsCode (accessType 1) and a
// platform's sub-merchant (accessType 2) as the SDK's Client for that access does, so that an
// acquirer's and a platform's transactions and files can be asked for with the tool; without the
// flags, as a merchant connected directly (accessType 0).
func TestQueryDownloadAccess(t *testing.T) {
	c := newServiceCreds(t)
	ctx := context.Background()
	when := c.g.srv.Now()
	at := when.In(reconcile.Beijing()).Format("20060102150405")
	shop := unionpay.SubMerchant{ID: "898111100000001", Name: "杭州西湖龙井茶叶有限公司", Abbr: "龙井茶叶"}
	orders := map[string]string{} // access: orderId
	for _, a := range []struct {
		name string
		edit func(*unionpay.Config)
	}{
		{"acquirer", func(cfg *unionpay.Config) { cfg.AccessType, cfg.AcquirerCode = unionpay.AccessAcquirer, "48020000" }},
		{"platform", func(cfg *unionpay.Config) { cfg.AccessType, cfg.SubMerchant = unionpay.AccessPlatform, shop }},
	} {
		cfg := c.g.srv.Config()
		a.edit(&cfg)
		client, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		orders[a.name] = fmt.Sprintf("CLIA%d%d", time.Now().UnixNano()%1e9, orderSeq.Add(1))
		_, err = client.AppConsume(ctx, &unionpay.ConsumeRequest{OrderID: orders[a.name], Amount: 1000, TxnTime: when,
			BackURL: "https://shop.example/notify"})
		require.NoError(t, err)
		_, err = c.g.srv.Complete(orders[a.name], "")
		require.NoError(t, err)
	}
	platform := []string{"-sub-mer-id", shop.ID, "-sub-mer-name", shop.Name, "-sub-mer-abbr", shop.Abbr}
	tests := []struct {
		name string
		args []string
		sent string // the access fields sent
	}{
		{"query, acquirer", append([]string{"query", "-order", orders["acquirer"], "-txn-time", at,
			"-acq-ins-code", "48020000"}, c.configFlags...), "1 48020000   "},
		{"query, platform", append(append([]string{"query", "-order", orders["platform"], "-txn-time", at}, platform...),
			c.configFlags...), "2  898111100000001 杭州西湖龙井茶叶有限公司 龙井茶叶"},
		{"query, merchant", append([]string{"query", "-order", orders["platform"], "-txn-time", at}, c.configFlags...),
			"0    "},
		{"download, acquirer", append([]string{"download", "-settle-date", when.In(reconcile.Beijing()).Format("20060102"),
			"-o", t.TempDir() + "/a.zip", "-acq-ins-code", "48020000"}, c.configFlags...), "1 48020000   "},
		{"download, platform", append(append([]string{"download", "-settle-date", when.In(reconcile.Beijing()).Format("20060102"),
			"-o", t.TempDir() + "/p.zip"}, platform...), c.configFlags...), "2  898111100000001 杭州西湖龙井茶叶有限公司 龙井茶叶"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := &accessSeen{next: c.transport()}
			r := c.run(t, seen, tt.args...)
			require.Equal(t, exitOK, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			if tt.args[0] == "query" {
				assert.Contains(t, r.stdout, "state: succeeded\n")
			}
			assert.Equal(t, tt.sent, seen.last(t))
			requireNoSecret(t, r)
		})
	}
}

// TestQueryDownloadAccessUsage: access flags that name no access, or a value the SDK refuses, are
// a usage error naming the flag, before anything is sent.
func TestQueryDownloadAccessUsage(t *testing.T) {
	c := newServiceCreds(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"acquirer and platform", []string{"-acq-ins-code", "48020000", "-sub-mer-id", "898111100000001",
			"-sub-mer-name", "茶叶公司", "-sub-mer-abbr", "茶叶"}, "-acq-ins-code (an acquirer, accessType 1) excludes"},
		{"sub-merchant without its abbreviation", []string{"-sub-mer-id", "898111100000001", "-sub-mer-name", "茶叶公司"},
			"-sub-mer-id, -sub-mer-name and -sub-mer-abbr go together"},
		{"abbreviation alone", []string{"-sub-mer-abbr", "茶叶"}, "go together"},
		{"empty acqInsCode", []string{"-acq-ins-code", ""}, "-acq-ins-code: empty"},
		{"empty sub-merchant name", []string{"-sub-mer-id", "898111100000001", "-sub-mer-name", "",
			"-sub-mer-abbr", "茶叶"}, "-sub-mer-name: empty"},
		{"acqInsCode of letters", []string{"-acq-ins-code", "ACQ1"}, "-acq-ins-code: required with AccessAcquirer: up to 11 digits"},
		{"sub-merchant ID too long", []string{"-sub-mer-id", "8981111000000011", "-sub-mer-name", "茶叶公司",
			"-sub-mer-abbr", "茶叶"}, "-sub-mer-id: must be up to 15 letters or digits"},
		{"sub-merchant name with a brace", []string{"-sub-mer-id", "898111100000001", "-sub-mer-name", "茶叶{公司}",
			"-sub-mer-abbr", "茶叶"}, "-sub-mer-name: "},
	}
	for _, tt := range tests {
		for _, cmd := range [][]string{{"query", "-order", "ORDER0001", "-txn-time", "20240105103000"},
			{"download", "-settle-date", "20240105", "-o", t.TempDir() + "/f.zip"}} {
			t.Run(tt.name+", "+cmd[0], func(t *testing.T) {
				r := c.run(t, failing{}, append(append(cmd, tt.args...), c.configFlags...)...)
				requireFailure(t, r, exitUsage, tt.want)
			})
		}
	}
}
