package sign_test

import (
	"bytes"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// FuzzParseRaw checks that the raw-response parser never panics, and that
// whatever it accepts survives the string to sign: every parsed key and
// value appears in the canonical string exactly as received.
func FuzzParseRaw(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join(vectors, "raw_response.txt")); err == nil {
		f.Add(string(b))
	}
	for _, s := range []string{"", "{}", "a=1", "{a={b=1&c=2}&d=[x&y]}", "a=1&", "a&b=1", "=", "a==&b={&c=}",
		"signPubKeyCert=-----BEGIN CERTIFICATE-----\r\nMII\r\n-----END CERTIFICATE-----&signature=ab+/="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		fields, err := sign.ParseRaw(body)
		if err != nil {
			return
		}
		canonical := sign.AppendCanonical(nil, fields)
		for k, v := range fields {
			if k == sign.FieldSignature {
				continue
			}
			if !bytes.Contains(canonical, []byte(k+"="+v)) {
				t.Fatalf("field %q=%q missing from canonical %q", k, v, canonical)
			}
		}
	})
}

// FuzzParseForm checks that the notification form decoder never panics and
// that what it accepts encodes back to a body that decodes to the same
// fields.
func FuzzParseForm(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "a=%zz", "encoding=GBK&m=%B3%C9", "a=1&a=2", "&&=", "k=v%0D%0A+x",
		"z=1&b=&signature=x&a=2&B=3", "encoding=gbk&z=%B3%C9&a=%81", "signPubKeyCert=a%2Bb&x=%41"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		fields, err := sign.ParseForm(body)
		// The body buffers are scribbled over afterwards: the Fields must
		// not refer to them.
		buf := []byte(body)
		withCanonical, canonical, err3 := sign.ParseFormCanonical(buf, []byte("prefix:"))
		scribble(buf)
		cache := sign.NewValueCache("signPubKeyCert")
		for range 2 { // remembered, then reused
			buf := []byte(body)
			cached, cachedCanonical, err4 := cache.ParseFormCanonical(buf, []byte("prefix:"))
			scribble(buf)
			if !reflect.DeepEqual(err3, err4) || !reflect.DeepEqual(withCanonical, cached) || string(canonical) != string(cachedCanonical) {
				t.Fatalf("ValueCache.ParseFormCanonical(%q) = %q, %q, %v; want %q, %q, %v", body, cached, cachedCanonical, err4, withCanonical, canonical, err3)
			}
		}
		loose, errLoose := sign.ParseRequestForm(body)
		if err == nil && (errLoose != nil || !reflect.DeepEqual(loose, fields)) {
			t.Fatalf("ParseRequestForm(%q) = %q, %v; ParseForm gave %q", body, loose, errLoose, fields)
		}
		if err == nil && sign.Unambiguous(fields) != nil {
			t.Fatalf("ParseForm(%q) returned fields Unambiguous refuses: %v", body, sign.Unambiguous(fields))
		}
		if errors.Is(err, sign.ErrAmbiguous) && (errLoose != nil || sign.Unambiguous(loose) == nil) {
			t.Fatalf("ParseForm(%q) refused it as ambiguous (%v), but ParseRequestForm gave %q, %v", body, err, loose, errLoose)
		}
		if err != nil {
			if err3 == nil {
				t.Fatalf("ParseFormCanonical(%q) accepted what ParseForm refused: %v", body, err)
			}
			return
		}
		if want, cerr := sign.Canonical(fields); cerr != nil {
			if err3 == nil {
				t.Fatalf("ParseFormCanonical(%q) built a string to sign Canonical refuses: %v", body, cerr)
			}
			return
		} else if err3 != nil || !reflect.DeepEqual(fields, withCanonical) || string(canonical) != "prefix:"+string(want) {
			t.Fatalf("ParseFormCanonical(%q) = %q, %q, %v; want %q, %q", body, withCanonical, canonical, err3, fields, want)
		}
		if q, qerr := url.ParseQuery(body); qerr == nil && !strings.EqualFold(fields[sign.FieldEncoding], sign.CharsetGBK) {
			for k, vs := range q { // net/url agrees wherever it accepts the body
				if len(vs) == 1 && vs[0] != "" && fields[k] != vs[0] {
					t.Fatalf("field %q: %q, net/url says %q", k, fields[k], vs[0])
				}
			}
		}
		enc, err := sign.Encode(fields)
		if err != nil {
			return // e.g. text not representable in GBK
		}
		back, err := sign.ParseForm(enc)
		if err != nil {
			t.Fatalf("re-parse of %q: %v", enc, err)
		}
		if len(back) != len(fields) {
			t.Fatalf("round trip changed the fields: %q -> %q", fields, back)
		}
		for k, v := range fields {
			if back[k] != v && !strings.EqualFold(fields[sign.FieldEncoding], sign.CharsetGBK) {
				t.Fatalf("field %q: %q became %q", k, v, back[k])
			}
		}
	})
}

// FuzzCanonical checks that the string to sign is a pure function of the
// fields, with the signature excluded and keys in byte order.
func FuzzCanonical(f *testing.F) {
	f.Add("version", "5.1.0", "signature", "x", "encoding", "GBK")
	f.Add("b", "", "a", "成功", "A", "&=")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, k3, v3 string) {
		fields := sign.Fields{k1: v1, k2: v2, k3: v3}
		c, err := sign.Canonical(fields)
		if err != nil {
			return
		}
		fields[sign.FieldSignature] = "changed"
		c2, err := sign.Canonical(fields)
		if err != nil || !bytes.Equal(c, c2) {
			t.Fatalf("signature field changed the string to sign: %q vs %q (%v)", c, c2, err)
		}
	})
}

// scribble overwrites b, as a caller reusing a buffer would.
func scribble(b []byte) {
	for i := range b {
		b[i] = 'X'
	}
}
