package cert

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// A shrouded key bag after a certificate bag in the same plain SafeContents
// is found (a walk that stopped at the first bag that is not a key would
// miss it); the DER is built by hand: no encoder writes that order.
func TestWalkPFXIterationsKeyBagAfterCertBag(t *testing.T) {
	t.Parallel()
	oid := func(b *cryptobyte.Builder, der string) {
		b.AddASN1(cbasn1.OBJECT_IDENTIFIER, func(b *cryptobyte.Builder) { b.AddBytes([]byte(der)) })
	}
	explicit0 := func(b *cryptobyte.Builder, f cryptobyte.BuilderContinuation) { b.AddASN1(tagExplicit0, f) }
	octets := func(b *cryptobyte.Builder, f cryptobyte.BuilderContinuation) { b.AddASN1(cbasn1.OCTET_STRING, f) }
	seq := func(b *cryptobyte.Builder, f cryptobyte.BuilderContinuation) { b.AddASN1(cbasn1.SEQUENCE, f) }
	const certBag = "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x0a\x01\x03" // 1.2.840.113549.1.12.10.1.3
	const pbe3DES = "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x01\x03"     // pbeWithSHAAnd3-KeyTripleDES-CBC
	const x509Cert = "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x16\x01"    // 1.2.840.113549.1.9.22.1
	bags := func(b *cryptobyte.Builder) {
		seq(b, func(b *cryptobyte.Builder) { // certBag
			oid(b, certBag)
			explicit0(b, func(b *cryptobyte.Builder) {
				seq(b, func(b *cryptobyte.Builder) {
					oid(b, x509Cert)
					explicit0(b, func(b *cryptobyte.Builder) { octets(b, func(b *cryptobyte.Builder) { b.AddBytes([]byte{1}) }) })
				})
			})
		})
		seq(b, func(b *cryptobyte.Builder) { // pkcs8ShroudedKeyBag
			oid(b, oidShroudedKeyBag)
			explicit0(b, func(b *cryptobyte.Builder) {
				seq(b, func(b *cryptobyte.Builder) {
					seq(b, func(b *cryptobyte.Builder) {
						oid(b, pbe3DES)
						seq(b, func(b *cryptobyte.Builder) {
							octets(b, func(b *cryptobyte.Builder) { b.AddBytes(make([]byte, 8)) })
							b.AddASN1Int64(maxPFXIterations + 1)
						})
					})
					octets(b, func(b *cryptobyte.Builder) { b.AddBytes(make([]byte, 16)) })
				})
			})
		})
	}
	var b cryptobyte.Builder
	seq(&b, func(b *cryptobyte.Builder) { // PFX
		b.AddASN1Int64(3)
		seq(b, func(b *cryptobyte.Builder) { // authSafe
			oid(b, oidData)
			explicit0(b, func(b *cryptobyte.Builder) {
				octets(b, func(b *cryptobyte.Builder) {
					seq(b, func(b *cryptobyte.Builder) { // AuthenticatedSafe
						seq(b, func(b *cryptobyte.Builder) {
							oid(b, oidData)
							explicit0(b, func(b *cryptobyte.Builder) {
								octets(b, func(b *cryptobyte.Builder) { seq(b, bags) })
							})
						})
					})
				})
			})
		})
	})
	der, err := b.Bytes()
	require.NoError(t, err)
	var got []string
	require.NoError(t, walkPFXIterations(der, func(what string, n []byte) error {
		got = append(got, what+" "+new(big.Int).SetBytes(n).String())
		return nil
	}))
	assert.Equal(t, []string{"shrouded key bag 1000001"}, got)
	require.ErrorIs(t, checkPFXIterations(der), ErrPFXIterations)
}
