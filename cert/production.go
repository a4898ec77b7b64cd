package cert

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
)

// UnionPay's production RSA PKI, as its demo package ships it (acp_prod_root.cer, CFCA CS CA;
// acp_prod_middle.cer, CFCA OCA1): the SHA-256 of each one's SubjectPublicKeyInfo, which a
// certificate re-issued with the same key keeps, and each one's subject key identifier, which the
// certificates they issue name as their authority key identifier.
const (
	prodRootKeySHA256   = "09a05b51dbdd7138d17fc5085a7dcea38ce7098b129972ecd1893cc46d05f1e3"
	prodMiddleKeySHA256 = "6e890b0e0e26213afa17c6b3daf16e855bfda4d83db688bd95d2c0c21eb2b29e"
	prodRootKeyID       = "5869c9d5dd14b313a0713c7c038d03e63d0f8e01"
	prodMiddleKeyID     = "d1dbe98882e5dd1a8f4caa008cbe7cf2ab1bf6d9"
)

// IsProduction reports whether c belongs to UnionPay's production PKI (RSA): c has the key of
// UnionPay's production root (acp_prod_root.cer, O=CFCA CS CA) or middle (acp_prod_middle.cer,
// O=CFCA OCA1), or names one of them as its issuer by authority key identifier, as UnionPay's
// production signing and encryption certificates do. The test environment's (CFCA TEST CS CA,
// CFCA TEST OCA1 and what they issue) and a fake gateway's are not, nor is any SM2 certificate
// (UnionPay's production SM2 chain is not known here). A nil c reports false.
//
// It is a signal that a configuration is meant for production, independent of the URLs it sends
// to (an egress proxy's, say), not a trust decision: it checks no signature. [NewVerifier]
// refuses [PublicTestSecureKey] with such a certificate; unionpay.NewClient and
// unionpay.LoadJavaConfig use it too.
func IsProduction(c *x509.Certificate) bool {
	if c == nil {
		return false
	}
	sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	switch hex.EncodeToString(sum[:]) {
	case prodRootKeySHA256, prodMiddleKeySHA256:
		return true
	}
	if len(c.AuthorityKeyId) == 0 {
		return false
	}
	for _, id := range [...]string{prodRootKeyID, prodMiddleKeyID} {
		if want, err := hex.DecodeString(id); err == nil && bytes.Equal(c.AuthorityKeyId, want) {
			return true
		}
	}
	return false
}

// checkPublicKeyInProduction refuses [PublicTestSecureKey] in a cfg that trusts UnionPay's
// production PKI ([IsProduction]): a Verifier so configured is meant for production, where anyone
// could sign a message it accepts. The error names the fields, never the key.
func checkPublicKeyInProduction(cfg *VerifierConfig) error {
	field := productionField(cfg)
	if field == "" {
		return nil
	}
	return fmt.Errorf("cert: VerifierConfig.SecureKey is UnionPay's public test secure key, and VerifierConfig.%s "+
		"is UnionPay's production PKI: anyone could sign a message this Verifier accepts; use the key "+
		"UnionPay issued for production", field)
}

// productionField names the first field of cfg holding a certificate of UnionPay's production PKI,
// or "".
func productionField(cfg *VerifierConfig) string {
	for _, f := range [...]struct {
		name string
		c    *x509.Certificate
	}{{"Root", cfg.Root}, {"Middle", cfg.Middle}, {"NextRoot", cfg.NextRoot}, {"NextMiddle", cfg.NextMiddle}} {
		if IsProduction(f.c) {
			return f.name
		}
	}
	for i, c := range cfg.LegacyCerts {
		if IsProduction(c) {
			return fmt.Sprintf("LegacyCerts[%d]", i)
		}
	}
	return ""
}
