package reconcile

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCoveringJSON: Covering starts WriteJSON's object with the settle date (YYYYMMDD, the
// date's own year, month and day) and the merId, each left out when not known; without it the
// object starts as before.
func TestCoveringJSON(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, Beijing())
	cases := []struct {
		name string
		opts []ReportOption
		want string // the object's start, up to "results"
	}{
		{"both", []ReportOption{Covering(day, "802310048993424")},
			`{"settle_date":"20261125","mer_id":"802310048993424","results":[`},
		{"the date's own day, not Beijing's", []ReportOption{Covering(time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC), "M1")},
			`{"settle_date":"20261125","mer_id":"M1","results":[`},
		{"no merId", []ReportOption{Covering(day, "")}, `{"settle_date":"20261125","results":[`},
		{"no date", []ReportOption{Covering(time.Time{}, "M1")}, `{"mer_id":"M1","results":[`},
		{"neither", []ReportOption{Covering(time.Time{}, "")}, `{"results":[`},
		{"without Covering", nil, `{"results":[`},
		{"a merId with ESC escaped", []ReportOption{Covering(day, "M\x1b[2J")},
			`{"settle_date":"20261125","mer_id":"M\\x1b[2J","results":[`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			records, orders := matchFixture()
			var buf bytes.Buffer
			_, err := WriteJSON(&buf, Match(records, orders), c.opts...)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(buf.String(), c.want), "%s", buf.String())
			var parsed map[string]any
			require.NoError(t, json.Unmarshal(buf.Bytes(), &parsed), "one valid JSON object")
			assert.Contains(t, parsed, "totals")
		})
	}
}

// TestCoveringCSV: Covering adds the columns settle_date and mer_id after the others, filled on
// every row, the merId written through CSVText; without it the header is csvHeader alone.
func TestCoveringCSV(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, Beijing())
	cases := []struct {
		name      string
		opts      []ReportOption
		date, mer string // the columns' values; "-" for no such column
	}{
		{"both", []ReportOption{Covering(day, "802310048993424")}, "20261125", "802310048993424"},
		{"neither known: the columns, empty", []ReportOption{Covering(time.Time{}, "")}, "", ""},
		{"a merId that is a formula", []ReportOption{Covering(day, "=1+1\x1b")}, "20261125", `'=1+1\x1b`},
		{"without Covering", nil, "-", "-"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			records, orders := matchFixture()
			var buf bytes.Buffer
			_, err := WriteCSV(&buf, Match(records, orders), append(c.opts, IncludeMatched())...)
			require.NoError(t, err)
			rows, err := csv.NewReader(&buf).ReadAll()
			require.NoError(t, err, "every row as wide as the header")
			header := rows[0]
			if c.date == "-" {
				assert.Equal(t, csvHeader, header)
				return
			}
			assert.Equal(t, append(append([]string{}, csvHeader...), "settle_date", "mer_id"), header)
			kinds := map[string]int{}
			for _, row := range rows[1:] {
				kinds[row[0]]++
				assert.Equal(t, []string{c.date, c.mer}, row[len(csvHeader):], "%v", row)
			}
			assert.Equal(t, map[string]int{"result": 8, "error": 2, "total": len(Classes())}, kinds)
		})
	}
}

// TestCoveringCSVPastTheListedErrors: the row saying how many data errors were not listed
// carries the settle date and merId too, as wide as the header.
func TestCoveringCSVPastTheListedErrors(t *testing.T) {
	t.Parallel()
	results := func(yield func(Result, error) bool) {
		for i := range maxReportErrors + 5 {
			if !yield(Result{}, &LineError{Line: i + 1, Err: errDigits}) {
				return
			}
		}
	}
	var buf bytes.Buffer
	_, err := WriteCSV(&buf, results, Covering(time.Date(2026, 11, 25, 0, 0, 0, 0, Beijing()), "802310048993424"))
	require.NoError(t, err)
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err, "every row as wide as the header")
	var unlisted []string
	for _, row := range rows {
		if strings.Contains(row[14], "more data errors, not listed") {
			unlisted = row
		}
	}
	require.NotNil(t, unlisted, "the count of unlisted errors")
	assert.Equal(t, []string{"20261125", "802310048993424"}, unlisted[len(csvHeader):])
}
