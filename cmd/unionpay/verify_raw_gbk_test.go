package main

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
)

// rawBodyFirst is f in UnionPay's raw format with the fields first in front, in that order,
// then the others sorted: UnionPay's answers come in no set order.
func rawBodyFirst(f sign.Fields, first ...string) string {
	pairs := make([]string, 0, len(f))
	for _, k := range first {
		pairs = append(pairs, k+"="+f[k])
	}
	rest := make([]string, 0, len(f))
	for k := range f {
		if !slices.Contains(first, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		pairs = append(pairs, k+"="+f[k])
	}
	return strings.Join(pairs, "&")
}

// TestVerifyRawGBKTrailBytes: verify -raw reads a GBK answer in characters. The second byte of
// a GBK character may be a '{' or '[' (獅 and 憑 end in 7B, 擺 in 5B: traditional characters,
// which a reqReserved echoes), which a parse of the bytes took for a region's opening: the
// genuine answer was refused as malformed ("leaves '{' or '[' open"), or its encoding field,
// after the character, hidden in the region and the answer read as UTF-8 and refused. A body
// not valid UTF-8 that does not declare GBK is refused, and Chinese in a UTF-8 answer verifies.
func TestVerifyRawGBKTrailBytes(t *testing.T) {
	t.Parallel()
	g := testGateway(t)
	tests := []struct {
		name     string
		encoding string
		value    string   // reqReserved
		first    []string // fields written first
		declare  string   // the encoding field written, when not the one signed
		want     string   // "" for OK, else in stderr
	}{
		{"GBK, trail '{'", "GBK", "獅子", nil, "", ""},
		{"GBK, trail '{' alone", "GBK", "憑", nil, "", ""},
		{"GBK, trail '[' before the encoding field", "GBK", "擺", []string{"reqReserved", "encoding"}, "", ""},
		{"GBK, trail '{' before the encoding field", "GBK", "獅", []string{"reqReserved", "encoding"}, "", ""},
		{"GBK, simplified", "GBK", "张三", []string{"reqReserved", "encoding"}, "", ""},
		{"UTF-8, traditional", "UTF-8", "獅子擺", []string{"reqReserved", "encoding"}, "", ""},
		{"GBK bytes declared UTF-8", "GBK", "獅子", nil, "UTF-8", `encoding field is "UTF-8", not GBK`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			signed, err := g.srv.Sign(sign.Fields{"encoding": tt.encoding, "orderId": "ORDER0003",
				"txnTime": "20261125100000", "respCode": "00", "respMsg": "成功[0000000]", "txnType": "01",
				"reqReserved": tt.value})
			require.NoError(t, err)
			if tt.declare != "" {
				signed["encoding"] = tt.declare
			}
			body := rawBodyFirst(signed, tt.first...)
			if tt.encoding == "GBK" {
				body, err = javagbk.NewEncoder().String(body)
				require.NoError(t, err)
			}
			r := runCLI(t, body, "verify", "-raw", "-root", g.root, "-middle", g.middle)
			if tt.want != "" {
				requireFailure(t, r, exitFailed, tt.want)
				return
			}
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.True(t, strings.HasPrefix(r.stdout, "OK "), r.stdout)
		})
	}
}

// TestVerifyRawGBKValidAsUTF8: verify -raw reads a GBK answer whose bytes happen to be valid
// UTF-8 in characters too. 涓亄 is E4 B8 81 7B in GBK, which is 丁{ in UTF-8: a parse of the
// bytes took the '{' for a region's opening, refusing the genuine answer as malformed or, with a
// '}' later in the body, hiding the encoding field and reading the answer as UTF-8, where the
// client (Config.Encoding GBK) decodes the body first. A body that reads alike both ways (ASCII,
// a UTF-8 answer) is read as it states.
func TestVerifyRawGBKValidAsUTF8(t *testing.T) {
	t.Parallel()
	g := testGateway(t)
	tests := []struct {
		name     string
		encoding string
		fields   sign.Fields
		first    []string // fields written first
	}{
		{"trail '{' never closed", "GBK", sign.Fields{"reqReserved": "涓亄"}, nil},
		{"trail '{' before the encoding field", "GBK", sign.Fields{"reqReserved": "涓亄"},
			[]string{"reqReserved", "encoding", "orderId"}},
		{"trail '{' closed by a later '}'", "GBK", sign.Fields{"reqReserved": "涓亄", "reserved": "{a=1}"},
			[]string{"reqReserved", "encoding", "reserved"}},
		{"trail '[' before the encoding field", "GBK", sign.Fields{"reqReserved": "涓乕"},
			[]string{"reqReserved", "encoding"}},
		{"UTF-8 with a region", "UTF-8", sign.Fields{"reqReserved": "丁{x}"}, []string{"reqReserved", "encoding"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := sign.Fields{"encoding": tt.encoding, "orderId": "ORDER0004", "txnTime": "20261125100000",
				"respCode": "00", "respMsg": "success", "txnType": "01"}
			for k, v := range tt.fields {
				f[k] = v
			}
			signed, err := g.srv.Sign(f)
			require.NoError(t, err)
			body := rawBodyFirst(signed, tt.first...)
			if tt.encoding == "GBK" {
				body, err = javagbk.NewEncoder().String(body)
				require.NoError(t, err)
				require.True(t, utf8.ValidString(body), "the GBK body must be valid UTF-8 for this test")
			}
			r := runCLI(t, body, "verify", "-raw", "-root", g.root, "-middle", g.middle)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.True(t, strings.HasPrefix(r.stdout, "OK "), r.stdout)
		})
	}
}
