package cert

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// For a 5.1.0 SM2 message the SM2 user ID is the decimal serial of the
// signPubKeyCert certificate, as in UnionPay's gm SDK,
// never the message's certId field: a signature made with the certId field
// as user ID, where it differs from the serial, is refused, and one made
// with the serial verifies whatever certId says (the certificate, not the
// field, is reported). C39 of the mutation review.
func TestSM2UserIDIsCertificateSerial(t *testing.T) {
	t.Parallel()
	ch := newSM2TestChain(t, "UID", nil)
	serial := CertID(ch.leaf.cert)
	const otherID = "69629716832" // the certId of another SM2 certificate (testdata/sm2)
	require.NotEqual(t, serial, otherID)

	tests := []struct {
		name    string
		certID  string // the message's certId field; "" to leave it out
		userID  string // the SM2 user ID the signature is made with
		wantErr bool
	}{
		{"certId is the serial", serial, serial, false},
		{"certId differs, signed with the serial", otherID, serial, false},
		{"no certId, signed with the serial", "", serial, false},
		{"certId differs, signed with certId", otherID, otherID, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v, err := NewVerifier(VerifierConfig{SM2Root: ch.root.cert, SM2Middle: ch.middle.cert, Now: fixedNow(sm2TestNow)})
			require.NoError(t, err)
			f := sm2Response(t, ch.leaf, sign.Version510)
			delete(f, sign.FieldCertID)
			if tt.certID != "" {
				f[sign.FieldCertID] = tt.certID
			}
			canonical, err := sign.Canonical(f)
			require.NoError(t, err)
			s, err := sign.NewSM2Signer(ch.leaf.key, tt.userID) // signs with its certID as user ID
			require.NoError(t, err)
			f[sign.FieldSignature], err = s.Sign(sign.Version510, canonical)
			require.NoError(t, err)

			signed, err := v.Verify(f)
			if tt.wantErr {
				require.ErrorIs(t, err, sign.ErrSignature)
				assert.Nil(t, signed)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, serial, signed.CertID)
			assert.True(t, ch.leaf.cert.Equal(signed.Certificate), "the signPubKeyCert certificate is reported")
		})
	}
}
