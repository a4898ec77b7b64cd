package cert

import (
	"crypto/x509"
	"errors"
)

// UnionPay's root and middle certificates are replaced from time to time. A
// Verifier trusts one chain for each algorithm, and optionally the chain
// UnionPay announces it is moving to (VerifierConfig.NextRoot and NextMiddle,
// NextSM2Root and NextSM2Middle): a signing certificate the first chain's
// middle did not issue is checked against the next one, so that messages
// signed under either verify through the switch.

// setNextChains adds cfg's next chains to v's chains, which must be
// configured: both certificates of a pair or neither, and a pair that
// newChain (newSM2Chain) accepts.
func (v *Verifier) setNextChains(cfg *VerifierConfig) error {
	if cfg.NextRoot != nil || cfg.NextMiddle != nil {
		if cfg.NextRoot == nil || cfg.NextMiddle == nil || v.chain == nil {
			return errors.New("cert: VerifierConfig.NextRoot and NextMiddle go together, and with Root and Middle")
		}
		next, err := newChain(cfg.NextRoot, cfg.NextMiddle)
		if err != nil {
			return withContext(err, chainField(err, cfg.NextRoot, cfg.NextMiddle, "NextRoot", "NextMiddle"))
		}
		v.chain.next = next
	}
	if root, middle := cfg.NextSM2Root, cfg.NextSM2Middle; root != nil || middle != nil {
		if root == nil || middle == nil || v.sm2 == nil || v.sm2.chain == nil {
			return errors.New("cert: VerifierConfig.NextSM2Root and NextSM2Middle go together, and with SM2Root and SM2Middle")
		}
		next, err := newSM2Chain(root, middle)
		if err != nil {
			return withContext(err, chainField(err, root, middle, "NextSM2Root", "NextSM2Middle"))
		}
		v.sm2.chain.next = next
	}
	return nil
}

// chainCerts returns the middle and root of v's chain for the algorithm (sm2
// or RSA), the next chain's (nil if none), and the VerifierConfig field
// names' prefix for the first; the chain must be configured.
func (v *Verifier) chainCerts(sm2 bool) (middle, root, nextMiddle, nextRoot *x509.Certificate, field string) {
	ch, field := v.chain, "VerifierConfig."
	if sm2 {
		ch, field = v.sm2.chain, "VerifierConfig.SM2"
	}
	if ch.next != nil {
		nextMiddle, nextRoot = ch.next.middle, ch.next.root
	}
	return ch.middle, ch.root, nextMiddle, nextRoot, field
}
