// Package sign implements the message layer of UnionPay's full-channel
// (全渠道, ACP) API: the canonical string-to-sign, UnionPay's raw
// synchronous-response format, form encoding, and the signature methods.
//
// Every UnionPay message is a flat set of key=value fields ([Fields]). The
// string to sign is every field except "signature", sorted by key in byte
// order and joined as "k=v&k=v" with raw (unescaped) values, in the charset
// named by the message's "encoding" field ([Canonical]).
//
// [Sign] signs an outgoing request in place with a [Signer] (after [Prepare]),
// and [Encode] form-encodes it; [ParseRaw] reads UnionPay's raw synchronous
// answers and [ParseForm] the form bodies it posts to backUrl and frontUrl.
// Failures are typed: a signature that does not match is an error matching
// [ErrSignature], a message that cannot be parsed one matching [ErrMalformed].
// The examples of [Canonical], [ParseRaw], [RSASigner] and [SecureKeySigner]
// run as written.
//
// Four signature methods exist (the signMethod field):
//
//   - 01, certificate RSA: for version 5.1.0 the signature is
//     base64(RSASSA-PKCS1-v1_5-SHA256(hex(SHA-256(S)))); for 5.0.0 (and the
//     older 5.0.1 and 1.0.0) the same with SHA-1. See [RSASigner] and
//     [VerifyRSA].
//   - 11 and 12, secure key (对称密钥): the signature is
//     hex(H(S + "&" + hex(H(key)))) with H = SHA-256 (11) or SM3 (12). See
//     [SecureKeySigner] and [VerifySecureKey].
//   - 21, SM2 certificate (国密): SM3withSM2 over hex(SM3(S)) with the
//     signer's certId as the SM2 user ID, base64 of the raw 64-byte r||s.
//     See [SM2Signer] and [VerifySM2].
//
// Which methods a merchant accepts from UnionPay is a trust decision made by
// the cert package's Verifier; this package only computes and checks
// signatures. It does no I/O and keeps no global state: the only value that
// remembers anything between calls is a [ValueCache] the caller creates.
// Every function is safe for concurrent use.
package sign
