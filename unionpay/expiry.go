package unionpay

import (
	"crypto/x509"
	"time"

	"github.com/goacp/unionpay/cert"
)

// Expiries lists the certificates the client relies on, for a health check or a monitoring job
// that warns before one expires, in this order:
//   - the merchant's signing certificate, when Config.Signer holds it: the signers that
//     [cert.PFX.Signer] and [cert.SM2Credential.Signer] return do, and
//     [sign.RSASigner.WithCertificate] gives one to a signer made otherwise (a key in an HSM); a
//     Signer of another type lists none;
//   - UnionPay's encryption certificate in use: the one [Client.UpdateEncryptionCertificate] last
//     swapped in, read atomically as the swap writes it (none without Config.Encrypter);
//   - Config.Verifier's, as [cert.Verifier.Expiries] lists them: the roots and middles, next
//     chains included, the 5.0.0 certificates configured by certId, and the newest UnionPay
//     signing certificates it has validated (one UnionPay has replaced, validated after its
//     successor, a notification from before the switch sent again, does not replace it). The
//     encryption certificate in use is not listed again among the 5.0.0 ones when LegacyCerts
//     holds it too (a 5.0.0 verify-cert directory often does, see [LoadJavaConfig]): UnionPay
//     signs nothing with it, and a health check would alert twice for one certificate.
//
// UnionPay's 5.1.0 signing certificate comes in each message, not in the configuration: it is
// listed once the Verifier has validated it in a message (an answer to this client, or a
// notification when notify shares the Verifier: the certificate's chain and name, whether or not
// that message's signature then held), not at start-up; a health check that must see
// it runs after the first call (a query does). A 5.0.0 certificate stays listed as long as it is
// in the Verifier's LegacyCerts, expired or not: drop one from the configuration once its
// successor is in use, or a monitor alerting on [Client.ExpiringWithin] alerts every day.
//
// It does no I/O, holds no lock a call waits on, and is safe while the client sends; the zero
// Client relies on none: nil. [Client.ExpiringWithin], or [cert.ExpiringBefore], picks the ones
// to warn about.
func (c *Client) Expiries() []cert.Expiry {
	if c.usable() != nil {
		return nil
	}
	var out []cert.Expiry
	if s, ok := c.cfg.Signer.(certified); ok {
		if sc := s.Certificate(); sc != nil {
			out = append(out, cert.NewExpiry(cert.RoleSigning, sc))
		}
	}
	enc := c.encrypter.Load().Expiries() // a nil *Encrypter lists none
	out = append(out, enc...)
	for _, e := range c.cfg.Verifier.Expiries() {
		if e.Role == cert.RoleLegacySigning && len(enc) == 1 && sameCertificate(e, enc[0]) {
			continue // listed as the encryption certificate it is
		}
		out = append(out, e)
	}
	return out
}

// sameCertificate reports whether a and b describe one certificate, whatever their roles: same
// key algorithm, certId (serial), subject and validity.
func sameCertificate(a, b cert.Expiry) bool {
	return a.Algorithm == b.Algorithm && a.CertID == b.CertID && a.Subject == b.Subject &&
		a.NotBefore.Equal(b.NotBefore) && a.NotAfter.Equal(b.NotAfter)
}

// certified is a signer that holds its certificate (sign.RSASigner, sign.SM2Signer).
type certified interface{ Certificate() *x509.Certificate }

// ExpiringWithin returns the certificates of [Client.Expiries] that expire within d of the time
// Config.Now reads (those already expired included), soonest first, as [cert.ExpiringBefore]
// does; nil if none. A health check calls it with its warning margin (30 days, say) and alerts on
// a non-empty result. The zero Client, and a Config.Now reading the zero time or a year of other
// than four digits, are a *[ConfigError].
func (c *Client) ExpiringWithin(d time.Duration) ([]cert.Expiry, error) {
	if err := c.usable(); err != nil {
		return nil, err
	}
	now := c.cfg.Now()
	if err := c.checkClock(now); err != nil {
		return nil, err
	}
	return cert.ExpiringBefore(c.Expiries(), now.Add(d)), nil
}
