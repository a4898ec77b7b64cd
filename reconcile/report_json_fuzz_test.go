package reconcile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzReportUnmarshalJSON: Report.UnmarshalJSON never panics, whatever the bytes, called directly
// or through json.Unmarshal; JSON null changes nothing; a report it accepts marshals (MarshalJSON) to JSON that reads back
// into an equal Report, and marshals again byte for byte; one it refuses leaves the Report as it
// was.
func FuzzReportUnmarshalJSON(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("testdata", "report.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{string(golden), "null", " null ", "{}", "[]", `""`, "",
		`{"totals":[{"class":"matched","count":1,"amount_fen":100,"fee_fen":-1,"net_fen":99,"order_amount_fen":100}],"error_count":2,"errors":[{"line":7,"message":"x"},{"message":"\u001b[2J\\x1b"}]}`,
		`{"totals":[{"class":"duplicate"},{"class":"duplicate"}]}`,
		`{"error_count":1,"errors":[{"line":-3,"message":"y"}]}`,
		`{"error_count":1,"errors":[{"line":0,"message":"a\tb\u202e\\"}]}`,
		`{"err":"reconcile: totals overflow: Report: the totals are wrong from result 12 on (a sum past int64 fen)"}`,
		`{"err":"reconcile: totals overflow: Report: the totals are wrong from result 012 on (a sum past int64 fen)"}`,
		`{"totals":[{"class":"matched","count":9223372036854775807,"amount_fen":-9223372036854775808}],"error_count":-1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		isNull := json.Unmarshal(data, &v) == nil && v == nil // JSON null, which changes nothing
		for _, viaJSON := range []bool{false, true} {
			unmarshal := func(r *Report) error {
				if viaJSON {
					return json.Unmarshal(data, r)
				}
				return r.UnmarshalJSON(data)
			}
			rep := jsonTestReport()
			before := *rep
			if err := unmarshal(rep); (err != nil || isNull) && !reflect.DeepEqual(*rep, before) {
				t.Fatalf("json %v: %q refused (%v) or null, and the report changed: %+v", viaJSON, data, err, *rep)
			}

			var read Report
			if unmarshal(&read) != nil {
				continue
			}
			out, err := json.Marshal(&read)
			if err != nil {
				t.Fatalf("json %v: %q read, then MarshalJSON: %v", viaJSON, data, err)
			}
			var back Report
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatalf("json %v: %q read, marshalled to %s, which does not read back: %v", viaJSON, data, out, err)
			}
			if !reflect.DeepEqual(back, read) {
				t.Fatalf("json %v: %q read as %+v, marshalled to %s, read back as %+v", viaJSON, data, read, out, back)
			}
			again, err := json.Marshal(&back)
			if err != nil || string(again) != string(out) {
				t.Fatalf("json %v: %s read back and marshalled again: %s, %v", viaJSON, out, again, err)
			}
		}
	})
}
