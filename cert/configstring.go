package cert

import (
	"crypto/x509"
	"log/slog"
	"strconv"
	"strings"
)

// String describes c without its secret: the secure key is shown as
// <redacted> (or <none>), never as bytes, so a VerifierConfig can be logged
// with %v or %+v, or through log/slog (see LogValue), like a [Verifier].
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

// LogValue implements slog.LogValuer: String, for every handler (the JSON
// handler could not encode the config's Now func otherwise).
func (c VerifierConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

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
