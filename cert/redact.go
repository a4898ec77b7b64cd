package cert

import (
	"crypto/x509"
	"encoding/json"
	"log/slog"
	"strings"
)

// credentialView is what a [PFX] or [SM2Credential] shows when printed,
// logged or encoded as JSON: its certificates by certId, and whether there
// is a key, never the key itself.
type credentialView struct {
	Key         string   // "(redacted)" or "(none)"
	Certificate string   // certId, "(none)" or "(no serial)"
	CACerts     []string // certIds; PFX only
}

// String returns "cert.<typ>{Key:... Certificate:... CACerts:[...]}".
func (v credentialView) String(typ string, withCACerts bool) string {
	var b strings.Builder
	b.WriteString("cert.")
	b.WriteString(typ)
	b.WriteString("{Key:")
	b.WriteString(v.Key)
	b.WriteString(" Certificate:")
	b.WriteString(v.Certificate)
	if withCACerts {
		b.WriteString(" CACerts:[")
		b.WriteString(strings.Join(v.CACerts, " "))
		b.WriteString("]")
	}
	b.WriteString("}")
	return b.String()
}

// logValue returns v as an slog group.
func (v credentialView) logValue(withCACerts bool) slog.Value {
	attrs := []slog.Attr{slog.String("Key", v.Key), slog.String("Certificate", v.Certificate)}
	if withCACerts {
		attrs = append(attrs, slog.Any("CACerts", v.CACerts))
	}
	return slog.GroupValue(attrs...)
}

// redactedKey says whether there is a key, without showing it. No angle
// brackets: encoding/json would escape them.
func redactedKey(present bool) string {
	if present {
		return "(redacted)"
	}
	return "(none)"
}

// certIDText returns c's certId, "(none)" or "(no serial)".
func certIDText(c *x509.Certificate) string {
	switch {
	case c == nil:
		return "(none)"
	case c.SerialNumber == nil:
		return "(no serial)"
	}
	return CertID(c)
}

func (p PFX) view() credentialView {
	v := credentialView{Key: redactedKey(p.Key != nil && !isNil(p.Key)), Certificate: certIDText(p.Certificate),
		CACerts: make([]string, len(p.CACerts))}
	for i, c := range p.CACerts {
		v.CACerts[i] = certIDText(c)
	}
	return v
}

// String describes p without its private key: the key is shown as
// "(redacted)" (or "(none)"), certificates by certId (decimal serial number), so
// a PFX can be printed with %v, %+v or %s.
func (p PFX) String() string { return p.view().String("PFX", true) }

// GoString is String, so that %#v does not print the private key either.
func (p PFX) GoString() string { return p.String() }

// MarshalJSON encodes what String shows, as an object with the fields Key
// ("(redacted)" or "(none)"), Certificate (certId) and CACerts (certIds):
// json.Marshal, and log/slog's JSON handler, never see the private key.
func (p PFX) MarshalJSON() ([]byte, error) { return json.Marshal(p.view()) }

// LogValue implements slog.LogValuer with the fields of MarshalJSON.
func (p PFX) LogValue() slog.Value { return p.view().logValue(true) }

func (c SM2Credential) view() credentialView {
	return credentialView{Key: redactedKey(c.Key != nil), Certificate: certIDText(c.Certificate)}
}

// String describes c without its private key: the key is shown as
// "(redacted)" (or "(none)"), the certificate by certId, so an SM2Credential can
// be printed with %v, %+v or %s.
func (c SM2Credential) String() string { return c.view().String("SM2Credential", false) }

// GoString is String, so that %#v does not print the private key either.
func (c SM2Credential) GoString() string { return c.String() }

// MarshalJSON encodes what String shows, as an object with the fields Key
// ("(redacted)" or "(none)") and Certificate (certId): json.Marshal, and
// log/slog's JSON handler, never see the private key.
func (c SM2Credential) MarshalJSON() ([]byte, error) {
	v := c.view()
	return json.Marshal(struct{ Key, Certificate string }{v.Key, v.Certificate})
}

// LogValue implements slog.LogValuer with the fields of MarshalJSON.
func (c SM2Credential) LogValue() slog.Value { return c.view().logValue(false) }
