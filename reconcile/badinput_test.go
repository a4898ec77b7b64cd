package reconcile

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"io"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestReportUnknownClass: a Result whose Class is none of Classes is counted as a data error
// naming its class, not indexed past the end of Totals (it panicked), and the reports write it
// as they write a malformed line. Found in the hostile-input review (section 8).
func TestReportUnknownClass(t *testing.T) {
	bad := Result{Class: Class(6), Record: Record{Line: 3, OrderID: "ORD00001", TxnAmt: 100}}
	tests := []struct {
		name  string
		class Class
	}{
		{"one past the last", numClasses},
		{"far past", Class(1 << 20)},
		{"negative", Class(-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := bad
			res.Class = tt.class
			var r Report
			require.NotPanics(t, func() { r.Add(res) })
			require.Equal(t, 1, r.ErrorCount)
			require.Len(t, r.Errors, 1)
			require.ErrorIs(t, r.Errors[0], ErrUnknownClass)
			require.Contains(t, r.Errors[0].Error(), tt.class.String())
			require.Contains(t, r.Errors[0].Error(), "ORD00001")
			require.Equal(t, [numClasses]Totals{}, r.Totals, "counted in no class")
		})
	}
	results := func(yield func(Result, error) bool) {
		_ = yield(Result{Class: Matched, Record: Record{Line: 1, OrderID: "ORD00000", TxnAmt: 5}}, nil) &&
			yield(bad, nil)
	}
	t.Run("WriteCSV", func(t *testing.T) {
		var out bytes.Buffer
		rep, err := WriteCSV(&out, results)
		require.NoError(t, err)
		require.Equal(t, 1, rep.ErrorCount)
		require.ErrorIs(t, rep.Errors[0], ErrUnknownClass)
		require.Equal(t, int64(1), rep.Totals[Matched].Count)
		rows, err := csv.NewReader(&out).ReadAll()
		require.NoError(t, err)
		require.Equal(t, "error", rows[1][0])
		require.Contains(t, rows[1][14], "Class(6)")
	})
	t.Run("WriteJSON", func(t *testing.T) {
		var out bytes.Buffer
		rep, err := WriteJSON(&out, results)
		require.NoError(t, err)
		require.Equal(t, 1, rep.ErrorCount)
		require.ErrorIs(t, rep.Errors[0], ErrUnknownClass)
		var doc struct {
			Results []json.RawMessage `json:"results"`
			Errors  []struct{ Message string }
		}
		require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
		require.Empty(t, doc.Results)
		require.Len(t, doc.Errors, 1)
		require.Contains(t, doc.Errors[0].Message, "Class(6)")
	})
}

// TestNilSequences: a nil reader or sequence given to a function that yields errors is its only
// element's error, naming the argument and the function; they panicked on the first iteration.
// Found in the hostile-input review (section 8).
func TestNilSequences(t *testing.T) {
	day := time.Date(2015, 9, 5, 0, 0, 0, 0, Beijing())
	records, orders := matchFixture()
	tests := []struct {
		name string
		seq  func() []error // ranges over the sequence, returning every error
		want string
	}{
		{"ZM", func() []error { return errorsOf(ZM(nil, day)) }, "reconcile: nil argument r to ZM"},
		{"ZME", func() []error { return errorsOf(ZME(nil, day)) }, "reconcile: nil argument r to ZME"},
		{"Match records", func() []error { return errorsOf(Match(nil, orders)) }, "reconcile: nil argument records to Match"},
		{"Match orders", func() []error { return errorsOf(Match(records, nil)) }, "reconcile: nil argument orders to Match"},
		{"ParseRD", func() []error { _, err := ParseRD(nil); return []error{err} }, "reconcile: nil argument r to ParseRD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs []error
			require.NotPanics(t, func() { errs = tt.seq() })
			require.Len(t, errs, 1)
			require.ErrorIs(t, errs[0], ErrNilArgument)
			require.EqualError(t, errs[0], tt.want)
		})
	}
	t.Run("WriteCSV stops at it", func(t *testing.T) {
		_, err := WriteCSV(io.Discard, Match(nil, orders))
		require.ErrorIs(t, err, ErrNilArgument)
	})
}

// errorsOf ranges over seq and returns the error of each element (nil for a value).
func errorsOf[T any](seq iter.Seq2[T, error]) []error {
	var errs []error
	for _, err := range seq {
		errs = append(errs, err)
	}
	return errs
}

// TestNilWriters: a nil writer or input, or a zero writer, given to the writing functions is an
// error naming it; they panicked (on the first write or flush). Found in the hostile-input review
// (section 8).
func TestNilWriters(t *testing.T) {
	day := time.Date(2015, 9, 5, 0, 0, 0, 0, Beijing())
	records, orders := matchFixture()
	results := Match(records, orders)
	rec := rec(1, "ORD00001", 100, 1, "01")
	tests := []struct {
		name string
		call func() error
		want string // the message; "" for a zero writer, whose error names its constructor
	}{
		{"WriteCSV w", func() error { _, err := WriteCSV(nil, results); return err }, "reconcile: nil argument w to WriteCSV"},
		{"WriteCSV results", func() error { _, err := WriteCSV(io.Discard, nil); return err }, "reconcile: nil argument results to WriteCSV"},
		{"WriteJSON w", func() error { _, err := WriteJSON(nil, results); return err }, "reconcile: nil argument w to WriteJSON"},
		{"WriteJSON results", func() error { _, err := WriteJSON(io.Discard, nil); return err }, "reconcile: nil argument results to WriteJSON"},
		{"WriteRD w", func() error { return WriteRD(nil, &Summary{}) }, "reconcile: nil argument w to WriteRD"},
		{"WriteRD s", func() error { return WriteRD(io.Discard, nil) }, "reconcile: nil argument s to WriteRD"},
		{"ZMWriter w", func() error {
			zw := NewZMWriter(nil)
			return cmp.Or(zw.Write(&rec), zw.Flush())
		}, "reconcile: nil argument w to NewZMWriter"},
		{"ZMWriter w, flush only", func() error { return NewZMWriter(nil).Flush() }, "reconcile: nil argument w to NewZMWriter"},
		{"ZMEWriter w", func() error { return NewZMEWriter(nil).Write(&ErrorRecord{}) }, "reconcile: nil argument w to NewZMEWriter"},
		{"ArchiveWriter w", func() error { _, err := NewArchiveWriter(nil, day).Create("ZM"); return err },
			"reconcile: nil argument w to NewArchiveWriter"},
		{"ArchiveWriter w, close", func() error { return NewArchiveWriter(nil, day).Close() },
			"reconcile: nil argument w to NewArchiveWriter"},
		{"Settlement.WriteZip w", func() error { return (&Settlement{SettleDate: day}).WriteZip(nil) },
			"reconcile: nil argument w to Settlement.WriteZip"},
		{"zero ZMWriter", func() error { return new(ZMWriter).Write(&rec) }, "reconcile: ZMWriter not made by NewZMWriter"},
		{"zero ZMWriter, flush", func() error { return new(ZMWriter).Flush() }, "reconcile: ZMWriter not made by NewZMWriter"},
		{"zero ZMEWriter", func() error { return new(ZMEWriter).Write(&ErrorRecord{}) }, "reconcile: ZMEWriter not made by NewZMEWriter"},
		{"zero ZMEWriter, flush", func() error { return new(ZMEWriter).Flush() }, "reconcile: ZMEWriter not made by NewZMEWriter"},
		{"zero ArchiveWriter", func() error { _, err := new(ArchiveWriter).Create("ZM"); return err },
			"reconcile: ArchiveWriter not made by NewArchiveWriter"},
		{"zero ArchiveWriter, close", func() error { return new(ArchiveWriter).Close() },
			"reconcile: ArchiveWriter not made by NewArchiveWriter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = tt.call() })
			require.EqualError(t, err, tt.want)
			if strings.Contains(tt.want, "nil argument") {
				require.ErrorIs(t, err, ErrNilArgument)
			}
		})
	}
}

// TestNilSummaryAndTally: Summary.Check with a nil Tally (or on a nil Summary) is an error naming
// the argument, not a panic. Found in the hostile-input review (section 8). Tally.Add has no
// result: a nil record is a programmer error, documented, and panics like a nil receiver.
func TestNilSummaryAndTally(t *testing.T) {
	var tally Tally
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"Check t", func() error { return (&Summary{}).Check(nil) }, "reconcile: nil argument t to Summary.Check"},
		{"Check s", func() error { return (*Summary)(nil).Check(&tally) }, "reconcile: nil argument s (the receiver) to Summary.Check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = tt.call() })
			require.ErrorIs(t, err, ErrNilArgument)
			require.NotErrorIs(t, err, ErrMismatch)
			require.EqualError(t, err, tt.want)
		})
	}
	require.Panics(t, func() { tally.Add(nil) })
	var counted Tally
	r := rec(1, "ORD00001", 100, 1, "01")
	counted.Add(&r)
	require.Equal(t, int64(1), counted.Total.Count)
}

// TestWriteNilRecord: ZMWriter.Write(nil) and ZMEWriter.Write(nil) are errors matching
// ErrNilArgument and naming the argument, like the package's other nil arguments, and write
// nothing.
func TestWriteNilRecord(t *testing.T) {
	var buf bytes.Buffer
	tests := []struct {
		name  string
		write func() error
		want  string
	}{
		{"ZMWriter", func() error { return NewZMWriter(&buf).Write(nil) }, "reconcile: nil argument r to ZMWriter.Write"},
		{"ZMEWriter", func() error { return NewZMEWriter(&buf).Write(nil) }, "reconcile: nil argument r to ZMEWriter.Write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf.Reset()
			err := tt.write()
			require.ErrorIs(t, err, ErrNilArgument)
			require.EqualError(t, err, tt.want)
			require.Zero(t, buf.Len())
		})
	}
	t.Run("writer still usable", func(t *testing.T) {
		buf.Reset()
		w := NewZMWriter(&buf)
		require.ErrorIs(t, w.Write(nil), ErrNilArgument)
		r := rec(1, "ORD00001", 100, 1, "01")
		require.NoError(t, w.Write(&r))
		require.NoError(t, w.Flush())
		require.NotZero(t, buf.Len())
	})
}

// TestMemberOpenNotFromArchive: Open of a nil *Member (Archive.First of a kind the zip lacks) or
// of a Member not obtained from an Archive is an error, not a nil dereference. Found in the
// hostile-input review (section 8).
func TestMemberOpenNotFromArchive(t *testing.T) {
	a := openSample(t)
	tests := []struct {
		name string
		m    *Member
		want string
	}{
		{"zero Member", &Member{}, `reconcile: member "" not obtained from an Archive (Members or First): nothing to open`},
		{"Member built by hand", &Member{Name: "INN15090588ZM_802310048993424", Kind: KindZM},
			`reconcile: member "INN15090588ZM_802310048993424" not obtained from an Archive (Members or First): nothing to open`},
		{"nil Member from First", a.First(KindZME), "reconcile: Open of a nil *Member (Archive.First found no member of its kind)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { _, err = tt.m.Open() })
			require.EqualError(t, err, tt.want)
		})
	}
	require.NotEmpty(t, readMember(t, a.First(KindZM)), "a member from the archive opens")
}

// TestMatchUnmatchableOrders: an order with an orderId longer than the ZM file's 32-byte field
// could never match; Match reports it as an *OrderError naming the order and the field, and
// leaves it out (it was reported missing at UnionPay). An orderId of 32 GBK bytes (16 Chinese
// characters, 48 UTF-8 bytes) still matches. Found in the hostile-input review (section 19).
func TestMatchUnmatchableOrders(t *testing.T) {
	long := "ORD" + strings.Repeat("9", 30) // 33 bytes
	chinese := strings.Repeat("订", 16)      // 32 GBK bytes
	tests := []struct {
		name  string
		order Order
		is    error
		want  string
	}{
		{"orderId of 33 bytes", Order{OrderID: long, Amount: 5, State: StateSucceeded}, ErrOrderIDTooLong,
			"reconcile: order 1 (" + long + "): orderId longer than the settlement file's 32 bytes: 33 bytes"},
		{"orderId of 17 Chinese characters", Order{OrderID: chinese + "订", Amount: 5, State: StatePending}, ErrOrderIDTooLong,
			"reconcile: order 1 (" + chinese + "订): orderId longer than the settlement file's 32 bytes: 34 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var results []Result
			var errs []error
			for res, err := range Match(recordsOf(), ordersOf(tt.order)) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				results = append(results, res)
			}
			require.Empty(t, results, "left out, not reported missing at UnionPay")
			require.Len(t, errs, 1)
			var oe *OrderError
			require.ErrorAs(t, errs[0], &oe)
			require.ErrorIs(t, errs[0], tt.is)
			require.Equal(t, tt.order.OrderID, oe.OrderID)
			require.EqualError(t, errs[0], tt.want)
		})
	}
	t.Run("32 GBK bytes match", func(t *testing.T) {
		var classes []Class
		for res, err := range Match(recordsOf(rec(1, chinese, 5, 0, "01")),
			ordersOf(Order{OrderID: chinese, Amount: 5, State: StateSucceeded})) {
			require.NoError(t, err)
			classes = append(classes, res.Class)
		}
		require.Equal(t, []Class{Matched}, classes)
	})
}

// TestMatchNegativeAmount: an order with a negative Amount (a ledger storing a refund as negative)
// is not refused: it pairs with its record by orderId and comes out as an AmountMismatch naming
// both amounts and saying the merchant's is negative, so UnionPay's refund is not classed
// unknown to the merchant. Without its record it is reported missing at UnionPay, and a failed
// one is not. Review of today's diff, finding 1.
func TestMatchNegativeAmount(t *testing.T) {
	collect := func(t *testing.T, records iter.Seq2[Record, error], orders ...Order) []Result {
		t.Helper()
		var results []Result
		for res, err := range Match(records, ordersOf(orders...)) {
			require.NoError(t, err)
			results = append(results, res)
		}
		return results
	}
	refund := Order{OrderID: "R20240104000001", Amount: -100, TxnType: "04", State: StateSucceeded}
	t.Run("with its record", func(t *testing.T) {
		results := collect(t, recordsOf(rec(1, refund.OrderID, 100, 0, "04")), refund)
		require.Len(t, results, 1)
		res := results[0]
		require.Equal(t, AmountMismatch, res.Class)
		require.Equal(t, refund.OrderID, res.Order.OrderID)
		require.Equal(t, int64(-100), res.Order.Amount)
		require.Equal(t, "txnAmt 100 at UnionPay, -100 at the merchant (the merchant's amount is negative: "+
			"txnAmt is never negative; store a refund as an order of its own with a positive amount)", res.Detail)
	})
	t.Run("positive mismatch says nothing of sign", func(t *testing.T) {
		o := refund
		o.Amount = 90
		results := collect(t, recordsOf(rec(1, o.OrderID, 100, 0, "04")), o)
		require.Len(t, results, 1)
		require.Equal(t, AmountMismatch, results[0].Class)
		require.Equal(t, "txnAmt 100 at UnionPay, 90 at the merchant", results[0].Detail)
	})
	t.Run("without its record", func(t *testing.T) {
		failed := Order{OrderID: "R20240104000002", Amount: -1, State: StateFailed}
		results := collect(t, recordsOf(), refund, failed)
		require.Len(t, results, 1)
		require.Equal(t, MissingAtUnionPay, results[0].Class)
		require.Equal(t, refund.OrderID, results[0].Order.OrderID)
	})
}
