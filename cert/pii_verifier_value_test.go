package cert_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"reflect"
	"testing"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/leaktest"
)

// TestPIIVerifierByValueHidesSecureKey: String is on *Verifier, so a Verifier formatted by value
// (a copy, or one held by value in a struct field of the merchant's) is printed field by field,
// and its secure key (signMethod 11/12) shows as bytes. sign.SecureKeySigner had the same problem
// and keeps its key behind a pointer for that reason. (go vet's copylocks flags a plain copy of a
// Verifier; reflection copies it here as a logger or a struct field would hold it.)
func TestPIIVerifierByValueHidesSecureKey(t *testing.T) {
	t.Parallel()
	const key = "SecretKeyForSignMethod11"
	v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte(key)})
	if err != nil {
		t.Fatal(err)
	}
	byValue := reflect.ValueOf(v).Elem().Interface() // a cert.Verifier
	type app struct{ verifier cert.Verifier }        // a merchant's struct
	a := &app{}
	reflect.ValueOf(&a.verifier).Elem().Set(reflect.ValueOf(v).Elem())
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("m", "verifier", byValue)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "verifier", byValue)
	outs := map[string]string{
		"%+v by value":            fmt.Sprintf("%+v", byValue),
		"%v by value":             fmt.Sprintf("%v", byValue),
		"slog text by value":      text.String(),
		"slog JSON by value":      js.String(),
		"%+v in unexported field": fmt.Sprintf("%+v", a),
	}
	for how, out := range outs {
		if ok, form := leaktest.Shows(out, key); ok {
			t.Errorf("%s shows the secure key (%s): %.300s", how, form, out)
		}
	}
}
