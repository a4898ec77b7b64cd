package main

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/sign"
)

// crlfForms are verify -raw's two readings of an input: as given, less a final LF that no CR
// precedes (a shell's), and, for an input ending in CR LF, less that CR LF (Windows').
func crlfForms(in []byte) (given, crlf []byte, hasCRLF bool) {
	given = in
	if bytes.HasSuffix(in, []byte("\n")) && !bytes.HasSuffix(in, []byte("\r\n")) {
		given = in[:len(in)-1]
	}
	if bytes.HasSuffix(in, []byte("\r\n")) {
		return given, in[:len(in)-2], true
	}
	return given, nil, false
}

// rawVerifies reports whether b, read exactly (no newline trimmed) as a raw answer (re-read in
// GBK when it says so; one not valid UTF-8 decoded from GBK first, and read only if it then says
// GBK, as UnionPay sends no other; one valid UTF-8 whose parse fails or shows no encoding field
// read in GBK when that reading says GBK), is unambiguous and verifies with v; parsed tells
// whether it parsed.
func rawVerifies(v *cert.Verifier, b []byte) (ok, parsed, unambiguous bool) {
	var f sign.Fields
	var err error
	if !utf8.Valid(b) {
		var text string
		if text, err = sign.DecodeBody(b, sign.CharsetGBK); err == nil {
			if f, err = sign.ParseRaw(text); err == nil && !strings.EqualFold(f[sign.FieldEncoding], sign.CharsetGBK) {
				err = sign.ErrCharset
			}
		}
	} else if f, err = sign.ParseRaw(string(b)); err == nil && strings.EqualFold(f[sign.FieldEncoding], sign.CharsetGBK) {
		var text string
		if text, err = sign.DecodeBody(b, sign.CharsetGBK); err == nil {
			f, err = sign.ParseRaw(text)
		}
	} else if (err != nil || f[sign.FieldEncoding] == "") && !ascii.Is(b) {
		// GBK that is valid UTF-8 too: read in GBK when that reading says GBK.
		if text, derr := sign.DecodeBody(b, sign.CharsetGBK); derr == nil {
			if g, gerr := sign.ParseRaw(text); gerr == nil && strings.EqualFold(g[sign.FieldEncoding], sign.CharsetGBK) {
				f, err = g, nil
			}
		}
	}
	if err != nil || strings.TrimSpace(string(b)) == "" {
		return false, false, false
	}
	if sign.Unambiguous(f) != nil {
		return false, true, false
	}
	_, err = v.Verify(f)
	return err == nil, true, true
}

// FuzzVerifyRawCRLF checks verify -raw's CR LF retry against its rule: a raw answer, signed here
// with the secure key (signMethod 11) and its signature put first, so that the fuzzed body ends
// the input, then given a fuzzed ending (LF, CR LF, ...) and maybe a flipped byte, is accepted
// only if its signature holds on the input as given (a shell's final LF dropped) or, for an input
// ending in CR LF, on the input without that CR LF: never when it fails on both. And a genuine
// answer, ending as given or with one CR LF more, is accepted.
func FuzzVerifyRawCRLF(f *testing.F) {
	const head = "version=5.1.0&signMethod=11&encoding=UTF-8&txnType=76&respCode=00&respMsg=ok"
	for _, tail := range []string{"", "&fileContent=UEsDBA==", "&reserved={a=1&b=2}", "&respMsg2=成功[0000000]",
		"&signPubKeyCert=-----BEGIN CERTIFICATE-----\r\nMII\r\n-----END CERTIFICATE-----\r\n", "&x=a\r", "&x=a\n",
		"&x=[a&b]", "&x={}", "&x="} {
		for _, end := range []string{"", "\n", "\r\n", "\r\n\r\n", "\n\r\n", "\r", " "} {
			f.Add(head+tail, end, uint16(0))
		}
	}
	f.Add(head, "\r\n", uint16(0x0105))
	f.Add(strings.Replace(head, "UTF-8", "GBK", 1)+"&respMsg=\xb3\xc9\xb9\xa6", "\r\n", uint16(0))
	f.Add(strings.Replace(head, "UTF-8", "GBK", 1)+"&reqReserved=\xe4\xb8\x81\x7b", "\r\n", uint16(0)) // 涓亄, 丁{ as UTF-8
	v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("88888888")})
	if err != nil {
		f.Fatal(err)
	}
	signer, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body, end string, flip uint16) {
		if len(end) > 8 || len(body) > 4096 {
			return
		}
		in := []byte(body)
		if fields, err := sign.ParseRaw(body); err == nil && fields[sign.FieldVersion] != "" {
			if err := sign.Sign(signer, fields); err == nil {
				in = []byte("signature=" + fields[sign.FieldSignature] + "&" + body)
			}
		}
		in = append(in, end...)
		if flip != 0 && len(in) > 0 {
			in[int(flip)%len(in)] ^= byte(flip>>8) | 1
		}
		given, crlf, hasCRLF := crlfForms(in)
		okGiven, parsedGiven, unambGiven := rawVerifies(v, given)
		okCRLF := false
		if hasCRLF {
			okCRLF, _, _ = rawVerifies(v, crlf)
		}
		r := runCLI(t, string(in), "verify", "-raw", "-secure-key", "88888888")
		accepted := r.code == exitOK
		if accepted && !okGiven && !okCRLF {
			t.Fatalf("verify -raw accepted %q, whose signature fails as given and without a final CR LF: %s", in, r.stdout)
		}
		// A genuine answer: verify reads it (a parse failure of the input as given, or an
		// ambiguous reading, is refused before any retry).
		if !accepted && (okGiven || okCRLF && parsedGiven && unambGiven) {
			t.Fatalf("verify -raw refused %q (verifies as given %v, without CR LF %v): %s", in, okGiven, okCRLF, r.stderr)
		}
	})
}

// TestVerifyRawCRLFOnly: the CR LF retry drops that CR LF and nothing more. A genuine answer
// whose last value ends in LF, saved with a final CR LF, is accepted (the retry used to drop the
// LF too, breaking the signature); one given with LF and CR LF appended (two line endings) is
// refused (the retry used to drop both and accept it).
func TestVerifyRawCRLFOnly(t *testing.T) {
	signer, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	if err != nil {
		t.Fatal(err)
	}
	raw := func(body string) string {
		f, err := sign.ParseRaw(body)
		if err != nil {
			t.Fatal(err)
		}
		if err := sign.Sign(signer, f); err != nil {
			t.Fatal(err)
		}
		return "signature=" + f[sign.FieldSignature] + "&" + body
	}
	args := []string{"verify", "-raw", "-secure-key", "88888888"}
	lf := raw("version=5.1.0&signMethod=11&respCode=00&x=a\n")
	r := runCLI(t, lf+"\r\n", args...)
	if r.code != exitOK {
		t.Errorf("genuine answer ending in LF, plus CR LF: status %d, %s", r.code, r.stderr)
	}
	plain := raw("version=5.1.0&signMethod=11&respCode=00&x=a")
	r = runCLI(t, plain+"\n\r\n", args...)
	if r.code != exitFailed {
		t.Errorf("genuine answer plus LF and CR LF: status %d, %s%s", r.code, r.stdout, r.stderr)
	}
	for _, end := range []string{"", "\n", "\r\n"} {
		if r := runCLI(t, plain+end, args...); r.code != exitOK {
			t.Errorf("genuine answer plus %q: status %d, %s", end, r.code, r.stderr)
		}
	}
}
