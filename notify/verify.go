package notify

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/sign"
)

// errEmpty reports a body or form without a single field.
var errEmpty = fmt.Errorf("notify: empty notification: %w", sign.ErrMalformed)

// ErrNoVerifier is matched by the error for a nil *cert.Verifier, or one
// not made by cert.NewVerifier (the error also matches cert.ErrMethod): a
// configuration error, not a bad message. A consumer of notifications from
// a queue should keep the message and retry once the configuration is
// fixed, not drop it; [HTTPStatus] maps it to 500, so that UnionPay sends
// the notification again.
var ErrNoVerifier = errors.New("notify: no usable Verifier configured")

// usable returns ErrNoVerifier, with the reason, if v is nil or was not made
// by cert.NewVerifier: such a Verifier refuses every message, which must not
// pass for a forgery.
func usable(v *cert.Verifier) error {
	if err := v.Check(); err != nil {
		return fmt.Errorf("%w: %w", ErrNoVerifier, err)
	}
	return nil
}

// Parse verifies a notification body (application/x-www-form-urlencoded, as
// UnionPay posts it to backUrl and frontUrl) and decodes it. It is pure: a
// message queue or a test can feed it bodies received elsewhere.
//
// v decides which signature methods are accepted (no downgrade from a
// certificate chain to 5.0.0 or to a secure key unless v is configured for
// it) and which certificates are trusted; the message never decides.
//
// Errors: a nil v, or one not made by cert.NewVerifier, is a configuration
// error (HTTPStatus maps it to 500); a body that is not a well-formed form (empty, a repeated key,
// invalid percent-encoding, more than sign.MaxFields pairs, which also matches
// sign.ErrTooManyFields; one URL-encoded twice, by a proxy, is named so, and so is one still
// base64-encoded, as a function platform's event with isBase64Encoded holds it: decode it first)
// matches sign.ErrMalformed; a bad signature matches sign.ErrSignature; a method v does not accept matches
// cert.ErrMethod; an untrusted signPubKeyCert is a *cert.InvalidError;
// a verified message missing orderId, txnTime, txnType or respCode, or with
// an unreadable txnTime or amount, is a *FieldError.
func Parse(v *cert.Verifier, body []byte) (*Notification, error) {
	return parse(v, bytes.Clone(body))
}

// parse is Parse on a body the caller hands over: it is decoded in place,
// and the Notification's strings refer to it.
func parse(v *cert.Verifier, body []byte) (*Notification, error) {
	if err := usable(v); err != nil {
		return nil, err
	}
	if len(body) == 0 {
		return nil, errEmpty
	}
	twice := encodedTwice(body) // before VerifyForm, which decodes body in place
	b64 := base64Form(body)
	f, signed, err := v.VerifyForm(body)
	switch {
	case err != nil && twice && errors.Is(err, sign.ErrMalformed):
		return nil, fmt.Errorf("notify: rejected (%s): %w", hintEncodedTwice, err)
	case err != nil && b64:
		// Whatever VerifyForm made of it (one field, no signature), it is no message: not a
		// forgery to count as one, but a body its receiver forgot to decode.
		return nil, fmt.Errorf("notify: rejected (%s): %w", hintBase64, sign.ErrMalformed)
	case err != nil:
		return nil, fmt.Errorf("notify: rejected: %w", err)
	}
	return decode(f, signed)
}

// hintEncodedTwice is the hint in the error for a body that looks URL-encoded twice.
const hintEncodedTwice = "URL-encoded twice? a proxy in front"

// encodedTwice reports whether body looks like a form URL-encoded a second time (a proxy
// re-encoding what it forwards): no '=' of its own, but an encoded one.
func encodedTwice(body []byte) bool {
	return bytes.IndexByte(body, '=') < 0 &&
		(bytes.Contains(body, []byte("%3D")) || bytes.Contains(body, []byte("%3d")))
}

// hintBase64 is the hint in the error for a body that is a form in base64.
const hintBase64 = "the body is base64 text: decode it first, as a function platform's event with isBase64Encoded asks"

// base64Form reports whether body is a form in base64 (standard alphabet, padded or not,
// trailing white space allowed): no '&' or '%' of its own, and a '=' and a '&' once decoded. A
// form has a '&' between its fields, so only a body without one is decoded.
func base64Form(body []byte) bool {
	text := bytes.TrimRight(body, " \t\r\n")
	if len(text) < 8 || bytes.IndexByte(text, '&') >= 0 || bytes.IndexByte(text, '%') >= 0 {
		return false
	}
	enc := base64.StdEncoding
	if text[len(text)-1] != '=' {
		enc = base64.RawStdEncoding
	}
	dec, err := enc.DecodeString(string(text))
	return err == nil && bytes.IndexByte(dec, '=') >= 0 && bytes.IndexByte(dec, '&') >= 0
}

// Verify verifies a notification already decoded into fields and decodes
// it. Fields with an empty value must have been dropped, as sign.ParseForm
// does, and fields that break its rule against ambiguous pairs
// ([sign.Unambiguous]) are refused as malformed. The Notification's Raw is
// a copy of f.
func Verify(v *cert.Verifier, f sign.Fields) (*Notification, error) {
	return verify(v, f.Clone())
}

// VerifyValues verifies a notification held in url.Values, such as
// http.Request.PostForm (never Request.Form, which mixes in the URL's query
// string), and decodes it. Empty values are dropped; a key with more than
// one value is an error matching sign.ErrMalformed, and so is a form of more
// than sign.MaxFields keys (matching sign.ErrTooManyFields too), as
// sign.ParseForm refuses such a body. The values are the body's bytes as
// url.ParseQuery leaves them: in a GBK notification (its encoding field)
// they are GBK, and are decoded here.
func VerifyValues(v *cert.Verifier, form url.Values) (*Notification, error) {
	if err := usable(v); err != nil { // before the values: a configuration error is never a bad message
		return nil, err
	}
	if len(form) > sign.MaxFields {
		return nil, fmt.Errorf("notify: %w", &sign.ParseError{
			Msg: fmt.Sprintf("more than %d fields (sign.MaxFields)", sign.MaxFields), Err: sign.ErrTooManyFields})
	}
	var enc string
	if e := form["encoding"]; len(e) == 1 {
		enc = e[0]
	}
	// An encoding this package does not know is the message's fault, not a value's: named as
	// Parse names it, before any value is decoded.
	if _, err := sign.DecodeBody(nil, enc); err != nil {
		return nil, fmt.Errorf("notify: %w", &sign.ParseError{Field: "encoding",
			Msg: fmt.Sprintf("unsupported charset %q", printable(enc, maxClaimed)), Err: err})
	}
	f := make(sign.Fields, len(form))
	for k, vals := range form {
		switch {
		case len(vals) > 1:
			// The sender chose k: it goes into the error made printable and cut short, as the
			// claimed fields Handler logs do, so that it cannot forge log lines.
			return nil, &FieldError{Field: printable(k, maxClaimed), Msg: "repeated"}
		case len(vals) == 1 && ascii.Is(vals[0]) && vals[0] != "":
			// The same in UTF-8 and GBK, as nearly every value is: sign.DecodeBody would
			// return a copy of it (two, with the []byte it takes).
			f[k] = vals[0]
		case len(vals) == 1 && vals[0] != "":
			val, err := sign.DecodeBody([]byte(vals[0]), enc)
			if err != nil {
				// A *sign.ParseError, as Parse reports a value not in the message charset:
				// it matches sign.ErrMalformed and sign.ErrCharset, and quotes the key.
				return nil, fmt.Errorf("notify: %w", &sign.ParseError{Field: printable(k, maxClaimed),
					Msg: "value not in the message charset", Err: err})
			}
			f[k] = val
		}
	}
	if len(f) == 0 {
		for k := range form {
			if strings.Contains(k, "=") {
				// A body encoded twice, decoded once by ParseForm: its fields are one key.
				return nil, fmt.Errorf("%w (%s)", errEmpty, hintEncodedTwice)
			}
		}
	}
	return verify(v, f)
}

// verify checks f with v and decodes it; f becomes the Notification's Raw.
func verify(v *cert.Verifier, f sign.Fields) (*Notification, error) {
	if err := usable(v); err != nil {
		return nil, err
	}
	if len(f) == 0 {
		return nil, errEmpty
	}
	// Fields decoded by other means than sign.ParseForm (net/url) must
	// obey its rule too, or two genuine fields could arrive as one.
	if err := sign.Unambiguous(f); err != nil {
		return nil, fmt.Errorf("notify: rejected: %w", err)
	}
	signed, err := v.Verify(f)
	if err != nil {
		return nil, fmt.Errorf("notify: rejected: %w", err)
	}
	return decode(f, signed)
}
