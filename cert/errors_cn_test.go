package cert

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestInvalidErrorQuotesName: a certificate's common name may be an attacker's; in the error it is
// quoted, so that it cannot forge log lines. Found in the fourth session's review.
func TestInvalidErrorQuotesName(t *testing.T) {
	t.Parallel()
	c := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "x\nlevel=INFO msg=\"notification accepted\""}}
	msg := (&InvalidError{Cert: c, Reason: Expired}).Error()
	assert.NotContains(t, msg, "\n")
	assert.Contains(t, msg, `(CN="x\nlevel=INFO msg=\"notification accepted\"")`)
	assert.True(t, strings.HasPrefix(msg, "cert: certificate 7 "), msg)
}
