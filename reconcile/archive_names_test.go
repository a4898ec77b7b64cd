package reconcile

import (
	"io"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenRefusesNonRootNames: the members of a settlement zip are plain files in its root
// (as UnionPay's file download instructions say). A name with a directory part, or that is "." or "..", is
// refused, naming the member: "./X" used to pass the duplicate check beside "X", and a member
// in a subdirectory was classified by its base name. Found in the fourth session's review.
func TestOpenRefusesNonRootNames(t *testing.T) {
	zm := zipEntry{"INN25123188ZM_777290058110097", []byte("x")}
	cases := []struct {
		name    string
		entries []zipEntry
		bad     string
	}{
		{"dot slash beside the plain name", []zipEntry{zm, {"./" + zm.name, zm.data}}, "./" + zm.name},
		{"in a subdirectory", []zipEntry{{"x/" + zm.name, zm.data}}, "x/" + zm.name},
		{"in a dot directory", []zipEntry{{"x/./" + zm.name, zm.data}}, "x/./" + zm.name},
		{"dot", []zipEntry{{".", zm.data}}, "."},
		{"dot dot", []zipEntry{{"..", zm.data}}, ".."},
		{"trailing dot element", []zipEntry{{zm.name + "/.", zm.data}}, zm.name + "/."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open(makeZip(t, c.entries...))
			require.ErrorIs(t, err, ErrMalformed)
			assert.ErrorContains(t, err, strconv.Quote(c.bad))

			_, err = NewArchiveWriter(io.Discard, settle).Create(c.bad)
			assert.ErrorContains(t, err, strconv.Quote(c.bad), "the writer refuses it too")
		})
	}

	a, err := Open(makeZip(t, zm, zipEntry{"dir/", nil}))
	require.NoError(t, err, "a directory entry is skipped")
	require.Len(t, a.Members(), 1)
	assert.Equal(t, KindZM, a.Members()[0].Kind)
}
