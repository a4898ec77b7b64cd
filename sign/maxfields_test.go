package sign_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// distinctPairs returns n pairs "k<i>=1" joined with '&', every key different (a repeated key is
// refused at once, so a hostile body uses new ones), and where pair i starts.
func distinctPairs(n int) (string, []int) {
	var b strings.Builder
	starts := make([]int, n)
	for i := range n {
		if i > 0 {
			b.WriteByte('&')
		}
		starts[i] = b.Len()
		fmt.Fprintf(&b, "k%x=1", i)
	}
	return b.String(), starts
}

// maxFieldsParsers are the decoders of untrusted bodies that build Fields.
var maxFieldsParsers = []struct {
	name  string
	parse func(body string) (sign.Fields, error)
}{
	{"ParseRaw", sign.ParseRaw},
	{"ParseRaw braced", func(body string) (sign.Fields, error) { return sign.ParseRaw("{" + body + "}") }},
	{"ParseForm", sign.ParseForm},
	{"ParseRequestForm", sign.ParseRequestForm},
	{"ParseFormCanonical", func(body string) (sign.Fields, error) {
		f, _, err := sign.ParseFormCanonical([]byte(body), nil)
		return f, err
	}},
	{"ValueCache.ParseFormCanonical", func(body string) (sign.Fields, error) {
		f, _, err := sign.NewValueCache("signPubKeyCert").ParseFormCanonical([]byte(body), nil)
		return f, err
	}},
}

// TestMaxFields: a body of MaxFields pairs is read; one of MaxFields+1 is refused with a
// *ParseError at the pair past the limit, matching ErrTooManyFields and ErrMalformed, and naming
// the limit. Without the limit, every count was read.
func TestMaxFields(t *testing.T) {
	t.Parallel()
	atLimit, _ := distinctPairs(sign.MaxFields)
	overLimit, starts := distinctPairs(sign.MaxFields + 1)
	for _, p := range maxFieldsParsers {
		t.Run(p.name, func(t *testing.T) {
			f, err := p.parse(atLimit)
			require.NoError(t, err)
			assert.Len(t, f, sign.MaxFields)

			f, err = p.parse(overLimit)
			require.Error(t, err)
			assert.Nil(t, f)
			require.ErrorIs(t, err, sign.ErrTooManyFields)
			require.ErrorIs(t, err, sign.ErrMalformed)
			var pe *sign.ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, starts[sign.MaxFields], pe.Pos, "in the body (without its braces)")
			assert.Contains(t, err.Error(), fmt.Sprintf("more than %d fields (sign.MaxFields)", sign.MaxFields))
		})
	}
}

// TestMaxFieldsCountsPairs: what counts is pairs, not separators. An '&' inside a raw value's
// {...} region, or between empty pairs of a form, is no pair; a form's pair with an empty value
// (dropped from the Fields) is one.
func TestMaxFieldsCountsPairs(t *testing.T) {
	t.Parallel()
	body, _ := distinctPairs(sign.MaxFields - 1)
	region := "&last={" + strings.Repeat("a=1&", 2*sign.MaxFields) + "z=1}"
	f, err := sign.ParseRaw(body + region)
	require.NoError(t, err, "'&' inside a region")
	assert.Len(t, f, sign.MaxFields)

	f, err = sign.ParseForm(strings.ReplaceAll(body, "&", "&&&") + "&&&&last=1&&&")
	require.NoError(t, err, "empty pairs between")
	assert.Len(t, f, sign.MaxFields)

	_, err = sign.ParseForm(body + "&last=1&empty=")
	require.ErrorIs(t, err, sign.ErrTooManyFields, "a pair with an empty value counts")
}

// TestMaxFieldsAllocation: a hostile body of 4 MiB of tiny distinct pairs (the client's
// default MaxResponseBytes, 16 MiB, holds four times as many) costs memory for MaxFields pairs at
// most, besides ParseForm's copy of the body: it is refused before a map of its half a million
// pairs is built (tens of megabytes, as 16 MiB made 320 MB).
func TestMaxFieldsAllocation(t *testing.T) {
	// Not parallel: it reads the process's allocation counter.
	body, _ := distinctPairs(1)
	for i := 1; len(body) < 4<<20; i *= 2 {
		body, _ = distinctPairs(2 * i * 1024)
	}
	const budget = 1 << 20 // MaxFields pairs, their spans and map: about 100 KB
	for _, p := range maxFieldsParsers {
		t.Run(p.name, func(t *testing.T) {
			input := strings.Clone(body)
			var extra uint64 // a copy of the body the parser makes before decoding
			switch p.name {
			case "ParseForm", "ParseRequestForm":
				extra = uint64(len(body))
			case "ParseFormCanonical", "ValueCache.ParseFormCanonical", "ParseRaw braced":
				extra = uint64(len(body)) + 2 // the test's own []byte(body), or braces added
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := p.parse(input)
			runtime.ReadMemStats(&after)
			require.ErrorIs(t, err, sign.ErrTooManyFields)
			allocated := after.TotalAlloc - before.TotalAlloc
			assert.LessOrEqual(t, allocated, extra+budget, "%d bytes allocated for a %d-byte body", allocated, len(body))
		})
	}
}

// TestParseErrorShortField: a refused message's key, whose length the sender chose, is quoted in
// the error's text only to its first 64 bytes, then its length: 64 KiB of control bytes made a
// 256 KB line in the log of every refused notification. The Field itself stays whole.
func TestParseErrorShortField(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("\x01", 64<<10)
	err := error(&sign.ParseError{Pos: 3, Field: long, Msg: "repeated key"})
	assert.Equal(t, `sign: malformed message at byte 3, field "..." (65536 bytes): repeated key`, err.Error(),
		"not a field name: cut (it may hold a value), then its length")
	name := error(&sign.ParseError{Pos: 3, Field: strings.Repeat("k", 64<<10), Msg: "repeated key"})
	assert.Equal(t, `sign: malformed message at byte 3, field "`+strings.Repeat("k", 64)+`"… (65536 bytes): repeated key`,
		name.Error(), "a field name quoted to 64 bytes")
	short := &sign.ParseError{Pos: 3, Field: "orderId\n", Msg: "repeated key"}
	assert.Equal(t, `sign: malformed message at byte 3, field "orderId...": repeated key`, short.Error(), "a short key cut")

	escaped := strings.Repeat("%01", 64<<10)
	tests := []struct {
		name string
		err  func() error
	}{
		{"ParseForm: key not printable", func() error { _, err := sign.ParseForm(escaped + "=1"); return err }},
		{"ParseForm: repeated key", func() error { _, err := sign.ParseForm(escaped + "=1&" + escaped + "=2"); return err }},
		{"ParseRaw: value left open", func() error { _, err := sign.ParseRaw(long + "={"); return err }},
		{"ParseForm: unknown charset", func() error { _, err := sign.ParseForm("encoding=" + escaped); return err }},
		{"Canonical: unknown charset", func() error { _, err := sign.Canonical(sign.Fields{"encoding": long}); return err }},
		{"CheckFieldNames", func() error { return sign.CheckFieldNames(sign.Fields{long: "1"}) }},
		{"Canonical: key not in GBK", func() error {
			_, err := sign.Canonical(sign.Fields{"encoding": "GBK", strings.Repeat("k", 64<<10): "\u00e9\U0001F600"})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err()
			require.Error(t, err)
			assert.Less(t, len(err.Error()), 400, "%.500s", err.Error())
			assert.Contains(t, err.Error(), "(65536 bytes)")
			var pe *sign.ParseError
			if errors.As(err, &pe) && pe.Field != "encoding" {
				assert.Equal(t, 64<<10, len(pe.Field), "Field whole")
			}
		})
	}
}
