package cert

import (
	"cmp"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"maps"
	"slices"
	"time"
)

// Role says what the SDK relies on a certificate for, in an [Expiry].
type Role string

// Roles of the certificates an [Expiry] describes. The RSA and SM2 (国密)
// certificates of one role share it; [Expiry.Algorithm] tells them apart.
const (
	// RoleSigning is the merchant's own signing certificate, from its PFX
	// or .sm2 file: UnionPay refuses requests signed under it once it has
	// expired.
	RoleSigning Role = "signing (merchant)"
	// RoleEncryption is UnionPay's encryption certificate, which encrypts
	// card data ([Encrypter]; txnType 95 replaces it).
	RoleEncryption Role = "encryption (UnionPay)"
	// RoleRoot and RoleMiddle are the chain that validates UnionPay's
	// signing certificates (VerifierConfig.Root and Middle, SM2Root and
	// SM2Middle).
	RoleRoot   Role = "root"
	RoleMiddle Role = "middle"
	// RoleNextRoot and RoleNextMiddle are the chain configured for a root
	// switch (VerifierConfig.NextRoot and NextMiddle, NextSM2Root and
	// NextSM2Middle).
	RoleNextRoot   Role = "next root"
	RoleNextMiddle Role = "next middle"
	// RoleLegacySigning is a UnionPay signing certificate configured by
	// certId for version 5.0.0 (VerifierConfig.LegacyCerts, SM2Certs).
	RoleLegacySigning Role = "UnionPay signing (5.0.0)"
	// RoleSeenSigning is the newest UnionPay signing certificate a Verifier
	// has validated from a 5.1.0 message's signPubKeyCert (the latest
	// NotBefore; of several issued together, the one validated last):
	// UnionPay renews it before it expires, so one close to its end that is
	// still the newest seen means that messages are still signed under it. A
	// message under the certificate it replaced, validated later (a
	// notification sent before the switch and sent again), does not bring the
	// older one back.
	RoleSeenSigning Role = "UnionPay signing (newest seen)"
)

// Algorithms of an [Expiry]: the certificate's public key.
const (
	AlgorithmRSA = "RSA"
	AlgorithmSM2 = "SM2"
)

// Expiry describes one certificate the SDK relies on and when it is valid:
// what a health check or a monitoring job needs to warn before a
// certificate expires and payments stop. It holds no key and no reference to
// the certificate, so it can be logged, compared and marshalled as it is.
//
// [Verifier.Expiries], [Encrypter.Expiries], [PFX.Expiries] and
// [SM2Credential.Expiries] list the certificates each relies on;
// [ExpiringBefore] picks those that expire before a time.
type Expiry struct {
	// Role is what the certificate is relied on for.
	Role Role `json:"role"`
	// Algorithm is the certificate's key: [AlgorithmRSA] or [AlgorithmSM2]
	// (another key's x509.PublicKeyAlgorithm name, which the SDK does not
	// use).
	Algorithm string `json:"algorithm"`
	// CertID is the certificate's serial number in decimal, as UnionPay
	// writes it (the certId, encryptCertId).
	CertID string `json:"certId"`
	// Subject is the common name of the certificate's subject.
	Subject string `json:"subject"`
	// NotBefore and NotAfter bound the certificate's validity: it is valid
	// from NotBefore to NotAfter, both included.
	NotBefore time.Time `json:"notBefore"`
	NotAfter  time.Time `json:"notAfter"`
}

// NewExpiry describes c in role, for a certificate the SDK does not hold
// itself (a signing certificate kept with an HSM's key, say). If c is nil it
// returns an Expiry with role alone, whose zero NotAfter [ExpiringBefore]
// reads as expired.
func NewExpiry(role Role, c *x509.Certificate) Expiry {
	if c == nil {
		return Expiry{Role: role}
	}
	return Expiry{Role: role, Algorithm: algorithm(c), CertID: CertID(c), Subject: c.Subject.CommonName,
		NotBefore: c.NotBefore, NotAfter: c.NotAfter}
}

// algorithm names c's key.
func algorithm(c *x509.Certificate) string {
	switch {
	case isSM2Certificate(c):
		return AlgorithmSM2
	case isRSA(c):
		return AlgorithmRSA
	}
	return c.PublicKeyAlgorithm.String()
}

func isRSA(c *x509.Certificate) bool {
	_, ok := c.PublicKey.(*rsa.PublicKey)
	return ok
}

// ValidAt reports whether t lies within the validity period, as the
// Verifier checks it: NotBefore and NotAfter included.
func (e Expiry) ValidAt(t time.Time) bool {
	return !t.Before(e.NotBefore) && !t.After(e.NotAfter)
}

// String describes e in one line, times in UTC, for a log or a warning:
//
//	middle RSA certId 117... CN "CFCA TEST OCA1" valid 2012-08-30T03:14:33Z to 2031-05-11T03:14:33Z
func (e Expiry) String() string {
	return fmt.Sprintf("%s %s certId %s CN %q valid %s to %s", e.Role, e.Algorithm, e.CertID, e.Subject,
		e.NotBefore.UTC().Format(time.RFC3339), e.NotAfter.UTC().Format(time.RFC3339))
}

// ExpiringBefore returns the certificates of list that are no longer valid
// at t because they expire before it (NotAfter before t), those already
// expired included, soonest first; nil if there is none. A certificate not
// yet valid at t is not among them unless it expires before t too. list is
// not modified.
//
// A health check passes its clock's time plus a margin:
//
//	soon := cert.ExpiringBefore(v.Expiries(), now.Add(30*24*time.Hour))
func ExpiringBefore(list []Expiry, t time.Time) []Expiry {
	var out []Expiry
	for _, e := range list {
		if t.After(e.NotAfter) {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b Expiry) int { return a.NotAfter.Compare(b.NotAfter) })
	return out
}

// Expiries lists the certificates v relies on, each once, in this order:
// for RSA then SM2, the root, middle, next root and next middle, and the
// 5.0.0 certificates by certId (in the order of their certIds); then the
// newest UnionPay signing certificates it has validated from a 5.1.0
// message's signPubKeyCert, RSA then SM2 (RoleSeenSigning; none until one
// was). It does no I/O and is safe to call while v verifies messages. A nil
// or zero Verifier relies on none: nil.
func (v *Verifier) Expiries() []Expiry {
	if v.Check() != nil {
		return nil
	}
	var out []Expiry
	out = appendChain(out, v.chain)
	for _, id := range sortedIDs(v.legacy) {
		out = append(out, NewExpiry(RoleLegacySigning, v.legacy[id].cert))
	}
	if v.sm2 != nil {
		out = appendChain(out, v.sm2.chain)
		for _, id := range sortedIDs(v.sm2.legacy) {
			out = append(out, NewExpiry(RoleLegacySigning, v.sm2.legacy[id]))
		}
	}
	if last := v.cache.last(); last != nil {
		out = append(out, NewExpiry(RoleSeenSigning, last.cert))
	}
	if v.sm2 != nil && v.sm2.cache != nil {
		if last := v.sm2.cache.last(); last != nil {
			out = append(out, NewExpiry(RoleSeenSigning, last.cert))
		}
	}
	return out
}

// appendChain appends the root and middle of ch and of its next chain, if
// ch is not nil.
func appendChain(out []Expiry, ch *chain) []Expiry {
	if ch == nil {
		return out
	}
	out = append(out, NewExpiry(RoleRoot, ch.root), NewExpiry(RoleMiddle, ch.middle))
	if ch.next != nil {
		out = append(out, NewExpiry(RoleNextRoot, ch.next.root), NewExpiry(RoleNextMiddle, ch.next.middle))
	}
	return out
}

// sortedIDs returns the certIds of m in numeric order (decimal serials
// without leading zeros: shorter first, then lexically).
func sortedIDs[T any](m map[string]T) []string {
	return slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
	})
}

// Expiries describes the encryption certificate (RoleEncryption); nil if e
// is not usable (see [Encrypter.Check]).
func (e *Encrypter) Expiries() []Expiry {
	if e.Check() != nil {
		return nil
	}
	return []Expiry{NewExpiry(RoleEncryption, e.cert)}
}

// Expiries describes the merchant's signing certificate, p.Certificate
// (RoleSigning); nil for a nil *PFX or one without a certificate. The
// file's other certificates (CACerts) are not listed: the SDK does not rely
// on them.
func (p *PFX) Expiries() []Expiry {
	if p == nil || p.Certificate == nil {
		return nil
	}
	return []Expiry{NewExpiry(RoleSigning, p.Certificate)}
}

// Expiries describes the merchant's SM2 signing certificate, c.Certificate
// (RoleSigning); nil for a nil *SM2Credential or one without a certificate.
func (c *SM2Credential) Expiries() []Expiry {
	if c == nil || c.Certificate == nil {
		return nil
	}
	return []Expiry{NewExpiry(RoleSigning, c.Certificate)}
}
