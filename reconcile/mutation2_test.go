package reconcile

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Tests that kill the mutants that survived the second mutation review of the
// ZM/ZME field parsing, the writers, member names and the JSON report.

func mut2Record() Record {
	return Record{TxnCode: "S22", TxnTime: settle.Add(time.Hour), TxnAmt: 100, OrderID: "ORDER0001", TxnType: "01"}
}

func mut2ZMLines(t *testing.T, recs ...Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewZMWriter(&buf)
	for i := range recs {
		require.NoError(t, w.Write(&recs[i]))
	}
	require.NoError(t, w.Flush())
	return buf.Bytes()
}

func mut2ReadZM(t *testing.T, b []byte) ([]Record, []error) {
	t.Helper()
	var recs []Record
	var errs []error
	for r, err := range ZM(bytes.NewReader(b), settle) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recs = append(recs, r)
	}
	return recs, errs
}

// TestMutation2DeltaEveryByte: a changed byte anywhere in a field, or in the
// separator before it, always marks that field as changed, in both layouts'
// line lengths (the last word of a 607-byte line is partial).
func TestMutation2DeltaEveryByte(t *testing.T) {
	for _, n := range []int{607, 608} {
		prev := bytes.Repeat([]byte{' '}, n)
		for i, f := range zmLayout {
			for p := max(f.off-1, 0); p < f.end() && p < n; p++ {
				b := bytes.Clone(prev)
				b[p] = 'x'
				d := newDelta(zmDeltaTable())
				d.valid = true
				c, _ := d.changed(b, prev)
				require.True(t, c.has(i), "line of %d bytes: byte %d changed, field %d (%s at %d+%d) not marked",
					n, p, i, f.name, f.off, f.width)
			}
		}
	}
}

// TestMutation2ZMRoundTrip: records that read back as written, through the
// delta parser (one after another in a file) and alone.
func TestMutation2ZMRoundTrip(t *testing.T) {
	withRef := mut2Record()
	withRef.RetrievalRefNo = "123456789012" // the only v3 field set: 608-byte layout
	debit := mut2Record()
	debit.TxnType, debit.MerchantFee, debit.SettleAmt, debit.NetSettleAmt = "04", 60, -10000, -1000000
	longOrder := mut2Record()
	longOrder.OrderID = strings.Repeat("A", 31) + "B"
	longOrder2 := longOrder
	longOrder2.OrderID = strings.Repeat("A", 31) + "C" // differs from the line before in its last byte only
	longOrig := longOrder2
	longOrig.OrigOrderID, longOrig.SubMerAbbr, longOrig.MerReserved = strings.Repeat("O", 32), "二级商户", strings.Repeat("m", 32)
	cases := []struct {
		name string
		recs []Record
	}{
		{"v3 with only retrievalRefNo", []Record{mut2Record(), withRef}},
		{"debit amounts in whole hundreds of yuan", []Record{mut2Record(), debit}},
		{"32-byte orderIds differing in the last byte", []Record{longOrder, longOrder2, longOrig}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, errs := mut2ReadZM(t, mut2ZMLines(t, c.recs...))
			require.Empty(t, errs)
			require.Len(t, got, len(c.recs))
			for i, want := range c.recs {
				want.Line = i + 1
				require.Equal(t, want, got[i], "record %d in a file", i)
				alone, errs := mut2ReadZM(t, mut2ZMLines(t, c.recs[i]))
				require.Empty(t, errs)
				want.Line = 1
				require.Equal(t, want, alone[0], "record %d alone", i)
			}
		})
	}
}

// TestMutation2LayoutSwitch: a 608-byte v2 line (its last byte a space) after
// a v3 line, and the other way round, share nothing of the other layout's
// fields: each reads as it does alone.
func TestMutation2LayoutSwitch(t *testing.T) {
	v3 := mut2Record()
	v3.ClearingAmt, v3.POSEntryMode, v3.MobilePayFlag, v3.RetrievalRefNo = 500, "05", "1", "123456789012"
	v3.OrderID = "ORDER0002"
	v3line := mut2ZMLines(t, v3)
	v2line := mut2ZMLines(t, mut2Record())
	v2line = append(v2line[:len(v2line)-2:len(v2line)-2], ' ', '\r', '\n') // 608 bytes
	require.Len(t, v3line, len(v2line))
	cases := []struct {
		name  string
		lines [][]byte
	}{
		{"v3 then v2", [][]byte{v3line, v2line}},
		{"v2 then v3", [][]byte{v2line, v3line}},
		{"v3, v2, v3", [][]byte{v3line, v2line, v3line}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, errs := mut2ReadZM(t, bytes.Join(c.lines, nil))
			require.Empty(t, errs)
			require.Len(t, got, len(c.lines))
			for i, line := range c.lines {
				alone, errs := mut2ReadZM(t, line)
				require.Empty(t, errs)
				alone[0].Line = i + 1
				require.Equal(t, alone[0], got[i], "line %d", i+1)
			}
		})
	}
}

// TestMutation2ZMEMalformed: ZME bytes that must be refused.
func TestMutation2ZMEMalformed(t *testing.T) {
	rec := ErrorRecord{TxnCode: "E74", TxnTime: settle.Add(time.Hour), TxnAmt: 1, Reserved: "note"}
	var buf bytes.Buffer
	w := NewZMEWriter(&buf)
	require.NoError(t, w.Write(&rec))
	require.NoError(t, w.Flush())
	good := buf.Bytes()
	cases := []struct {
		name  string
		at    int
		bytes string
		field string
	}{
		{"origSettleDate with its first three bytes blank", 108, "   1", "origSettleDate"},
		{"separator before the reserved field", 203, "x", "reserved"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := bytes.Clone(good)
			copy(b[c.at:], c.bytes)
			var errs []error
			for _, err := range ZME(bytes.NewReader(b), settle) {
				if err != nil {
					errs = append(errs, err)
				}
			}
			require.Len(t, errs, 1)
			require.ErrorContains(t, errs[0], c.field)
		})
	}
}

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

// TestMutation2MemberNames: kinds, merId and settle date from member names.
func TestMutation2MemberNames(t *testing.T) {
	day := time.Date(2015, 9, 5, 0, 0, 0, 0, Beijing())
	cases := []struct {
		name   string
		kind   Kind
		merID  string
		settle time.Time
	}{
		{"INN15090588ZM_802310048993424", KindZM, "802310048993424", day},
		{"INN15090588ZME_802310048993424", KindZME, "802310048993424", day},
		{"RD201015090501_802310048993424", KindRD, "802310048993424", day},
		{"INN15090588ZM_X_802310048993424", KindZM, "802310048993424", day},
		{"RD201015090501", KindUnknown, "", time.Time{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := kindOf(c.name)
			require.Equal(t, c.kind, k)
			merID, settleDate := nameInfo(c.name, k)
			require.Equal(t, c.merID, merID)
			require.True(t, c.settle.Equal(settleDate), "settle date %v, want %v", settleDate, c.settle)
		})
	}
}

// TestMutation2JSONOrderOnly: a result with only an order reports the order's
// txnType in JSON, as in CSV.
func TestMutation2JSONOrderOnly(t *testing.T) {
	cases := []struct {
		name string
		res  Result
		want string
	}{
		{"missing refund", Result{Class: MissingAtUnionPay, Order: Order{OrderID: "ORDER0009", Amount: 100, TxnType: "04"}}, `"txn_type":"04"`},
		{"record type wins", Result{Class: StateMismatch, Record: Record{OrderID: "ORDER0010", TxnType: "01"},
			Order: Order{OrderID: "ORDER0010", Amount: 100, TxnType: "04"}}, `"txn_type":"01"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			_, err := WriteJSON(&buf, func(yield func(Result, error) bool) { yield(c.res, nil) })
			require.NoError(t, err)
			require.Contains(t, buf.String(), c.want)
		})
	}
}

// TestMutation2V3DetectedByAnyField: a 608-byte line is in the newer layout
// when any of fields 42 to 45 is not blank, even with the others blank (as a
// file from UnionPay may have them; the writer zero-fills clearingAmt).
func TestMutation2V3DetectedByAnyField(t *testing.T) {
	v2line := mut2ZMLines(t, mut2Record())
	line := append(v2line[:len(v2line)-2:len(v2line)-2], ' ') // 608 bytes, all blank from 508
	cases := []struct {
		field string
		text  string
		want  func(*Record)
	}{
		{"clearingAmt", "C000000000500", func(r *Record) { r.ClearingAmt = 500 }},
		{"posEntryMode", "05", func(r *Record) { r.POSEntryMode = "05" }},
		{"mobilePayFlag", "1", func(r *Record) { r.MobilePayFlag = "1" }},
		{"retrievalRefNo", "123456789012", func(r *Record) { r.RetrievalRefNo = "123456789012" }},
	}
	for _, c := range cases {
		t.Run(c.field, func(t *testing.T) {
			var f field
			for _, g := range zmLayout[zmClearingAmt:] {
				if g.name == c.field {
					f = g
				}
			}
			require.NotZero(t, f.width)
			b := bytes.Clone(line)
			copy(b[f.off:], c.text)
			got, errs := mut2ReadZM(t, b)
			require.Empty(t, errs)
			require.Len(t, got, 1)
			want := mut2Record()
			want.Line = 1
			c.want(&want)
			require.Equal(t, want, got[0])
		})
	}
}
