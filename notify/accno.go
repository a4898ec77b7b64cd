package notify

import (
	"errors"
	"fmt"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/pan"
)

// ErrNoAccNo reports a notification without an accNo field: UnionPay sends
// the card number only to merchants with that permission.
var ErrNoAccNo = errors.New("notify: notification has no accNo")

// DecryptAccNo returns the card number of the notification. UnionPay
// encrypts accNo to the merchant's signing certificate when the merchant has
// the sensitive-information permission; d must then hold the matching
// private key (from cert.PFX.Decrypter). An accNo that is already plain
// (digits and '*', as UnionPay masks it) is returned as it is, and d may be
// nil.
//
// A plaintext that is not a card number (12 to 19 digits and '*', or a
// masked one of 10 or 11, ******0018, as a 12- or 13-digit card is masked)
// is taken for another key's ciphertext, as one d does not decrypt: d's
// previous keys are tried ([cert.Decrypter.WithPrevious], the PFX's before
// a renewal), and if none gives a card number the error is a
// *[cert.DecryptError], which says nothing more of why.
//
// UnionPay usually masks the number before encrypting it
// (6216***********0018); if the result is a full card number, the caller
// must not log it (see MaskPAN).
func (n *Notification) DecryptAccNo(d *cert.Decrypter) (string, error) {
	switch {
	case n.AccNo == "":
		return "", ErrNoAccNo
	case pan.Plain(n.AccNo):
		return n.AccNo, nil
	case d == nil:
		return "", errors.New("notify: accNo is encrypted and no decrypter was given")
	}
	s, err := d.DecryptValid(n.AccNo, pan.Plausible)
	if err != nil {
		return "", fmt.Errorf("notify: decrypting accNo: %w", err)
	}
	return s, nil
}

// MaskPAN masks a card number for logs and messages as UnionPay's
// settlement files do: the first six and the last four digits of one of 16
// or more, six stars between them whatever the length (6216261000000000018
// becomes 621626******0018), and six stars and the last four of one of 11
// to 15, so that at least six digits are always hidden (with fewer, the
// check digit would give a number away) and the length of a card number is
// not told. A value of ten characters or fewer is hidden whole, as "***",
// telling neither its digits nor its length, but for a short card already
// masked (******0018), which is left as it is; so is "". A value that is not
// ASCII (a card number is digits) is hidden whole too, as "***". It is the
// rule by which the whole module masks card numbers (the requests' and
// answers' log forms, sign.Fields.Masked), and masking twice changes nothing.
func MaskPAN(s string) string { return pan.Mask(s) }
