// Package sm2der converts a signMethod 21 signature, r || s, into the ASN.1 form gmsm verifies:
// one conversion for package sign, which verifies a string to sign held whole, and package cert,
// which hashes a large one in pieces.
package sm2der

import (
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SignatureSize is the length of a signMethod 21 signature before base64: r and s, each
// left-padded to 32 bytes.
const SignatureSize = 64

// FromRaw converts r || s (two equal halves) into the ASN.1 form gmsm verifies. Zero values are
// encoded as such and then rejected by gmsm.
func FromRaw(raw []byte) []byte {
	half := len(raw) / 2
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		addUnsigned(b, raw[:half])
		addUnsigned(b, raw[half:])
	})
	der, _ := b.Bytes() // cannot fail: the lengths are small and fixed
	return der
}

// addUnsigned adds the unsigned big-endian integer v as an ASN.1 INTEGER.
func addUnsigned(b *cryptobyte.Builder, v []byte) {
	b.AddASN1(cbasn1.INTEGER, func(b *cryptobyte.Builder) {
		for len(v) > 1 && v[0] == 0 {
			v = v[1:]
		}
		if v[0]&0x80 != 0 {
			b.AddUint8(0)
		}
		b.AddBytes(v)
	})
}
