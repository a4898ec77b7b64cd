package reconcile

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestMutation2WriterRefuses: values that do not fit their field are
// refused, and nothing is written.
func TestMutation2WriterRefuses(t *testing.T) {
	zm := func(edit func(*Record)) func(*bytes.Buffer) error {
		return func(buf *bytes.Buffer) error {
			r := mut2Record()
			edit(&r)
			w := NewZMWriter(buf)
			err := w.Write(&r)
			require.NoError(t, w.Flush())
			return err
		}
	}
	cases := []struct {
		name  string
		write func(*bytes.Buffer) error
		field string
	}{
		{"orderId of 33 bytes", zm(func(r *Record) { r.OrderID = strings.Repeat("A", 33) }), "orderId"},
		{"orderId with a CR", zm(func(r *Record) { r.OrderID = "ORDER\r0001" }), "orderId"},
		{"settleAmt of 13 digits", zm(func(r *Record) { r.SettleAmt = 1_000_000_000_000 }), "settleAmt"},
		{"settleAmt of 13 digits, debit", zm(func(r *Record) { r.SettleAmt = -1_000_000_000_000 }), "settleAmt"},
		{"txnAmt of 13 digits", zm(func(r *Record) { r.TxnAmt = 1_000_000_000_000 }), "txnAmt"},
		{"instalmentFee of 12 digits", zm(func(r *Record) { r.InstallmentFee = 100_000_000_000 }), "instalmentFee"},
		{"ZME splitFlag of 2 bytes", func(buf *bytes.Buffer) error {
			w := NewZMEWriter(buf)
			err := w.Write(&ErrorRecord{TxnCode: "E74", TxnTime: settle.Add(time.Hour), TxnAmt: 1, SplitFlag: "AL"})
			require.NoError(t, w.Flush())
			return err
		}, "splitFlag"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := c.write(&buf)
			require.ErrorContains(t, err, "field "+c.field)
			require.Zero(t, buf.Len(), "nothing written")
		})
	}
}

// TestWriterRefusesLineBreaks: a text value holding CR or LF would end the line early and write
// a file that reads back as malformed lines: it is refused, naming the field.
func TestWriterRefusesLineBreaks(t *testing.T) {
	var buf bytes.Buffer
	zw := NewZMWriter(&buf)
	rec := Record{TxnCode: "S22", TxnTime: time.Date(2025, 1, 1, 0, 0, 0, 0, Beijing()), TxnAmt: 1, OrderID: "ORDER0001", MerReserved: "x\ny"}
	err := zw.Write(&rec)
	require.ErrorContains(t, err, "merReserved")
	require.NoError(t, zw.Flush())
	require.Zero(t, buf.Len(), "nothing written")
}
