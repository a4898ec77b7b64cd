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

// UnionPay's test environment RSA PKI (acp_test_root.cer, CFCA TEST CS CA; acp_test_middle.cer,
// CFCA TEST OCA1), as prodRootKeySHA256 and the rest are of production.
const (
	testRootKeySHA256   = "1d3c5b95c48fef7460e629f885c8caf04d7371abff8fb06f20f976663a2e0c92"
	testMiddleKeySHA256 = "8a344829f62c23830e74a0d95bff4b38f21b71ec6afb19734558a925fbfa8be7"
	testRootKeyID       = "74dec58d0a7d101aaa69835b4d21ce869bcc7138"
	testMiddleKeyID     = "cf709d61eb9d7c2eb8f7cb0240f7099dfe337480"
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
	return ofPKI(c, [...]string{prodRootKeySHA256, prodMiddleKeySHA256}, [...]string{prodRootKeyID, prodMiddleKeyID})
}

// IsTestEnvironment reports whether c belongs to UnionPay's test environment PKI (RSA), as
// [IsProduction] tells production's: c has the key of the test root (acp_test_root.cer, CFCA TEST
// CS CA) or middle (acp_test_middle.cer, CFCA TEST OCA1), or names one of them as its issuer
// (the public test PFX, acp_test_enc.cer, the test signing certificates). A nil c reports false.
// A signal, not a trust decision: unionpay.LoadJavaConfig refuses such a root, middle or
// encryption certificate with UnionPay's production URLs, where every answer would fail.
func IsTestEnvironment(c *x509.Certificate) bool {
	return ofPKI(c, [...]string{testRootKeySHA256, testMiddleKeySHA256}, [...]string{testRootKeyID, testMiddleKeyID})
}

// ofPKI reports whether c has one of the keys whose SubjectPublicKeyInfo's SHA-256 is in
// keySHA256 (a certificate re-issued with the same key keeps it), or names one of the key
// identifiers in keyIDs as its authority key identifier (what those keys issued).
func ofPKI(c *x509.Certificate, keySHA256, keyIDs [2]string) bool {
	if c == nil {
		return false
	}
	sum := sha256.Sum256(c.RawSubjectPublicKeyInfo)
	if h := hex.EncodeToString(sum[:]); h == keySHA256[0] || h == keySHA256[1] {
		return true
	}
	if len(c.AuthorityKeyId) == 0 {
		return false
	}
	for _, id := range keyIDs {
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

// checkTestOwnerInProduction refuses AcceptTestOwner in a cfg whose chain (Root, Middle, NextRoot,
// NextMiddle) is UnionPay's production PKI ([IsProduction]): that middle also issues merchants'
// certificates, and only the owner name tells UnionPay's signing certificate from theirs, so a
// second accepted owner widens what verifies, where no test certificate can come.
func checkTestOwnerInProduction(cfg *VerifierConfig) error {
	if !cfg.AcceptTestOwner {
		return nil
	}
	for _, f := range [...]struct {
		name string
		c    *x509.Certificate
	}{{"Root", cfg.Root}, {"Middle", cfg.Middle}, {"NextRoot", cfg.NextRoot}, {"NextMiddle", cfg.NextMiddle}} {
		if IsProduction(f.c) {
			return fmt.Errorf("cert: VerifierConfig.AcceptTestOwner is set, and VerifierConfig.%s is UnionPay's "+
				"production PKI, whose messages the test owner name never signs: leave AcceptTestOwner false in production", f.name)
		}
	}
	return nil
}

// Trusts reports whether v trusts a certificate for which match reports true: its Root, Middle,
// NextRoot, NextMiddle, a certificate of LegacyCerts, or their SM2 counterparts. With
// [IsProduction] or [IsTestEnvironment] it tells which of UnionPay's environments v was
// configured for (unionpay.NewClient compares it with its Endpoints). A nil or zero Verifier, or
// a nil match, reports false.
func (v *Verifier) Trusts(match func(*x509.Certificate) bool) bool {
	if v == nil || match == nil {
		return false
	}
	for _, c := range []*chain{v.chain, v.sm2Chain()} {
		for ; c != nil; c = c.next {
			if match(c.root) || match(c.middle) {
				return true
			}
		}
	}
	for _, l := range v.legacy {
		if match(l.cert) {
			return true
		}
	}
	if v.sm2 != nil {
		for _, c := range v.sm2.legacy {
			if match(c) {
				return true
			}
		}
	}
	return false
}

// sm2Chain is v's SM2 chain, or nil.
func (v *Verifier) sm2Chain() *chain {
	if v.sm2 == nil {
		return nil
	}
	return v.sm2.chain
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
