package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/goacp/unionpay/reconcile"
)

// FuzzSummaryBySubMer feeds the -summary -by submer writer ZM records whose merId, subMerId and
// subMerAbbr come from the input ("merId,subMerId,abbr" lines; a ZM text field makes no error,
// so any bytes may reach it): the same records give the same output, byte for byte, however
// the writer's map orders them (two subMerIds may show alike once escaped: \x01 and "\\x01");
// the JSON is one object whose sub-merchants' records add up to the file's; the CSV is a header, a row per sub-merchant and
// the total.
func FuzzSummaryBySubMer(f *testing.F) {
	for _, s := range []string{"777290058110048,898111148990268,龙井茶叶\n777290058110048,000000000000000,\n",
		"777290058110048,898111148990268,=cmd\n777290058110049,898111148990268,x\n777290058110048,,y",
		"a,\x01,\na,\\x01,\n", "m,s,\u202e\nm,s,abbr\n", ""} {
		f.Add(s)
	}
	base := testRecords(ordersDay)[0]
	f.Fuzz(func(t *testing.T, s string) {
		var recs []reconcile.Record
		for i, line := range strings.Split(s, "\n") {
			parts := strings.SplitN(line, ",", 3)
			for len(parts) < 3 {
				parts = append(parts, "")
			}
			r := base
			r.MerID, r.SubMerID, r.SubMerAbbr = parts[0], parts[1], parts[2]
			r.TxnAmt, r.SettleAmt, r.NetSettleAmt = int64(100+i), int64(100+i), int64(100+i)
			recs = append(recs, r)
		}
		run := func(format string) string {
			var out bytes.Buffer
			w := newRecordWriter(&out, format, true)
			w.bySub = map[subKey]*subTally{}
			var tally reconcile.Tally
			for i := range recs {
				if err := w.zm(&recs[i]); err != nil {
					t.Fatal(err)
				}
				tally.Add(&recs[i])
			}
			if err := w.finish(&tally, true); err != nil {
				t.Fatalf("%q: %v", s, err)
			}
			return out.String()
		}
		js := run("json")
		for range 20 { // a small map gives the same order often
			if again := run("json"); again != js {
				t.Fatalf("%q: the same records give\n%s\nthen\n%s", s, js, again)
			}
		}
		var got struct {
			Records      int64
			SubMerchants []struct {
				MerID    string `json:"merId"`
				SubMerID string `json:"subMerId"`
				Records  int64
			}
		}
		dec := json.NewDecoder(strings.NewReader(js))
		if err := dec.Decode(&got); err != nil || dec.More() {
			t.Fatalf("%q: not one JSON object (%v): %s", s, err, js)
		}
		var n int64
		for _, sub := range got.SubMerchants {
			n += sub.Records
		}
		if n != got.Records || n != int64(len(recs)) {
			t.Fatalf("%q: %d records, the sub-merchants' %d: %s", s, got.Records, n, js)
		}
		rows, err := csv.NewReader(strings.NewReader(run("csv"))).ReadAll()
		if err != nil || len(rows) != len(got.SubMerchants)+2 {
			t.Fatalf("%q: CSV of %d rows (%v), want %d", s, len(rows), err, len(got.SubMerchants)+2)
		}
	})
}
