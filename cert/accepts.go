package cert

import (
	"fmt"

	"github.com/goacp/unionpay/sign"
)

// Accepts reports whether v could verify a message signed with signMethod
// method and version version, without any I/O and without a message: nil
// if the configuration enables that method for that version, otherwise an
// error matching [ErrMethod], the error [Verifier.Verify] returns for such a
// message. A client can thus refuse, up front, a configuration whose answers
// could never be verified:
//
//   - 01 with version 5.1.0 needs Root and Middle; with 5.0.0, 5.0.1 or
//     1.0.0, LegacyCerts; other versions are refused;
//   - 11 and 12 need SecureKey (and the method in SecureKeyMethods, when
//     set), with version 5.1.0 or 5.0.0 (a 6.0.0 message is another
//     product's); other versions are refused;
//   - 21 with version 5.1.0 needs SM2Root and SM2Middle; with 5.0.0 or
//     5.0.1, SM2Certs; other versions are refused;
//   - an empty method means 01 for versions 5.0.1 and 1.0.0 (as in Verify
//     and the official SDK), and is refused otherwise (Verify reports such a
//     message as missing its signMethod, [ErrMissingField], instead); any
//     other method is refused.
//
// A nil or zero Verifier accepts nothing. A nil result does not mean that a
// given message will verify: its certificate, certId and signature are
// checked only by Verify.
func (v *Verifier) Accepts(method, version string) error {
	if err := v.Check(); err != nil {
		return err
	}
	if method == "" && (version == "5.0.1" || version == "1.0.0") {
		method = sign.MethodRSA // these versions are RSA without saying so, in the official SDK too
	}
	switch method {
	case sign.MethodRSA:
		return v.acceptsRSA(version)
	case sign.MethodSHA256Key, sign.MethodSM3Key:
		if v.secureKeys[method] == nil {
			return fmt.Errorf("%w: secure-key signMethod %s", ErrMethod, method)
		}
		if version != sign.Version510 && version != sign.Version500 {
			return fmt.Errorf("%w: secure-key signMethod %s with version %q", ErrMethod, method, quotedID(version))
		}
		return nil
	case sign.MethodSM2:
		return v.sm2.accepts(version)
	case "":
		return fmt.Errorf("%w: no signMethod with version %q", ErrMethod, quotedID(version))
	default:
		return fmt.Errorf("%w: signMethod %q", ErrMethod, quotedID(method))
	}
}

// acceptsRSA is Accepts for signMethod 01.
func (v *Verifier) acceptsRSA(version string) error {
	switch version {
	case sign.Version510:
		if v.chain == nil {
			return fmt.Errorf("%w: version 5.1.0 signMethod 01 (no Root and Middle configured)", ErrMethod)
		}
	case sign.Version500, "5.0.1", "1.0.0":
		if v.legacy == nil {
			return fmt.Errorf("%w: version %s signMethod 01 (no LegacyCerts configured)", ErrMethod, version)
		}
	default:
		return fmt.Errorf("%w: signMethod 01 with version %q", ErrMethod, quotedID(version))
	}
	return nil
}

// accepts is Accepts for signMethod 21; t may be nil (no SM2 configured).
func (t *sm2Trust) accepts(version string) error {
	if t == nil {
		return fmt.Errorf("%w: signMethod 21 (no SM2Root and SM2Middle, nor SM2Certs, configured)", ErrMethod)
	}
	switch version {
	case sign.Version510:
		if t.chain == nil {
			return fmt.Errorf("%w: version 5.1.0 signMethod 21 (no SM2Root and SM2Middle configured)", ErrMethod)
		}
	case sign.Version500, "5.0.1":
		if t.legacy == nil {
			return fmt.Errorf("%w: version %s signMethod 21 (no SM2Certs configured)", ErrMethod, version)
		}
	default:
		return fmt.Errorf("%w: signMethod 21 with version %q", ErrMethod, quotedID(version))
	}
	return nil
}
