package reconcile_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestReferenceCoverage: the files TestReferenceZM and TestReferenceZME compare (the same seeds,
// fewer lines) hold records and errors of many kinds, the ZME error of the bug the reference
// found among them, so that the differential tests cannot pass by comparing nothing (a generator
// that wrote only line ends passed them, "60013 lines compared"; found by a review).
func TestReferenceCoverage(t *testing.T) {
	for _, tc := range []struct {
		name  string
		zm    bool
		seed  uint64
		lines int
	}{{"ZM", true, 1, 6_000}, {"ZME", false, 2, 3_000}} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(tc.seed, 1))
			layout := refZME
			if tc.zm {
				layout = refZM
			}
			records, errs, nLines := 0, 0, 0
			kinds := map[string]int{}
			for nLines < tc.lines {
				data, settle := refFile(r, layout, tc.zm, 1+r.IntN(200))
				r.IntN(10) // as refRun draws its reader
				nLines += len(refLines(data))
				count := func(bad bool, field string) {
					if bad {
						errs++
						kinds[field]++
					} else {
						records++
					}
				}
				if tc.zm {
					for _, it := range refParse(data, refParseZM(settle)) {
						if it.err != nil {
							count(true, it.err.field)
						} else {
							count(false, "")
						}
					}
				} else {
					for _, it := range refParse(data, refParseZME(settle)) {
						if it.err != nil {
							count(true, it.err.field)
						} else {
							count(false, "")
						}
					}
				}
			}
			total := records + errs
			assert.Greater(t, total, tc.lines/2, "items compared")
			assert.Greater(t, records, total/4, "good records among them")
			assert.Greater(t, errs, total/10, "bad lines among them")
			assert.Greater(t, len(kinds), 10, "kinds of fault")
			if !tc.zm {
				assert.Positive(t, kinds["reserved"], "the separator before ZME's reserved field")
			}
		})
	}
}
