package unionpaytest

import (
	"fmt"
	"time"
)

// nextRotation counts one more rotation and returns the count, which numbers the serials of
// the certificates it issues. Callers hold s.rotMu.
func (s *Server) nextRotation() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rotations++
	return int64(s.rotations)
}

// signingSet is a signing identity with the faulty certificates of its key.
type signingSet struct {
	signing, expired, wrongName identity
}

// newSigning generates a signing key and certifies it under middle, with the certificates of
// FaultExpiredCert and FaultWrongName, the n-th rotation's. Callers hold s.rotMu.
func (s *Server) newSigning(middle *identity, n int64) (signingSet, error) {
	var set signingSet
	var err error
	if set.signing, err = s.pki.newLeaf(middle, serialSigningRotated+n, SigningCN, n); err != nil {
		return signingSet{}, err
	}
	set.expired, set.wrongName, err = s.pki.faulty(set.signing.key, middle, serialExpiredRotated+n, serialWrongNameRotated+n)
	if err != nil {
		return signingSet{}, err
	}
	return set, nil
}

// sm2SigningSet is the SM2 counterpart of signingSet.
type sm2SigningSet struct {
	signing, expired, wrongName sm2Identity
}

// newSM2Signing is newSigning for the SM2 PKI of a server started WithSM2.
func (s *Server) newSM2Signing(middle *sm2Identity, n int64) (sm2SigningSet, error) {
	var set sm2SigningSet
	var err error
	from := s.pki.rotatedAt(n).Add(-24 * time.Hour)
	if set.signing, err = issueSM2(middle, nil, serialSM2SigningRotated+n, leafName(SigningCN), false, from, 5); err != nil {
		return sm2SigningSet{}, err
	}
	set.expired, set.wrongName, err = sm2Faulty(middle, set.signing.key, serialSM2ExpiredRotated+n, serialSM2WrongNameRotated+n, s.pki.now)
	if err != nil {
		return sm2SigningSet{}, err
	}
	return set, nil
}

// swapSigning makes set (and sm2Set on a server started WithSM2) the signing identities,
// keeping the signing certificates they replace for VerifierConfig's 5.0.0 lists. Callers hold
// s.mu.
func (s *Server) swapSigning(set signingSet, sm2Set sm2SigningSet) {
	s.pki.retired = append(s.pki.retired, s.pki.signing.cert)
	s.pki.signing, s.pki.expired, s.pki.wrongName = set.signing, set.expired, set.wrongName
	if s.sm2 != nil {
		s.sm2.retired = append(s.sm2.retired, s.sm2.signing.cert)
		s.sm2.signing, s.sm2.expired, s.sm2.wrongName = sm2Set.signing, sm2Set.expired, sm2Set.wrongName
	}
}

// RotateSigningCert renews the gateway's response-signing certificate, as UnionPay does before
// one expires: a new key and a new serial (certId) under the same middle and root, and on a
// server started WithSM2 its SM2 signing certificate too. Answers and notifications are signed
// with the new certificate from then on (a notification already sent is sent again as it was);
// [Server.SigningCertificate] and [Server.SigningPEM] return it.
//
// With version 5.1.0 the certificate travels in signPubKeyCert and is checked against the root
// and middle, so a merchant's verifier built before the rotation accepts it: nothing to do. With
// 5.0.0 a message names its certificate by certId only, and such a verifier refuses it
// (cert.ErrNoCertificate; a unionpay.Client reads the answer as unverified, pending for a call
// that moves money) until the merchant adds the new certificate to its LegacyCerts:
// [Server.VerifierConfig] lists it, with the ones it replaced. The keys are generated, not taken
// from [WithKeys]. Like every certificate a rotation issues, the new ones are dated from the
// server's start, whatever its clock reads, a second later a rotation: newer than the ones they
// replace, as UnionPay's are. Nothing changes if it fails.
func (s *Server) RotateSigningCert() error {
	s.rotMu.Lock()
	defer s.rotMu.Unlock()
	n := s.nextRotation()
	set, err := s.newSigning(&s.pki.middle, n)
	if err != nil {
		return err
	}
	var sm2Set sm2SigningSet
	if s.sm2 != nil {
		if sm2Set, err = s.newSM2Signing(&s.sm2.middle, n); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.swapSigning(set, sm2Set)
	return nil
}

// RotateRoot switches the gateway to a new root and middle certificate, as UnionPay does every
// few years: it generates the new chain (new keys and names) and issues under it new signing and
// encryption certificates (new keys), and on a server started WithSM2 does the same for its SM2
// chain. Answers and notifications are signed under the new chain from then on (a notification
// already sent is sent again as it was), txnType 95 hands out the new encryption certificate,
// and a field encrypted for a previous one still decrypts. [Server.RootPEM], [Server.MiddlePEM],
// [Server.SigningCertificate], [Server.EncryptionCertificate] and [Server.VerifierConfig] return
// the new ones; the merchant's own certificate ([Server.MerchantPFX]) is not UnionPay's and stays
// as it was issued.
//
// A merchant must have configured the new root and middle beforehand, as VerifierConfig.NextRoot
// and NextMiddle (NextSM2Root and NextSM2Middle; the fake makes its new chain when it switches:
// read it then from RootPEM and MiddlePEM, or SM2RootCertificate and SM2MiddleCertificate). Until
// then its verifier refuses every 5.1.0 message: a *cert.InvalidError whose Reason is
// cert.UnknownAuthority (5.0.0: cert.ErrNoCertificate, as after RotateSigningCert). A
// unionpay.Client reads such an answer as unverified (unionpay.ErrUnverified; for a call that
// moves money a *unionpay.PendingError: query the transaction once the trust is fixed), and a
// notify.Handler answers 400, so the gateway sends again. The new certificates are dated a
// second after the ones they replace, as [Server.RotateSigningCert]'s. Nothing changes if it
// fails.
func (s *Server) RotateRoot() error {
	s.rotMu.Lock()
	defer s.rotMu.Unlock()
	n := s.nextRotation()
	p := s.pki
	root, err := p.newCA(nil, serialRootRotated+n, fmt.Sprintf("unionpaytest Root CA %d", n), n)
	if err != nil {
		return err
	}
	middle, err := p.newCA(&root, serialMiddleRotated+n, fmt.Sprintf("unionpaytest OCA%d", n), n)
	if err != nil {
		return err
	}
	set, err := s.newSigning(&middle, n)
	if err != nil {
		return err
	}
	enc, err := p.newLeaf(&middle, serialRotated+n, EncryptionCN, n)
	if err != nil {
		return err
	}
	var sm2Root, sm2Middle, sm2Enc sm2Identity
	var sm2Set sm2SigningSet
	if s.sm2 != nil {
		from := p.rotatedAt(n).Add(-24 * time.Hour)
		if sm2Root, err = issueSM2(nil, nil, serialSM2RootRotated+n, caName(fmt.Sprintf("unionpaytest SM2 Root CA %d", n)), true, from, 10); err != nil {
			return err
		}
		if sm2Middle, err = issueSM2(&sm2Root, nil, serialSM2MiddleRotated+n, caName(fmt.Sprintf("unionpaytest SM2 OCA%d", n)), true, from, 10); err != nil {
			return err
		}
		if sm2Set, err = s.newSM2Signing(&sm2Middle, n); err != nil {
			return err
		}
		if sm2Enc, err = issueSM2(&sm2Middle, nil, serialSM2Rotated+n, leafName(EncryptionCN), false, from, 5); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p.root, p.middle = root, middle
	p.encryption = enc
	s.encKeys[certID(enc.cert)] = enc.key
	if s.sm2 != nil {
		s.sm2.root, s.sm2.middle = sm2Root, sm2Middle
		s.sm2.encryption = sm2Enc
		s.sm2.encKeys[certID(sm2Enc.cert)] = sm2Enc.key
	}
	s.swapSigning(set, sm2Set)
	return nil
}
