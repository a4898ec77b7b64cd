package cert

import (
	"crypto/x509"
	"encoding/json"
	"strconv"
	"strings"
)

// String describes c without its secret: the secure key is shown as
// <redacted> (or <none>), never as bytes, so a VerifierConfig can be logged
// with %v or %+v, or through log/slog (see MarshalJSON), like a [Verifier].
// Certificates are shown by certId (decimal serial number). fmt cannot call
// it on a VerifierConfig held by value in another struct's unexported field:
// it prints that one field by field, SecureKey's bytes included, so hold it
// there by pointer (fmt shows a pointer in a field as an address) or not at
// all once the Verifier is made.
func (c VerifierConfig) String() string {
	var b strings.Builder
	b.WriteString("cert.VerifierConfig{Root:")
	writeCertID(&b, c.Root)
	b.WriteString(" Middle:")
	writeCertID(&b, c.Middle)
	b.WriteString(" AcceptTestOwner:")
	b.WriteString(strconv.FormatBool(c.AcceptTestOwner))
	b.WriteString(" LegacyCerts:")
	writeCertIDs(&b, c.LegacyCerts)
	b.WriteString(" SM2Root:")
	writeCertID(&b, c.SM2Root)
	b.WriteString(" SM2Middle:")
	writeCertID(&b, c.SM2Middle)
	b.WriteString(" SM2Certs:")
	writeCertIDs(&b, c.SM2Certs)
	b.WriteString(" SecureKey:")
	if len(c.SecureKey) > 0 {
		b.WriteString("<redacted>")
	} else {
		b.WriteString("<none>")
	}
	b.WriteString(" SecureKeyMethods:[")
	b.WriteString(strings.Join(c.SecureKeyMethods, " "))
	b.WriteString("] Now:")
	if c.Now != nil {
		b.WriteString("<func>")
	} else {
		b.WriteString("<nil>")
	}
	b.WriteString(" CacheSize:")
	b.WriteString(strconv.Itoa(c.CacheSize))
	b.WriteString("}")
	return b.String()
}

// GoString is String, so that %#v does not print the secure key either.
func (c VerifierConfig) GoString() string { return c.String() }

// MarshalJSON encodes c as the JSON string of String, so that slog's JSON
// handler (which could not encode the config's Now func) logs it as the
// text handler does; a nil *VerifierConfig is null. It is a description,
// not a form that reads back.
func (c VerifierConfig) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// writeCertID writes c's certId, or <nil>.
func writeCertID(b *strings.Builder, c *x509.Certificate) {
	if c == nil {
		b.WriteString("<nil>")
		return
	}
	if id := CertID(c); id != "" {
		b.WriteString(id)
		return
	}
	b.WriteString("<no serial>")
}

// writeCertIDs writes the certIds of cs as [id id ...].
func writeCertIDs(b *strings.Builder, cs []*x509.Certificate) {
	b.WriteString("[")
	for i, c := range cs {
		if i > 0 {
			b.WriteString(" ")
		}
		writeCertID(b, c)
	}
	b.WriteString("]")
}
