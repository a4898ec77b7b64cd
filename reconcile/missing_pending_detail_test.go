package reconcile

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMissingPendingDetail: an order still pending at the merchant and absent from the file is
// MissingAtUnionPay with a Detail telling the reader what to do (query it; the next settle day's
// file may hold it), where its Detail used to be empty and only its state said it was not
// known. Near the cutoff both notes are given; a pending pre-authorisation keeps its own
// (files need not list it, so the next day's file decides nothing); a succeeded order keeps an
// empty Detail. The CSV and JSON reports carry the Detail as the Result has it.
func TestMissingPendingDetail(t *testing.T) {
	t.Parallel()
	noon := time.Date(2026, 11, 25, 12, 0, 0, 0, Beijing())
	late := time.Date(2026, 11, 25, 22, 50, 0, 0, Beijing())
	const pending = "pending at the merchant and not in this file: query it"
	for _, tc := range []struct {
		name    string
		order   Order
		want    []string // in Detail, in this order
		notWant string   // not in Detail
	}{
		{"pending", Order{OrderID: "PEND0001", TxnTime: noon, Amount: 100, TxnType: "01", State: StatePending},
			[]string{pending, "the next settle day's file may hold it"}, "23:00"},
		{"pending near the cutoff", Order{OrderID: "PEND0002", TxnTime: late, Amount: 100, TxnType: "01", State: StatePending},
			[]string{pending, "; txnTime 22:50:00 is within 15 minutes before 23:00"}, ""},
		{"pending hold", Order{OrderID: "HOLD0003", TxnTime: noon, Amount: 50000, TxnType: "02", State: StatePending},
			[]string{"moves no money"}, pending},
		{"succeeded", Order{OrderID: "PAY00001", TxnTime: noon, Amount: 100, TxnType: "01", State: StateSucceeded},
			nil, "pending"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []Result
			for res, err := range Match(recordsOf(), ordersOf(tc.order)) {
				require.NoError(t, err)
				got = append(got, res)
			}
			require.Len(t, got, 1)
			assert.Equal(t, MissingAtUnionPay, got[0].Class)
			d := got[0].Detail
			if tc.want == nil {
				assert.Empty(t, d)
			}
			at := 0
			for _, w := range tc.want {
				i := strings.Index(d[at:], w)
				require.GreaterOrEqual(t, i, 0, "%q not in %q after byte %d", w, d, at)
				at += i + len(w)
			}
			if tc.notWant != "" {
				assert.NotContains(t, d, tc.notWant)
			}

			one := func(yield func(Result, error) bool) { yield(got[0], nil) }
			var csvOut, jsonOut bytes.Buffer
			_, err := WriteCSV(&csvOut, one)
			require.NoError(t, err)
			_, err = WriteJSON(&jsonOut, one)
			require.NoError(t, err)
			if d != "" {
				assert.Contains(t, csvOut.String(), d, "CSV detail")
			}
			var j struct {
				Results []struct {
					Detail string `json:"detail"`
				} `json:"results"`
			}
			require.NoError(t, json.Unmarshal(jsonOut.Bytes(), &j), jsonOut.String())
			require.Len(t, j.Results, 1, jsonOut.String())
			assert.Equal(t, d, j.Results[0].Detail, "JSON detail")
		})
	}
}
