// Package cert loads the certificates and keys of UnionPay's full-channel
// (全渠道, ACP) merchant API and uses them: it validates UnionPay's signing
// certificates, verifies received messages, and encrypts and decrypts
// sensitive fields.
//
// A merchant typically loads its signing file once with [LoadPFXFile] and
// builds one [Verifier] with [NewVerifier]; [PFX.Signer] and the Verifier
// then go into the Signer and Verifier of package unionpay's Config, and an
// [Encrypter] ([NewEncrypter] over UnionPay's encryption certificate) into its
// Encrypter when card data is sent. A wrong password is [ErrPassword]; a
// certificate the Verifier does not trust is an [*InvalidError]. The
// examples of [LoadPFXFile] and [Verifier.Verify] show each step, and that
// of package unionpay's NewClient the whole setup.
//
// # Keys and certificates
//
// [LoadPFX] and [LoadPFXFile] open the merchant's PKCS#12 signing file
// (including the legacy 3DES/RC2 encodings and files holding several
// certificates); [PFX.Signer] gives the signer for package sign and
// [PFX.CertID] the certId. [ParseCertificate] and [LoadCertificateFile] read
// PEM or DER certificates such as UnionPay's .cer files; [CertID] is a
// certificate's serial number in decimal. For monitoring, [Verifier.Expiries],
// [Encrypter.Expiries], [PFX.Expiries] and [SM2Credential.Expiries] describe
// the certificates each relies on ([Expiry]), and [ExpiringBefore] picks those
// to warn about.
//
// # Verifying messages
//
// A [Verifier] is configured with what the merchant trusts ([VerifierConfig]):
// UnionPay's root and middle certificates for 5.1.0 messages, whose signing
// certificate travels in signPubKeyCert; certificates by certId for the
// legacy 5.0.0 messages; a secure key for signMethod 11 and 12. A message
// asking for a method that is not configured is refused ([ErrMethod]), so a
// forged message cannot downgrade verification.
//
// UnionPay's chain is signed with SHA-1, which crypto/x509's Verify refuses,
// so the chain is walked here: the signing certificate must be issued by the
// configured middle certificate, itself issued by the configured root, both
// CAs; all three must be valid at the verifier's time (injectable, for tests
// with UnionPay's expired test certificates); the signing certificate's key
// usage must allow signatures, and the third '@'-separated field of its
// common name must be 中国银联股份有限公司. Failures are an [*InvalidError]
// with a [Reason]. Validated certificates are cached by their bytes
// (VerifierConfig.CacheSize of them, the oldest evicted first) and reused
// only while they are valid. A certificate has one entry, under the text it
// came with last: the same certificate written with other white space does
// not take a second one.
//
// # 国密 (SM2)
//
// Merchants on UnionPay's national-cryptography track sign with signMethod
// 21. [LoadSM2] and [LoadSM2File] open the CFCA .sm2 signing file (password
// protected, SM4 under an SM3-derived key); [SM2Credential.Signer] gives the
// signer and [SM2Credential.Decrypter] the decrypter. [ParseCertificate]
// reads SM2 certificates too ([ParseSM2Certificate] insists on one).
// [VerifierConfig] enables SM2 verification with SM2Root and SM2Middle
// (5.1.0) or SM2Certs (5.0.0); the chain is checked with SM2-with-SM3
// certificate signatures, and nothing else. An [Encrypter] over an SM2
// encryption certificate encrypts as 04||X||Y||C3||C2, plaintexts of 8 bytes
// or more only: gmsm, which does the work, redraws k after overwriting its
// copy of the public point when the KDF output is all zero (one chance in
// 2^(8n) for n bytes), so that such a ciphertext decrypts under no key; from
// 8 bytes, which UnionPay's encrypted fields all have, the chance is 2^-64.
// Signatures, the .sm2 file, ciphertexts and customerInfo are checked
// against UnionPay's gm SDK's own output (testdata/gmlive).
//
// # Sensitive data
//
// An [Encrypter] holds UnionPay's encryption certificate: it encrypts accNo
// and other fields, builds the ISO 9564 PIN block ([PINBlock]) and the
// customerInfo field, and reports the encryptCertId. A [Decrypter] holds the
// merchant's key and decrypts what UnionPay returns encrypted;
// [ParseCustomerInfo] reads a returned customerInfo.
//
// Errors never contain keys, passwords, PINs or card numbers.
package cert
