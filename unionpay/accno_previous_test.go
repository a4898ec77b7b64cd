package unionpay_test

import (
	"crypto"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// garbageDecrypter "decrypts" any ciphertext into bytes that are no card number, as the wrong RSA
// key does for about one ciphertext in 50,000 to 100,000, whose padding happens to check.
type garbageDecrypter struct{ crypto.Decrypter }

func (garbageDecrypter) Decrypt(io.Reader, []byte, crypto.DecrypterOpts) ([]byte, error) {
	return []byte("\x8f\x01garbage"), nil
}

// TestDecryptAccNoWithPreviousKey: on a renewal day, a client on the new PFX whose
// Config.Decrypter holds the old key as a previous one (cert.Decrypter.WithPrevious; NewClient
// takes it next to the new Signer) decrypts the accNo of an order signed under the old PFX, also
// when the new key lets that ciphertext through as garbage; with the new key alone it is a
// *cert.DecryptError.
func TestDecryptAccNoWithPreviousKey(t *testing.T) {
	newKey, newCert := renewedMerchant(t, time.Now().AddDate(-1, 0, 0), time.Now().AddDate(2, 0, 0))
	e := newE2E(t, unionpaytest.WithMerchantCertificates(newCert))
	form, err := e.c.FrontConsume(e.consumeReq(e.order("OLD"), 1000))
	require.NoError(t, err)
	tx := e.paid(t, form) // queried by the client on the old PFX
	require.NotEmpty(t, tx.AccNo)
	old, err := cert.NewDecrypter(e.srv.MerchantKey())
	require.NoError(t, err)

	for name, key := range map[string]crypto.Decrypter{"new key": newKey, "new key letting garbage through": garbageDecrypter{newKey}} {
		cur, err := cert.NewDecrypter(key)
		require.NoError(t, err)
		both, err := cur.WithPrevious(old)
		require.NoError(t, err)
		for _, d := range []*cert.Decrypter{cur, both} {
			c := e.client(t, func(c *unionpay.Config) {
				s, err := sign.NewRSASigner(newKey, cert.CertID(newCert))
				require.NoError(t, err)
				c.Signer, c.Decrypter = s, d
			})
			pan, err := c.DecryptAccNo(tx)
			if d == cur {
				var de *cert.DecryptError
				require.ErrorAs(t, err, &de, "%s alone", name)
				assert.Contains(t, err.Error(), "unionpay: decrypting accNo of "+form.OrderID+": ")
				continue
			}
			require.NoError(t, err, name)
			assert.Equal(t, "6216***********0018", pan, name)
		}
	}
}
