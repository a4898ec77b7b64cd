package unionpaytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSettleDayCutoff: UnionPay's day ends at 23:00 Beijing time. A transaction accepted from then
// on settles the next calendar date: its settleDate says so, it is in that day's file and not in
// the day's before, and it cannot cancel (or be cancelled by) one of the day before.
func TestSettleDayCutoff(t *testing.T) {
	t.Parallel()
	const in = "http://127.0.0.1:1/n"
	m := newMerchant(t)
	m.clock.Advance(12*time.Hour + 59*time.Minute + 59*time.Second) // 2026-11-25 22:59:59
	before := m.appConsume("CUTOFF001", "1000", in)
	require.Equal(t, "1125", m.query("CUTOFF001", m.clock.Now().Format("20060102150405"))["settleDate"])
	m.clock.Advance(time.Second) // 23:00:00
	after := m.appConsume("CUTOFF002", "2000", in)
	require.Equal(t, "1126", m.query("CUTOFF002", m.clock.Now().Format("20060102150405"))["settleDate"],
		"accepted at 23:00: the next day's")

	m.clock.Advance(30 * time.Minute) // 23:30
	r := m.back("31", "CUTOFF003", before, "1000", in)
	assert.Equal(t, unionpaytest.CodeBadOriginal, r["respCode"], "a cancel after 23:00 of a payment before it: %s", r["respMsg"])
	r = m.back("31", "CUTOFF004", after, "2000", in)
	require.Equal(t, "00", r["respCode"], "a cancel on the same settle day: %s", r["respMsg"])
	r = m.back("04", "CUTOFF005", before, "400", in)
	require.Equal(t, "00", r["respCode"], "a refund instead: %s", r["respMsg"])

	orders := func(day time.Time) []string {
		var ids []string
		for _, rec := range m.srv.Records(day) {
			ids = append(ids, rec.OrderID)
		}
		return ids
	}
	d25 := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	assert.Equal(t, []string{"CUTOFF001"}, orders(d25))
	assert.ElementsMatch(t, []string{"CUTOFF002", "CUTOFF004", "CUTOFF005"}, orders(d25.AddDate(0, 0, 1)))

	// At 23:30 on the 25th, "1126" is today's settle day, not the 26th of November a year before.
	resp := m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", "1126", "fileType", "00"))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	assert.Equal(t, m.srv.MerchantID()+"_20261126.zip", resp["fileName"])
	resp = m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", "1127", "fileType", "00"))
	assert.Equal(t, "98", resp["respCode"], "1127 is a year ago: nothing settled")
}

// TestSettleDayCutoffNewYear: a payment at 23:30 on 31 December settles on 1 January of the next
// year, whose file can be downloaded at once.
func TestSettleDayCutoffNewYear(t *testing.T) {
	t.Parallel()
	m := newMerchant(t)
	m.clock.Advance(36*24*time.Hour + 13*time.Hour + 30*time.Minute) // 2026-12-31 23:30
	require.Equal(t, "2026-12-31 23:30", m.clock.Now().Format("2006-01-02 15:04"))
	m.appConsume("NEWYEAR001", "1000", "http://127.0.0.1:1/n")
	require.Equal(t, "0101", m.query("NEWYEAR001", m.clock.Now().Format("20060102150405"))["settleDate"])
	resp := m.call(unionpaytest.EndpointFile, m.fields("76", "01", "000000", "settleDate", "0101", "fileType", "00"))
	require.Equal(t, "00", resp["respCode"], resp["respMsg"])
	assert.Equal(t, m.srv.MerchantID()+"_20270101.zip", resp["fileName"])
	assert.Len(t, m.srv.Records(time.Date(2027, 1, 1, 0, 0, 0, 0, reconcile.Beijing())), 1)
}

// TestSettleDayOfAMidnightElsewhere: a day given as a midnight in a zone east of Beijing (Tokyo's
// midnight is 23:00 in Beijing the day before) is that date, as the client's DownloadFile reads
// it: Records, Settlement and the file download agree on it (a pre-auth merchant's trial found
// Records and Settlement on the day before).
func TestSettleDayOfAMidnightElsewhere(t *testing.T) {
	t.Parallel()
	srv, c, _ := clientGateway(t)
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.FixedZone("JST", 9*3600))
	res, err := c.AppConsume(context.Background(), &unionpay.ConsumeRequest{OrderID: "TOKYODAY01", Amount: 1000,
		BackURL: "http://127.0.0.1:1/n"})
	require.NoError(t, err)
	require.NotEmpty(t, res.TN)
	code, err := srv.Complete("TOKYODAY01", "")
	require.NoError(t, err)
	require.Equal(t, "00", code)
	require.Len(t, srv.Records(day), 1, "the 25th, as in Tokyo")
	require.Len(t, srv.Records(day.Add(-time.Nanosecond)), 0, "a time is the Beijing date it falls in: the 24th")
	zipped, err := srv.Settlement(day)
	require.NoError(t, err)
	f, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: day})
	require.NoError(t, err)
	assert.Equal(t, zipped, f.Content)
	assert.Equal(t, srv.MerchantID()+"_20261125.zip", f.Name)
}
