package cert

import (
	"crypto/x509"
	"fmt"
	"slices"
	"time"

	"github.com/goacp/unionpay/sign"
)

// The checks a client makes of a Verifier's trust up front, before it sends
// anything whose answer the Verifier could not take.

// CheckLegacyValidity reports whether v holds, for signMethod method (01 or
// 21), a 5.0.0 signing certificate (LegacyCerts, SM2Certs) valid at its
// time: nil, or an [*InvalidError] saying none is, for the certificate that
// becomes valid next (NotYetValid) or, if none will, the one that expired
// last (Expired). With none, every 5.0.0 message of that
// method fails verification; a client checks it up front, since its answers
// would fail after the money moved. A nil or zero Verifier gives [ErrMethod];
// one without such certificates, an error matching [ErrNoCertificate].
func (v *Verifier) CheckLegacyValidity(method string) error {
	return v.CheckLegacyValidityExcept(method)
}

// CheckLegacyValidityExcept is [Verifier.CheckLegacyValidity] not counting
// the certificates in except (compared by their bytes; nil entries are
// ignored). A client passes UnionPay's encryption certificate: a 5.0.0
// verify-cert directory often holds it too (one directory of all of
// UnionPay's files, every .cer file of which the Java SDK and
// unionpay.LoadJavaConfig load), and it may be valid after the signing
// certificate has expired, but UnionPay does not sign its messages with it,
// so it alone would hide that every 5.0.0 answer is going to fail
// verification.
func (v *Verifier) CheckLegacyValidityExcept(method string, except ...*x509.Certificate) error {
	if err := v.Check(); err != nil {
		return err
	}
	var certs []*x509.Certificate
	add := func(c *x509.Certificate) {
		if !slices.ContainsFunc(except, func(e *x509.Certificate) bool { return e != nil && e.Equal(c) }) {
			certs = append(certs, c)
		}
	}
	switch method {
	case sign.MethodRSA:
		for _, c := range v.legacy {
			add(c.cert)
		}
	case sign.MethodSM2:
		if v.sm2 != nil {
			for _, c := range v.sm2.legacy {
				add(c)
			}
		}
	}
	if len(certs) == 0 {
		if len(except) > 0 {
			return fmt.Errorf("%w: none for signMethod %q but the certificates excepted (UnionPay's encryption "+
				"certificate): configure UnionPay's signing certificate", ErrNoCertificate, quotedID(method))
		}
		return fmt.Errorf("%w: none for signMethod %q", ErrNoCertificate, quotedID(method))
	}
	now := v.now()
	var notYet, expired *x509.Certificate // the next to become valid, the last to expire
	for _, c := range certs {
		switch {
		case now.Before(c.NotBefore):
			if notYet == nil || c.NotBefore.Before(notYet.NotBefore) {
				notYet = c
			}
		case now.After(c.NotAfter):
			if expired == nil || c.NotAfter.After(expired.NotAfter) {
				expired = c
			}
		default:
			return nil
		}
	}
	const format = "no 5.0.0 signing certificate for signMethod %s is valid at %s: configure UnionPay's current one"
	at := now.UTC().Format(time.RFC3339)
	if notYet != nil { // a rotation made too early, or a clock wrong: the certificate coming next
		return invalid(notYet, NotYetValid, nil, format+" (certificate %s is valid from %s)", method, at,
			CertID(notYet), notYet.NotBefore.UTC().Format(time.RFC3339))
	}
	return invalid(expired, Expired, nil, format+" (certificate %s expired %s)", method, at,
		CertID(expired), expired.NotAfter.UTC().Format(time.RFC3339))
}

// CheckEncryptionTrust reports whether v can validate UnionPay's encryption
// certificates (see [Verifier.ValidateEncryptionCertificate]) of an SM2
// merchant (sm2 true) or an RSA one: nil, or an error matching [ErrNoChain]
// naming the VerifierConfig fields to set ([ErrMethod] for a nil or zero
// Verifier). A client checks it before asking UnionPay for a new encryption
// certificate (txnType 95), which a 5.0.0 configuration (LegacyCerts only)
// cannot validate.
func (v *Verifier) CheckEncryptionTrust(sm2 bool) error {
	if err := v.Check(); err != nil {
		return err
	}
	return v.needChain(sm2)
}

// needChain returns an error matching [ErrNoChain], naming the VerifierConfig fields to set, if v
// has no chain to validate certificates of the algorithm (SM2 if sm2, else RSA).
func (v *Verifier) needChain(sm2 bool) error {
	switch {
	case sm2 && (v.sm2 == nil || v.sm2.chain == nil):
		return errNoSM2Chain()
	case !sm2 && v.chain == nil:
		return fmt.Errorf("%w: set VerifierConfig.Root and Middle to validate RSA certificates", ErrNoChain)
	}
	return nil
}

// errNoSM2Chain is needChain's error for SM2, which an sm2Trust without a chain returns too.
func errNoSM2Chain() error {
	return fmt.Errorf("%w: set VerifierConfig.SM2Root and SM2Middle to validate SM2 certificates", ErrNoChain)
}

// CheckChainValidity reports whether the chain v validates UnionPay's 5.1.0
// certificates with (Root and Middle for RSA, SM2Root and SM2Middle for SM2,
// as sm2 says) is valid at v's time: nil, or an [*InvalidError] (Expired or
// NotYetValid) naming the VerifierConfig field of the certificate that is not
// (the middle checked first). With a next chain configured (NextRoot and
// NextMiddle, NextSM2Root and NextSM2Middle), one of the two valid is enough.
// Outside that time every message UnionPay signs fails verification; a
// client checks it up front, since its answers would fail after the money
// moved. A Verifier without that chain gives an error matching [ErrNoChain]
// ([ErrMethod] for a nil or zero one).
func (v *Verifier) CheckChainValidity(sm2 bool) error {
	if err := v.Check(); err != nil {
		return err
	}
	if err := v.needChain(sm2); err != nil {
		return err
	}
	middle, root, nextMiddle, nextRoot, field := v.chainCerts(sm2)
	now := v.now()
	err := withContext(checkValidity(middle, now), field+"Middle")
	if err == nil {
		err = withContext(checkValidity(root, now), field+"Root")
	}
	if err != nil && nextMiddle != nil && checkValidity(nextMiddle, now) == nil && checkValidity(nextRoot, now) == nil {
		return nil // UnionPay's next chain is valid
	}
	return err
}
