package reconcile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func recordsOf(items ...any) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for _, it := range items {
			var ok bool
			switch v := it.(type) {
			case Record:
				ok = yield(v, nil)
			case error:
				ok = yield(Record{}, v)
			}
			if !ok {
				return
			}
		}
	}
}

func ordersOf(orders ...Order) iter.Seq2[Order, error] { return Orders(orders) }

// Orders yields a slice's orders in order with no error, and stops when asked to.
func TestOrders(t *testing.T) {
	t.Parallel()
	orders := []Order{{OrderID: "A"}, {OrderID: "B"}, {OrderID: "C"}}
	for _, tt := range []struct {
		name   string
		orders []Order
		stop   int // stop after this many; 0: never
		want   []string
	}{
		{"nil", nil, 0, nil},
		{"all", orders, 0, []string{"A", "B", "C"}},
		{"stopped", orders, 2, []string{"A", "B"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for o, err := range Orders(tt.orders) {
				require.NoError(t, err)
				got = append(got, o.OrderID)
				if len(got) == tt.stop {
					break
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// ParseState reads what State.String writes but "unset", which, like any other word (a query's
// "not found" among them), is an error matching ErrNoState.
func TestParseState(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want State
	}{
		{"succeeded", StateSucceeded},
		{"pending", StatePending},
		{"failed", StateFailed},
		{"unset", StateUnset},
		{"not found", StateUnset},
		{"", StateUnset},
		{"Succeeded", StateUnset},
		{" failed", StateUnset},
	} {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseState(tt.in)
			assert.Equal(t, tt.want, got)
			if tt.want == StateUnset {
				require.ErrorIs(t, err, ErrNoState)
				assert.Equal(t, fmt.Sprintf("reconcile: state %q is not succeeded, pending or failed", tt.in), err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.in, got.String(), "String's inverse")
		})
	}
}

func rec(line int, orderID string, amt, fee int64, txnType string) Record {
	return Record{Line: line, OrderID: orderID, QueryID: "Q" + orderID, TxnType: txnType, TxnAmt: amt,
		MerchantFee: fee, SettleAmt: amt + fee, TxnTime: beijingTime(2025, 12, 30, 10, 0, line)}
}

func matchFixture() (iter.Seq2[Record, error], iter.Seq2[Order, error]) {
	t0 := beijingTime(2025, 12, 30, 9, 59, 0)
	records := recordsOf(
		rec(1, "A", 10000, -60, "01"),
		rec(2, "B", 20000, -120, "01"),
		rec(3, "C", 30000, -180, "01"),
		&LineError{Line: 4, Field: "txnAmt", Offset: 66, Err: errDigits},
		rec(5, "D", 5000, 30, "04"),
		rec(6, "E", 7000, -42, "01"),
		rec(7, "A", 10000, -60, "01"),
		rec(8, "F", 100, 0, "01"),
	)
	orders := ordersOf(
		Order{State: StateSucceeded, OrderID: "A", TxnTime: t0, Amount: 10000, TxnType: "01"},
		Order{State: StateSucceeded, OrderID: "B", TxnTime: t0, Amount: 19000, TxnType: "01"},
		Order{OrderID: "C", TxnTime: t0, Amount: 30000, State: StatePending},
		Order{State: StateSucceeded, OrderID: "D", TxnTime: t0, Amount: 5000, TxnType: "01"},
		Order{State: StateSucceeded, OrderID: "G", TxnTime: t0, Amount: 800},
		Order{OrderID: "H", TxnTime: t0, Amount: 900, State: StateFailed},
		Order{State: StateSucceeded, OrderID: "G", TxnTime: t0, Amount: 1},
		Order{OrderID: "E", TxnTime: t0, Amount: 7000, State: StatePending},
	)
	return records, orders
}

func TestMatchClasses(t *testing.T) {
	records, orders := matchFixture()
	var got []string
	var errs []error
	rep := &Report{}
	for res, err := range Match(records, orders) {
		if err != nil {
			errs = append(errs, err)
			rep.AddError(err)
			continue
		}
		rep.Add(res)
		got = append(got, res.Order.OrderID+res.Record.OrderID+":"+res.Class.String()+":"+res.Detail)
	}
	assert.Equal(t, []string{
		"AA:matched:",
		"BB:amount_mismatch:txnAmt 20000 at UnionPay, 19000 at the merchant",
		"CC:state_mismatch:settled at UnionPay, pending at the merchant",
		"DD:state_mismatch:txnType 04 at UnionPay, 01 at the merchant",
		"EE:state_mismatch:settled at UnionPay, pending at the merchant",
		"AA:duplicate:orderId appears more than once in the file",
		"F:unknown_to_merchant:",
		"G:missing_at_unionpay:",
	}, got)
	require.Len(t, errs, 2)
	var oe *OrderError
	require.ErrorAs(t, errs[0], &oe)
	assert.Equal(t, 6, oe.Index)
	assert.ErrorIs(t, errs[0], ErrDuplicateOrder)
	assert.ErrorIs(t, errs[1], ErrMalformed)

	assert.Equal(t, Totals{Count: 1, Amount: 10000, Fees: -60, Net: 9940, OrderAmount: 10000}, rep.Totals[Matched])
	assert.Equal(t, Totals{Count: 3, Amount: 42000, Fees: -192, Net: 41808, OrderAmount: 42000}, rep.Totals[StateMismatch])
	assert.Equal(t, Totals{Count: 1, OrderAmount: 800}, rep.Totals[MissingAtUnionPay])
	assert.Equal(t, Totals{Count: 1, Amount: 100, Net: 100}, rep.Totals[UnknownToMerchant])
	assert.Equal(t, int64(7), rep.Discrepancies())
}

func TestMatchStops(t *testing.T) {
	records, orders := matchFixture()
	n := 0
	for range Match(records, orders) {
		if n++; n == 3 {
			break
		}
	}
	assert.Equal(t, 3, n)
	n = 0
	for _, err := range Match(records, orders) {
		n++
		if err != nil {
			break
		}
	}
	assert.Equal(t, 1, n, "orders are read first: the duplicate-order error comes before any result")
}

const wantCSV = `row,class,count,line,order_id,query_id,orig_query_id,txn_type,txn_time,amount_fen,fee_fen,net_fen,order_amount_fen,order_state,detail,sub_mer_id
result,amount_mismatch,1,2,B,QB,,01,2025-12-30T10:00:02+08:00,20000,-120,19880,19000,succeeded,"txnAmt 20000 at UnionPay, 19000 at the merchant",
result,state_mismatch,1,3,C,QC,,01,2025-12-30T10:00:03+08:00,30000,-180,29820,30000,pending,"settled at UnionPay, pending at the merchant",
error,,,4,,,,,,,,,,,"reconcile: line 4, field txnAmt (offset 66): not all digits",
result,state_mismatch,1,5,D,QD,,04,2025-12-30T10:00:05+08:00,5000,30,5030,5000,succeeded,"txnType 04 at UnionPay, 01 at the merchant",
result,state_mismatch,1,6,E,QE,,01,2025-12-30T10:00:06+08:00,7000,-42,6958,7000,pending,"settled at UnionPay, pending at the merchant",
result,duplicate,1,7,A,QA,,01,2025-12-30T10:00:07+08:00,10000,-60,9940,10000,succeeded,orderId appears more than once in the file,
result,unknown_to_merchant,1,8,F,QF,,01,2025-12-30T10:00:08+08:00,100,0,100,,,,
result,missing_at_unionpay,1,,G,,,,2025-12-30T09:59:00+08:00,,,,800,succeeded,,
total,matched,1,,,,,,,10000,-60,9940,10000,,,
total,unknown_to_merchant,1,,,,,,,100,0,100,0,,,
total,missing_at_unionpay,1,,,,,,,0,0,0,800,,,
total,amount_mismatch,1,,,,,,,20000,-120,19880,19000,,,
total,state_mismatch,3,,,,,,,42000,-192,41808,42000,,,
total,duplicate,1,,,,,,,10000,-60,9940,0,,,
`

func TestWriteCSV(t *testing.T) {
	records, orders := matchFixture()
	var buf bytes.Buffer
	rep, err := WriteCSV(&buf, Match(records, orders))
	require.NoError(t, err)
	// The duplicate-order error comes first, before any record: it has no line.
	lines := strings.SplitAfter(buf.String(), "\n")
	assert.Equal(t, `error,,,,,,,,,,,,,,reconcile: order 7 (G): duplicate orderId,`+"\n", lines[1])
	assert.Equal(t, wantCSV, lines[0]+strings.Join(lines[2:], ""))
	assert.Equal(t, 2, rep.ErrorCount)
}

func TestWriteJSON(t *testing.T) {
	records, orders := matchFixture()
	var buf bytes.Buffer
	_, err := WriteJSON(&buf, Match(records, orders), IncludeMatched())
	require.NoError(t, err)
	out := buf.String()
	var parsed struct {
		Results    []map[string]any `json:"results"`
		Totals     []map[string]any `json:"totals"`
		ErrorCount int              `json:"error_count"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &parsed), "the report is one valid JSON object")
	assert.Len(t, parsed.Results, 8)
	assert.Len(t, parsed.Totals, 6)
	assert.Equal(t, 2, parsed.ErrorCount)
	assert.True(t, strings.HasPrefix(out, `{"results":[{"class":"matched","line":1,"order_id":"A","query_id":"QA",`+
		`"txn_type":"01","txn_time":"2025-12-30T10:00:01+08:00","amount_fen":10000,"fee_fen":-60,"net_fen":9940,`+
		`"order_amount_fen":10000,"order_state":"succeeded"},`), out)
	assert.Contains(t, out, `{"class":"missing_at_unionpay","order_id":"G","txn_time":"2025-12-30T09:59:00+08:00",`+
		`"order_amount_fen":800,"order_state":"succeeded"}],"totals":[{"class":"matched","count":1,"amount_fen":10000,`)
	assert.True(t, strings.HasSuffix(out, `"error_count":2,"errors":[{"message":"reconcile: order 7 (G): duplicate orderId"},`+
		`{"line":4,"message":"reconcile: line 4, field txnAmt (offset 66): not all digits"}]}`+"\n"), out)
}

func TestReportStopsOnReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := WriteCSV(&bytes.Buffer{}, Match(recordsOf(rec(1, "A", 1, 0, "01"), boom), ordersOf()))
	assert.ErrorIs(t, err, boom)
	_, err = WriteJSON(&bytes.Buffer{}, Match(recordsOf(boom), ordersOf()))
	assert.ErrorIs(t, err, boom)
}

func TestMatchEmptyOrderID(t *testing.T) {
	var errs []error
	for _, err := range Match(recordsOf(), ordersOf(Order{Amount: 1})) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrNoOrderID)
	assert.True(t, slices.Equal(Classes(), []Class{0, 1, 2, 3, 4, 5}))
	assert.Equal(t, "Class(9)", Class(9).String())
	assert.Equal(t, "State(9)", State(9).String())
}

// TestMatchUnsetState: an order whose State was never filled in is refused (ErrNoState) and left
// out, so that a payment the merchant never recorded as paid does not pass for matched. Found in
// the fourth session's usability review: the zero State was StateSucceeded.
func TestMatchUnsetState(t *testing.T) {
	var results []Result
	var errs []error
	orders := ordersOf(Order{OrderID: "A", Amount: 100}, Order{OrderID: "B", Amount: 5, State: State(7)},
		Order{OrderID: "C", Amount: 100, State: StateSucceeded})
	for res, err := range Match(recordsOf(rec(1, "A", 100, 0, "01"), rec(2, "C", 100, 0, "01")), orders) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		results = append(results, res)
	}
	require.Len(t, errs, 2)
	for i, id := range []string{"A", "B"} {
		var oe *OrderError
		require.ErrorAs(t, errs[i], &oe)
		assert.ErrorIs(t, errs[i], ErrNoState)
		assert.Equal(t, id, oe.OrderID)
		assert.Equal(t, "reconcile: order "+strconv.Itoa(i+1)+" ("+id+"): order state not set: set Order.State to "+
			"StateSucceeded, StatePending or StateFailed (StatePending until the outcome is final)", errs[i].Error(),
			"the error says what to do")
	}
	require.Len(t, results, 2)
	assert.Equal(t, UnknownToMerchant, results[0].Class, "A's order was refused")
	assert.Equal(t, Matched, results[1].Class)
	assert.Equal(t, "unset", StateUnset.String())
}

// An error the records yield is passed on even when the sequence yields a record with it (one
// that would match the next order): the record is not matched, and its order is reported missing
// at UnionPay.
func TestMatchRecordErrorWithRecord(t *testing.T) {
	t.Parallel()
	errRead := errors.New("records source failed")
	orders := []Order{
		{OrderID: "A", Amount: 100, State: StateSucceeded},
		{OrderID: "B", Amount: 200, State: StateSucceeded},
	}
	for _, tt := range []struct {
		name    string
		records []Record // the one at index bad comes with errRead
		bad     int
		want    []Class // per Result; -1 for the error
	}{
		{"first record", []Record{{OrderID: "A", TxnAmt: 100}, {OrderID: "B", TxnAmt: 200}}, 0,
			[]Class{-1, Matched, MissingAtUnionPay}},
		{"after a waiting record", []Record{{OrderID: "X", TxnAmt: 1}, {OrderID: "A", TxnAmt: 100}, {OrderID: "B", TxnAmt: 200}}, 1,
			[]Class{UnknownToMerchant, -1, Matched, MissingAtUnionPay}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			records := func(yield func(Record, error) bool) {
				for i, r := range tt.records {
					var err error
					if i == tt.bad {
						err = errRead
					}
					if !yield(r, err) {
						return
					}
				}
			}
			var got []Class
			for res, err := range Match(records, Orders(orders)) {
				if err != nil {
					require.ErrorIs(t, err, errRead)
					got = append(got, -1)
					continue
				}
				got = append(got, res.Class)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestMatchMissingNearCutoff: an order missing from the file whose txnTime is in the quarter
// hour before 23:00 (Beijing time) says it may be in the next settle day's file; one earlier,
// at 23:00 or after, or without txnTime, says nothing of it (the order being pending, its Detail
// says that alone, and comes first when both are said). Suggested by an on-call review, which
// showed a refund of txnTime 22:59:50 sent at 23:00:05 in the next day's file.
func TestMatchMissingNearCutoff(t *testing.T) {
	day := func(h, m, s int) time.Time { return time.Date(2026, 11, 25, h, m, s, 0, Beijing()) }
	tests := []struct {
		name string
		at   time.Time
		near bool
	}{
		{"22:59:50", day(22, 59, 50), true},
		{"22:45:00", day(22, 45, 0), true},
		{"22:44:59", day(22, 44, 59), false},
		{"23:00:00", day(23, 0, 0), false},
		{"10:00:00", day(10, 0, 0), false},
		{"22:50 given in UTC", day(22, 50, 0).UTC(), true},
		{"no txnTime", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orders := Orders([]Order{{OrderID: "R1", TxnTime: tt.at, Amount: 100, TxnType: "04", State: StatePending}})
			var got []Result
			for res, err := range Match(func(func(Record, error) bool) {}, orders) {
				require.NoError(t, err)
				got = append(got, res)
			}
			require.Len(t, got, 1)
			assert.Equal(t, MissingAtUnionPay, got[0].Class)
			assert.Equal(t, tt.near, got[0].NearCutoff)
			if tt.near {
				assert.Contains(t, got[0].Detail, "next settle day's file")
				assert.Contains(t, got[0].Detail, "txnTime "+tt.at.In(Beijing()).Format("15:04:05"))
				assert.True(t, strings.HasPrefix(got[0].Detail, pendingMissing+"; "), "%q", got[0].Detail)
			} else {
				assert.Equal(t, pendingMissing, got[0].Detail)
			}
		})
	}
}
