package reconcile

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReportUnmarshalJSONReadBack: what UnmarshalJSON accepts, MarshalJSON writes again as it was
// read. An error's text holding a control or a bidirectional override (JSON written by hand, or
// by another tool) comes back escaped as the reports escape text, as MarshalJSON would write it,
// so that neither Error nor a second round trip changes it; a negative line, which MarshalJSON
// could not write back, is refused as a negative count is; and JSON null with white space around
// it, called directly, changes nothing, as it does through json.Unmarshal.
func TestReportUnmarshalJSONReadBack(t *testing.T) {
	t.Parallel()
	var rep Report
	require.NoError(t, rep.UnmarshalJSON([]byte(`{"error_count":2,"errors":[{"line":7,"message":"a\u001b[2J\u202eb"},{"message":"\\x1b\tc"}]}`)))
	require.Len(t, rep.Errors, 2)
	assert.Equal(t, `a\x1b[2J\u202eb`, rep.Errors[0].Error())
	assert.Equal(t, `\x1b\tc`, rep.Errors[1].Error())
	out, err := json.Marshal(&rep)
	require.NoError(t, err)
	var back Report
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, rep, back)

	before := *jsonTestReport()
	for _, in := range []string{`{"error_count":1,"errors":[{"line":-3,"message":"y"}]}`, " null\n"} {
		rep := jsonTestReport()
		err := rep.UnmarshalJSON([]byte(in))
		if in[0] == '{' {
			require.Error(t, err, in)
			assert.Contains(t, err.Error(), "errors[0].line: -3 is negative")
		} else {
			require.NoError(t, err, in)
		}
		assert.Equal(t, before, *rep, "%q changed the report", in)
	}
}

// TestReportUnmarshalJSONKeepsFirstErrors: JSON listing more errors than a Report keeps (JSON
// written by another program) is read as AddError reads them: the first 100 kept, ErrorCount
// counting them all.
func TestReportUnmarshalJSONKeepsFirstErrors(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"totals":[],"error_count":10000,"errors":[`)
	for i := range 10000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"line":%d,"message":"bad line %d"}`, i+1, i+1)
	}
	b.WriteString(`]}`)
	var rep Report
	require.NoError(t, json.Unmarshal([]byte(b.String()), &rep))
	assert.Equal(t, 10000, rep.ErrorCount)
	require.Len(t, rep.Errors, maxReportErrors)
	assert.Equal(t, "bad line 1", rep.Errors[0].Error())
	assert.Equal(t, "bad line 100", rep.Errors[maxReportErrors-1].Error())
}
