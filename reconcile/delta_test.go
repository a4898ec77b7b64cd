package reconcile

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDeltaSeparators breaks, in turn, every separator of a line that follows
// a valid one (so the delta sees it changed) and checks that streaming reports
// the same error as parsing the line alone, in both layouts, and that the
// line after it parses again.
func TestDeltaSeparators(t *testing.T) {
	var buf bytes.Buffer
	writeZM(&testing.B{}, &buf, 3)
	lines := bytes.Split(bytes.TrimSuffix(buf.Bytes(), []byte("\r\n")), []byte("\r\n"))
	v3 := make([][]byte, len(lines))
	for i, l := range lines {
		v3[i] = append(append([]byte(nil), l[:zmV3Start]...), "C000000000100 05 1 123456789012 "+strings.Repeat(" ", 66)...)
	}
	for name, set := range map[string][][]byte{"v2": lines, "v3": v3} {
		seps := fieldSet(zmSepV2)
		if name == "v3" {
			seps = zmSepV3
		}
		for i := range zmLayout {
			if !seps.has(i) {
				continue
			}
			f := zmLayout[i]
			t.Run(fmt.Sprintf("%s/%s@%d", name, f.name, f.off-1), func(t *testing.T) {
				bad := append([]byte(nil), set[1]...)
				bad[f.off-1] = 'x'
				file := bytes.Join([][]byte{set[0], bad, set[2]}, []byte("\r\n"))
				_, want := newZMParser(settle).parse(bad, 2)
				require.Error(t, want)
				n := 0
				for rec, err := range ZM(bytes.NewReader(file), settle) {
					n++
					if n == 2 {
						require.Equal(t, want, err)
						continue
					}
					require.NoError(t, err)
					alone, err := newZMParser(settle).parse(set[n-1], n)
					require.NoError(t, err)
					require.Equal(t, alone, rec)
				}
				require.Equal(t, 3, n)
			})
		}
	}
}
