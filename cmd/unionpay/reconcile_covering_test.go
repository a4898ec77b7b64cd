package main

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReconcileOrdersCovering: the -orders report names the settle date (the -settle-date given,
// or the member's name's) and the merId (-merid, or the file's one merchant) it covers: first in
// the JSON object, in two last columns of every CSV row.
func TestReconcileOrdersCovering(t *testing.T) {
	cases := []struct {
		name     string
		file     dayFile
		args     []string
		wantJSON string // the start of the JSON report
		wantMer  string // the mer_id column
	}{
		{"the zip of one merchant", dayFile{}, nil, `{"settle_date":"20261125","mer_id":"777290058110048","results":[`, shopMerID},
		{"a group's zip and -merid", dayFile{records: groupRecords(), noRD: true}, []string{"-merid", otherMerID},
			`{"settle_date":"20261125","mer_id":"777290058110049","results":[`, otherMerID},
		{"a bare member dated by its name", dayFile{bareName: "INN26112588ZM_777290058110048"}, nil,
			`{"settle_date":"20261125","mer_id":"777290058110048","results":[`, shopMerID},
		{"a bare member dated by -settle-date", dayFile{bareName: "zm.txt"}, []string{"-settle-date", "20261125"},
			`{"settle_date":"20261125","mer_id":"777290058110048","results":[`, shopMerID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := c.file.write(t, dir)
			orders := writeTestFile(t, dir, "orders.csv", []byte(ordersOK))
			args := append(append([]string{"reconcile"}, c.args...), "-orders", orders, path)
			r := runCLI(t, "", args...)
			require.Contains(t, []int{exitOK, exitDiscrepancies}, r.code, r.stderr)
			assert.True(t, strings.HasPrefix(r.stdout, c.wantJSON), r.stdout)

			r = runCLI(t, "", append(append([]string{"reconcile", "-format", "csv"}, c.args...), "-orders", orders, path)...)
			require.Contains(t, []int{exitOK, exitDiscrepancies}, r.code, r.stderr)
			rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
			require.NoError(t, err)
			n := len(rows[0])
			assert.Equal(t, []string{"settle_date", "mer_id"}, rows[0][n-2:])
			for _, row := range rows[1:] {
				assert.Equal(t, []string{"20261125", c.wantMer}, row[n-2:], "%v", row)
			}
		})
	}
}

// TestReconcileOrdersReportEscapes: a settlement file's orderId holding a tab, DEL or ESC reaches
// both -orders reports escaped as reconcile.CSVText escapes it (\t, \x7f, \x1b), the same text
// in CSV and JSON, each CSV row one line: the CLI follows the library's rule (its own printable
// kept tabs).
func TestReconcileOrdersReportEscapes(t *testing.T) {
	recs := testRecords(ordersDay)
	recs[0].OrderID = "SHOP\t0001"
	recs[1].OrderID = "SHOP\x7f\x1b02"
	dir := t.TempDir()
	zipPath := dayFile{records: recs}.write(t, dir)
	orders := writeTestFile(t, dir, "orders.csv", []byte(ordersOK))

	r := runCLI(t, "", "reconcile", "-format", "csv", "-orders", orders, zipPath)
	require.Equal(t, exitDiscrepancies, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rows, strings.Count(r.stdout, "\n"), "one line per row:\n%s", r.stdout)
	assert.Contains(t, r.stdout, `,SHOP\t0001,`)
	assert.Contains(t, r.stdout, `,SHOP\x7f\x1b02,`)
	assert.NotContains(t, r.stdout, "\t")

	r = runCLI(t, "", "reconcile", "-orders", orders, zipPath)
	require.Equal(t, exitDiscrepancies, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"order_id":"SHOP\\t0001"`, "as the CSV report writes it")
	assert.Contains(t, r.stdout, `"order_id":"SHOP\\x7f\\x1b02"`)
	assert.NotContains(t, r.stdout, "\x7f")
}
