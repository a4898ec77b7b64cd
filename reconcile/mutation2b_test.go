package reconcile

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

type mut2ChunkReader struct {
	b []byte
	n int
}

func (r *mut2ChunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n, len(r.b))
	copy(p, r.b[:k])
	r.b = r.b[k:]
	return k, nil
}

// TestMutation2ChunkedReads: however the reader splits the file, the lines
// read are those of a whole read (the guessed line end is checked against
// bytes actually read, never against what a buffer held before).
func TestMutation2ChunkedReads(t *testing.T) {
	recs := make([]Record, 6)
	for i := range recs {
		recs[i] = mut2Record()
		recs[i].OrderID = fmt.Sprintf("ORDER%04d", i)
	}
	body := mut2ZMLines(t, recs...)
	long := append(bytes.Clone(body[:609]), body[:609]...)
	long = append(long[:609+607], 'x', 'y', '\r', '\n') // a 609-byte line after a good one
	cases := []struct {
		name string
		data []byte
	}{
		{"CRLF", body},
		{"last line ends with CR only", body[:len(body)-1]},
		{"last line without CRLF", body[:len(body)-2]},
		{"line one byte too long", append(bytes.Clone(body), long...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, wantErrs := mut2ReadZM(t, c.data)
			for n := 1; n <= 1300; n++ {
				var got []Record
				var errs int
				for r, err := range ZM(&mut2ChunkReader{b: c.data, n: n}, settle) {
					if err != nil {
						errs++
						continue
					}
					got = append(got, r)
				}
				require.Equal(t, want, got, "chunks of %d", n)
				require.Equal(t, len(wantErrs), errs, "chunks of %d", n)
			}
		})
	}
}
