package sign_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"maps"
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/mask"
	"github.com/goacp/unionpay/sign"
)

// digitRuns returns the runs of 12 or more ASCII digits in s: a card number, or most of one.
func digitRuns(s string) []string {
	var runs []string
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= 12 {
			runs = append(runs, s[start:i])
		}
		start = -1
	}
	return runs
}

// dropDigit drops ASCII digits (strings.Map).
func dropDigit(r rune) rune {
	if r >= '0' && r <= '9' {
		return -1
	}
	return r
}

// FuzzFieldsMasked checks Fields.Masked and the log forms built on it (String, GoString, %v,
// LogValue with slog's text and JSON handlers): masking twice is masking once; every key is kept
// (a key that is not a field name cut, numbered when two are cut alike, its value hidden) and the
// fields not masked keep their values; no run of 12 digits of a key that is not a field name shows; accNo shows at most 10 digits and no run of 12 of
// the accNo given, in any form; the secret fields show as "***" (or "" when empty); fileContent as
// its size.
func FuzzFieldsMasked(f *testing.F) {
	f.Add("6216261000000000018", "customerInfo", "e3Bob25lTm89MTM4MDAxMzgwMDB9", "orderId", "20240105000001", "a,b,c")
	f.Add("621626******0018", "encryptedInfo", "x", "merId", "777290058110048", "")
	f.Add("bm90IGVuY3J5cHRlZA==", "fileContent", "(12 bytes)", "respCode", "00", "UEsDBBQ=")
	f.Add("", "tokenPayData", "{token=6216261000000000018}", "", "", "(3 bytes)")
	f.Add("6216 2610 0000 0000 018", "cardTransData", "", "accNo", "x", "(x bytes)")
	f.Add("62162610000000000180", "reserved", "{a=1}", "signature", "abc", "()")
	f.Add("*", "fileContent", "", "k", "v", "( bytes)")
	f.Add("", "qrNo", "62201234567890123456", "termId", "T0000001", "")
	f.Add("621626******1000018", "k", "v", "k2", "v2", "") // six stars, 13 digits in clear
	f.Add("******6216261000000000018", "k", "v", "k2", "v2", "")
	f.Fuzz(func(t *testing.T, accNo, k1, v1, k2, v2, fileContent string) {
		in := sign.Fields{"accNo": accNo, k1: v1, k2: v2, "fileContent": fileContent}
		orig := in.Clone()
		m := in.Masked()
		if !maps.Equal(in, orig) {
			t.Fatalf("Masked changed its receiver: %q", in)
		}
		if again := m.Masked(); !maps.Equal(again, m) {
			t.Fatalf("Masked(%q) = %q, masked again %q", in, m, again)
		}
		if len(m) != len(in) {
			t.Fatalf("Masked(%q) = %q: keys lost", in, m)
		}
		for range 3 { // the same fields mask the same way, whatever the map's order
			if again := maps.Clone(in).Masked(); !maps.Equal(again, m) {
				t.Fatalf("Masked(%q) = %q, then %q", in, m, again)
			}
		}
		checkMaskedShowsNoRun(t, in, m)
		shown := mask.Keys(in)
		for k, v := range in {
			got, ok := m[shown[k]]
			if !ok {
				t.Fatalf("Masked(%q) lost key %q", in, k)
			}
			switch {
			case !mask.IsName(k): // may hold a value: cut, its value hidden
				if got != "" && got != "***" || v == "" && got != "" {
					t.Fatalf("Masked: %q=%q, a key that is not a field name, shows as %q=%q", k, v, shown[k], got)
				}
			case v == "":
				if got != "" {
					t.Fatalf("Masked: empty %s shows %q", k, got)
				}
			case k == "accNo":
				if d := len(got) - len(strings.Map(dropDigit, got)); d > 10 {
					t.Fatalf("Masked accNo %q shows %q", v, got)
				}
			case k == "customerInfo" || k == "encryptedInfo" || k == "cardTransData" || k == "tokenPayData" || k == "qrNo":
				if got != "***" {
					t.Fatalf("Masked %s %q shows %q", k, v, got)
				}
			case k == "reserved" || k == "riskRateInfo":
				if inner, ok := strings.CutPrefix(got, "{"); !ok || !strings.HasSuffix(inner, "}") {
					if got != "***" {
						t.Fatalf("Masked %s %q shows %q", k, v, got)
					}
				} else {
					for pair := range strings.SplitSeq(inner[:len(inner)-1], "&") {
						// An empty value stays empty ({=} is {=}); any other is hidden.
						if _, val, _ := strings.Cut(pair, "="); val != "" && val != "***" {
							t.Fatalf("Masked %s %q shows a value: %q", k, v, got)
						}
					}
				}
			case k == "fileContent" || k == "signature" || k == "signPubKeyCert" || k == "encryptPubKeyCert":
				if got != v && got != fmt.Sprintf("(%d bytes)", len(v)) {
					t.Fatalf("Masked %s %q shows %q", k, v, got)
				}
			default:
				if got != v {
					t.Fatalf("Masked changed %s from %q to %q", k, v, got)
				}
			}
		}
		// The log forms, of the masked fields only (the others are shown as they are, and the
		// fuzzer may put a card number there).
		only := sign.Fields{"accNo": accNo}
		for _, k := range []string{k1, k2} {
			switch k {
			case "customerInfo", "encryptedInfo", "cardTransData", "tokenPayData", "qrNo":
				only[k] = in[k]
			}
		}
		for _, k := range []string{k1, k2} { // a key holding a value, and its value
			if !mask.IsName(k) {
				only[k] = in[k]
			}
		}
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("m", "fields", only)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "fields", only)
		forms := []string{only.String(), only.GoString(), fmt.Sprintf("%v|%+v|%#v|%s", only, only, only, only),
			text.String(), js.String()}
		secrets := append(digitRuns(accNo), digitRuns(in[k1])...)
		for _, k := range []string{k1, k2} {
			if !mask.IsName(k) {
				secrets = append(secrets, digitRuns(k)...)
			}
		}
		secrets = append(secrets, digitRuns(in[k2])...)
		for _, form := range forms {
			for _, run := range secrets {
				for i := 0; i+12 <= len(run); i++ {
					if strings.Contains(form, run[i:i+12]) {
						t.Fatalf("log form of %q shows %q:\n%s", only, run[i:i+12], form)
					}
				}
			}
		}
	})
}

// checkMaskedShowsNoRun fails if m, in masked, shows in any key or value 12 ASCII digits in a row
// of a run of 13 or more (a card number) that in held in a key that is not a field name, or in a
// value that Masked masks: of such a key, or of a field masked (accNo, customerInfo, reserved,
// respMsg, fileContent...). A field shown as it is (orderId, merId) may show its own digits, and
// so another field's when it holds the same; so may a fileContent that reads as masked already.
func checkMaskedShowsNoRun(t *testing.T, in, m sign.Fields) {
	t.Helper()
	const card = "6216261000000000018"
	var secrets []string
	masked := func(k string) bool { return !mask.IsName(k) || mask.Field(k, card) != card }
	for k, v := range in {
		if !masked(k) {
			continue
		}
		if mask.IsName(k) && mask.Field(k, card) == mask.Size(len(card)) && mask.IsSize(v) {
			v = "" // a file given as its size, "(N bytes)", is taken for masked and shown as it is
		}
		for _, s := range []string{k, v} {
			for _, run := range digitRuns(s) {
				if len(run) >= 13 {
					secrets = append(secrets, run)
				}
			}
		}
	}
	shown := mask.Keys(in)
	for k := range in {
		if !masked(k) {
			continue
		}
		for _, s := range []string{shown[k], m[shown[k]]} {
			for _, run := range secrets {
				for i := 0; i+12 <= len(run); i++ {
					if strings.Contains(s, run[i:i+12]) {
						t.Fatalf("Masked(%q) shows %q of a card number in %q", in, run[i:i+12], s)
					}
				}
			}
		}
	}
}
