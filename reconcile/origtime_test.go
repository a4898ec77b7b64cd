package reconcile

import (
	"bytes"
	"cmp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOrigTxnTimeNotAfterTxnTime: an original transaction's MMDDhhmmss time takes the latest
// year in which it is not after the transaction that refers to it, the time of day counting.
// Found in the fourth session's review: the year allowed the day after TxnTime and ignored the
// time, so a refund at 00:30 of a payment made at 20:00 the same date a year before was dated
// before its original.
func TestOrigTxnTimeNotAfterTxnTime(t *testing.T) {
	cases := []struct {
		name      string
		settle    time.Time
		txn, orig string
		want      time.Time
	}{
		{"same date, later time, a year back", beijingTime(2026, 1, 1, 0, 0, 0), "0101003000", "0101200000",
			beijingTime(2025, 1, 1, 20, 0, 0)},
		{"the next date, a year back", beijingTime(2026, 1, 1, 0, 0, 0), "0101003000", "0102000000",
			beijingTime(2025, 1, 2, 0, 0, 0)},
		{"one second after, a year back", beijingTime(2026, 3, 1, 0, 0, 0), "0301100000", "0301100001",
			beijingTime(2025, 3, 1, 10, 0, 1)},
		{"the same second", beijingTime(2026, 3, 1, 0, 0, 0), "0301100000", "0301100000",
			beijingTime(2026, 3, 1, 10, 0, 0)},
		{"earlier the same date", beijingTime(2026, 3, 1, 0, 0, 0), "0301100000", "0301095959",
			beijingTime(2026, 3, 1, 9, 59, 59)},
		{"the day before, across the year", beijingTime(2025, 12, 31, 0, 0, 0), "0101000001", "1231235959",
			beijingTime(2025, 12, 31, 23, 59, 59)},
		{"a later 29 February, the leap year before", beijingTime(2024, 2, 29, 0, 0, 0), "0229100000", "0229120000",
			beijingTime(2020, 2, 29, 12, 0, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			values := refundValues(t)
			values[4], values[14] = c.txn, c.orig
			rec, err := parseOne(t, assemble(t, zmWidths, values), c.settle)
			require.NoError(t, err)
			assert.True(t, c.want.Equal(rec.OrigTxnTime), "origTxnTime %v, want %v", rec.OrigTxnTime, c.want)
			assert.False(t, rec.OrigTxnTime.After(rec.TxnTime), "origTxnTime %v after txnTime %v", rec.OrigTxnTime, rec.TxnTime)

			// ZME dates its original transactions alike.
			var buf bytes.Buffer
			w := NewZMEWriter(&buf)
			require.NoError(t, w.Write(&ErrorRecord{TxnCode: "E74", TxnTime: rec.TxnTime, TxnAmt: 1,
				OrigTxnTime: beijingTime(2000, 1, 1, 0, 0, 0)}))
			require.NoError(t, w.Flush())
			line := bytes.Clone(buf.Bytes())
			copy(line[zmeLayout[zmeOrigTxnTime].off:], c.orig)
			for er, err := range ZME(bytes.NewReader(line), c.settle) {
				require.NoError(t, err)
				assert.True(t, c.want.Equal(er.OrigTxnTime), "ZME origTxnTime %v, want %v", er.OrigTxnTime, c.want)
			}
		})
	}
}

// TestZMEOrigSettleDateSlack: ZME's MMDD settle date of an original transaction may be the day
// after the error transaction's date (a transaction made after 23:00 settles the next day), so
// it keeps one day of slack, unlike the MMDDhhmmss times; otherwise it is the latest such date,
// and a 29 February is looked for as far back as the original transaction's time is (eight
// years; it was refused when none had been in the last two).
func TestZMEOrigSettleDateSlack(t *testing.T) {
	txn := beijingTime(2025, 12, 31, 23, 30, 0)
	cases := []struct {
		date string
		txn  time.Time // zero: txn
		want time.Time
	}{
		{"0101", time.Time{}, beijingTime(2026, 1, 1, 0, 0, 0)},
		{"1231", time.Time{}, beijingTime(2025, 12, 31, 0, 0, 0)},
		{"0102", time.Time{}, beijingTime(2025, 1, 2, 0, 0, 0)},
		{"0229", time.Time{}, beijingTime(2024, 2, 29, 0, 0, 0)},
		{"0229", beijingTime(2027, 3, 1, 10, 0, 0), beijingTime(2024, 2, 29, 0, 0, 0)},
		{"0229", beijingTime(2103, 3, 1, 10, 0, 0), beijingTime(2096, 2, 29, 0, 0, 0)},
	}
	for _, c := range cases {
		t.Run(c.date+" from "+cmp.Or(c.txn, txn).Format("2006-01-02"), func(t *testing.T) {
			got, err := mmdd([]byte(c.date), cmp.Or(c.txn, txn))
			require.NoError(t, err)
			assert.True(t, c.want.Equal(got), "%v, want %v", got, c.want)
		})
	}
}
