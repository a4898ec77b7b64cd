package cert

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// maxPFXIterations is the largest iteration count LoadPFX lets a PKCS#12
// file state for one of its key derivations. go-pkcs12 runs every derivation
// with the count the file states, without bound and without a way to stop
// it: 2^31-1 iterations keep LoadPFX busy for about an hour. Real files use
// far less: OpenSSL 3 writes 2048 by default, Java's keytool 10,000 (before
// JDK 12, 50,000 and 100,000 for the MAC), UnionPay's test files 2000;
// OWASP's advice for PBKDF2 is 600,000, and Java's own PKCS#12 reader
// refuses counts above 5,000,000. A file at the limit loads in about half a
// second (0.4 s with OpenSSL's AES defaults, 0.6 s with -legacy, on the
// development machine); a file states several counts (MAC, encrypted data,
// key bag), each of which may cost a few derivations, so a hostile file
// within the limit can still cost a few seconds, not an hour.
const maxPFXIterations = 1_000_000

// ErrPFXIterations is matched by LoadPFX's error for a PKCS#12 file that
// states an iteration count below 1 or above the limit (1,000,000) for its
// MAC, its encrypted data or its shrouded key bag. The file is refused
// before any key derivation runs. The error's message names the count.
var ErrPFXIterations = errors.New("cert: PFX iteration count out of range")

// pfxIterationsError reports an iteration count out of range: which one and
// its value.
type pfxIterationsError struct {
	what  string // "MAC", "encrypted data" or "shrouded key bag"
	count int64  // the count, when it fits in an int64
	size  int    // otherwise the length in bytes of its INTEGER
	above bool   // above maxPFXIterations; otherwise below 1
}

func (e *pfxIterationsError) Error() string {
	count := fmt.Sprint(e.count)
	if e.size > 0 {
		count = fmt.Sprintf("(a %d-byte INTEGER)", e.size)
	}
	if e.above {
		return fmt.Sprintf("cert: PFX %s iteration count %s is above %d", e.what, count, maxPFXIterations)
	}
	return fmt.Sprintf("cert: PFX %s iteration count %s is below 1", e.what, count)
}

// Is makes the error match ErrPFXIterations.
func (e *pfxIterationsError) Is(target error) bool { return target == ErrPFXIterations }

// DER encodings of the object identifiers the walk looks for, compared as
// bytes: encoding/asn1, which go-pkcs12 uses, accepts only the minimal
// encoding of an OID, so the bytes are the OID.
const (
	oidData            = "\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01"         // 1.2.840.113549.1.7.1
	oidEncryptedData   = "\x2a\x86\x48\x86\xf7\x0d\x01\x07\x06"         // 1.2.840.113549.1.7.6
	oidShroudedKeyBag  = "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x0a\x01\x02" // 1.2.840.113549.1.12.10.1.2
	oidPKCS12PBEPrefix = "\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x01"         // 1.2.840.113549.1.12.1, then .x
	oidPBES2           = "\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0d"         // 1.2.840.113549.1.5.13
	oidPBKDF2          = "\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0c"         // 1.2.840.113549.1.5.12
	oidPBMAC1          = "\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0e"         // 1.2.840.113549.1.5.14
)

const (
	tagExplicit0        = asn1.Tag(0xa0) // [0] EXPLICIT: context-specific, constructed, number 0
	highTagNumberMarker = 0x1f           // low five bits of a first identifier octet of the high-tag-number form
)

// checkPFXIterations returns a *pfxIterationsError for the first iteration
// count of a PKCS#12 file that is out of range; see walkPFXIterations.
func checkPFXIterations(data []byte) error {
	return walkPFXIterations(data, checkCount)
}

// pfxVisit is called with each iteration count the walk finds: what names
// it, n holds the contents of its INTEGER. A non-nil error ends the walk.
type pfxVisit func(what string, n []byte) error

// walkPFXIterations walks the DER structure of a PKCS#12 file the way
// go-pkcs12 reads it and calls visit with each iteration count: the MAC's,
// which go-pkcs12 uses first, then those of the encrypted data and of the
// shrouded key bags, in file order (RFC 7292):
//
//	PFX ::= SEQUENCE { version INTEGER, authSafe ContentInfo, macData MacData OPTIONAL }
//	MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }
//	authSafe: data ContentInfo, [0] EXPLICIT OCTET STRING holding
//	AuthenticatedSafe ::= SEQUENCE OF ContentInfo (data or encryptedData)
//
// The walk is a limit, not a parser: wherever the structure is not what it
// expects it returns nil and leaves the file to go-pkcs12, which reports its
// own error, so it can never refuse a file go-pkcs12 reads, except for a
// count out of range. It reads only the elements go-pkcs12 needs, as
// leniently as encoding/asn1 does (trailing elements inside a SEQUENCE are
// skipped; the authSafe content may have any tag).
//
// Bags inside encrypted data cannot be seen before decryption. Their
// decryption costs what the encrypted data's count allows, which is checked;
// but a shrouded key bag inside encrypted data (OpenSSL, Java and go-pkcs12
// put the key bag in plain data) is decrypted with its own count, which this
// walk cannot check: that is the remaining gap. Closing it would take
// decrypting the data here (PKCS#12 PBE with RC2 and 3DES, PBES2), twice the
// work of every load. Only the MAC's derivation runs before the password is
// known to be right; every later count, that one included, is reached only
// by a file whose MAC verifies with the caller's password.
func walkPFXIterations(data []byte, visit pfxVisit) error {
	in := cryptobyte.String(data)
	var pfx, authSafe cryptobyte.String
	if !in.ReadASN1(&pfx, asn1.SEQUENCE) || !pfx.SkipASN1(asn1.INTEGER) || !pfx.ReadASN1(&authSafe, asn1.SEQUENCE) {
		return nil
	}
	// go-pkcs12 verifies the MAC before anything is decrypted.
	var macData cryptobyte.String
	if pfx.ReadASN1(&macData, asn1.SEQUENCE) {
		if err := walkMacData(macData, visit); err != nil {
			return err
		}
	}
	var oid, explicit cryptobyte.String
	if !authSafe.ReadASN1(&oid, asn1.OBJECT_IDENTIFIER) || string(oid) != oidData ||
		!authSafe.ReadASN1(&explicit, tagExplicit0) {
		return nil
	}
	content, ok := anyContents(explicit)
	var safes cryptobyte.String
	if !ok || !content.ReadASN1(&safes, asn1.SEQUENCE) {
		return nil
	}
	for !safes.Empty() {
		var ci cryptobyte.String
		if !safes.ReadASN1(&ci, asn1.SEQUENCE) {
			return nil
		}
		if err := walkContentInfo(ci, visit); err != nil {
			return err
		}
	}
	return nil
}

// walkMacData walks the contents of a MacData. With PBMAC1 (RFC 9579) the
// PBKDF2 parameters sit in the MAC algorithm's parameters, and MacData's own
// macSalt and iterations are ignored ("NOT USED" and 1 in RFC 9579's
// examples; go-pkcs12's Modern2026 writes an empty salt and 0): go-pkcs12
// ignores them, and so does this walk, to refuse no file it reads.
func walkMacData(mac cryptobyte.String, visit pfxVisit) error {
	var digestInfo, alg, oid cryptobyte.String
	if !mac.ReadASN1(&digestInfo, asn1.SEQUENCE) || !digestInfo.ReadASN1(&alg, asn1.SEQUENCE) ||
		!alg.ReadASN1(&oid, asn1.OBJECT_IDENTIFIER) {
		return nil
	}
	if string(oid) == oidPBMAC1 {
		// PBMAC1-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, messageAuthScheme AlgorithmIdentifier }
		var params, kdf cryptobyte.String
		if !alg.ReadASN1(&params, asn1.SEQUENCE) || !params.ReadASN1(&kdf, asn1.SEQUENCE) {
			return nil
		}
		return walkPBKDF2(kdf, "MAC", visit)
	}
	if !mac.SkipASN1(asn1.OCTET_STRING) || !mac.PeekASN1Tag(asn1.INTEGER) {
		return nil // no salt (go-pkcs12 fails), or iterations left to its DEFAULT 1
	}
	return readCount(&mac, "MAC", visit)
}

// walkContentInfo walks one ContentInfo of the AuthenticatedSafe:
//
//	data: [0] EXPLICIT OCTET STRING holding SafeContents ::= SEQUENCE OF SafeBag
//	encryptedData: [0] EXPLICIT SEQUENCE { version INTEGER, EncryptedContentInfo SEQUENCE {
//		contentType OID, contentEncryptionAlgorithm AlgorithmIdentifier, [0] IMPLICIT encryptedContent } }
func walkContentInfo(ci cryptobyte.String, visit pfxVisit) error {
	var oid, explicit cryptobyte.String
	if !ci.ReadASN1(&oid, asn1.OBJECT_IDENTIFIER) || !ci.ReadASN1(&explicit, tagExplicit0) {
		return nil
	}
	switch string(oid) {
	case oidData:
		var contents, bags cryptobyte.String
		if !explicit.ReadASN1(&contents, asn1.OCTET_STRING) || !contents.ReadASN1(&bags, asn1.SEQUENCE) {
			return nil
		}
		return walkSafeBags(bags, visit)
	case oidEncryptedData:
		var ed, eci, alg cryptobyte.String
		if !explicit.ReadASN1(&ed, asn1.SEQUENCE) || !ed.SkipASN1(asn1.INTEGER) ||
			!ed.ReadASN1(&eci, asn1.SEQUENCE) || !eci.SkipASN1(asn1.OBJECT_IDENTIFIER) ||
			!eci.ReadASN1(&alg, asn1.SEQUENCE) {
			return nil
		}
		// The bags inside are encrypted: see walkPFXIterations.
		return walkAlgorithm(alg, "encrypted data", visit)
	}
	return nil
}

// walkSafeBags visits the shrouded key bags among bags, the contents of a
// SafeContents: SafeBag ::= SEQUENCE { bagId OID, [0] EXPLICIT bagValue,
// attributes SET OPTIONAL }, where a pkcs8ShroudedKeyBag's value is
// EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }.
// Other bags (certificates, plain keys) derive no key.
func walkSafeBags(bags cryptobyte.String, visit pfxVisit) error {
	for !bags.Empty() {
		var bag, oid, value cryptobyte.String
		if !bags.ReadASN1(&bag, asn1.SEQUENCE) || !bag.ReadASN1(&oid, asn1.OBJECT_IDENTIFIER) ||
			!bag.ReadASN1(&value, tagExplicit0) {
			return nil
		}
		if string(oid) != oidShroudedKeyBag {
			continue
		}
		var info, alg cryptobyte.String
		if !value.ReadASN1(&info, asn1.SEQUENCE) || !info.ReadASN1(&alg, asn1.SEQUENCE) {
			return nil
		}
		if err := walkAlgorithm(alg, "shrouded key bag", visit); err != nil {
			return err
		}
	}
	return nil
}

// walkAlgorithm walks the contents of the AlgorithmIdentifier of a
// password-based encryption: PKCS#12 PBE (1.2.840.113549.1.12.1.x, 3DES and
// RC2), whose parameters are SEQUENCE { salt OCTET STRING, iterations
// INTEGER }, or PBES2, whose parameters are SEQUENCE { keyDerivationFunc
// AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier }. Other
// algorithms are go-pkcs12's to refuse.
func walkAlgorithm(alg cryptobyte.String, what string, visit pfxVisit) error {
	var oid, params cryptobyte.String
	if !alg.ReadASN1(&oid, asn1.OBJECT_IDENTIFIER) || !alg.ReadASN1(&params, asn1.SEQUENCE) {
		return nil
	}
	switch {
	case len(oid) == len(oidPKCS12PBEPrefix)+1 && string(oid[:len(oidPKCS12PBEPrefix)]) == oidPKCS12PBEPrefix:
		if !params.SkipASN1(asn1.OCTET_STRING) {
			return nil
		}
		return readCount(&params, what, visit)
	case string(oid) == oidPBES2:
		var kdf cryptobyte.String
		if !params.ReadASN1(&kdf, asn1.SEQUENCE) {
			return nil
		}
		return walkPBKDF2(kdf, what, visit)
	}
	return nil
}

// walkPBKDF2 walks the contents of a key derivation AlgorithmIdentifier
// if it is PBKDF2, the only one go-pkcs12 runs: PBKDF2-params ::= SEQUENCE {
// salt CHOICE { OCTET STRING, AlgorithmIdentifier }, iterationCount INTEGER,
// keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }.
func walkPBKDF2(kdf cryptobyte.String, what string, visit pfxVisit) error {
	var oid, params, salt cryptobyte.String
	if !kdf.ReadASN1(&oid, asn1.OBJECT_IDENTIFIER) || string(oid) != oidPBKDF2 ||
		!kdf.ReadASN1(&params, asn1.SEQUENCE) || !params.ReadAnyASN1(&salt, nil) {
		return nil
	}
	return readCount(&params, what, visit)
}

// readCount reads an INTEGER iteration count from s and visits it; an
// element that is not an INTEGER go-pkcs12 could read is skipped.
func readCount(s *cryptobyte.String, what string, visit pfxVisit) error {
	var n cryptobyte.String
	if !s.ReadASN1(&n, asn1.INTEGER) || len(n) == 0 {
		return nil
	}
	return visit(what, n)
}

// checkCount checks the range of an iteration count, given the contents of
// its INTEGER (two's complement, big-endian, not empty). The value is
// computed from the bytes, so that no encoding can overflow: one that does
// not fit in an int64 is far out of range. Redundant leading octets (a
// non-minimal encoding, which go-pkcs12 refuses anyway) are skipped.
func checkCount(what string, n []byte) error {
	negative := n[0]&0x80 != 0
	b := n
	for len(b) > 1 && (b[0] == 0x00 && b[1]&0x80 == 0 || b[0] == 0xff && b[1]&0x80 != 0) {
		b = b[1:]
	}
	if len(b) > 8 {
		return &pfxIterationsError{what: what, size: len(n), above: !negative}
	}
	var v int64
	if negative {
		v = -1
	}
	for _, c := range b {
		v = v<<8 | int64(c)
	}
	if v < 1 || v > maxPFXIterations {
		return &pfxIterationsError{what: what, count: v, above: v > maxPFXIterations}
	}
	return nil
}

// anyContents returns the contents of the element that begins b, whatever
// its tag: go-pkcs12 reads the authSafe's content as an asn1.RawValue, so
// it need not be an OCTET STRING, and encoding/asn1 also reads the
// high-tag-number form, which cryptobyte does not; for that form the
// identifier octets are replaced, on a copy, by a one-octet tag.
func anyContents(b []byte) (cryptobyte.String, bool) {
	if len(b) > 0 && b[0]&highTagNumberMarker == highTagNumberMarker {
		i := 1
		for i < len(b) && b[i]&0x80 != 0 {
			i++
		}
		if i >= len(b) {
			return nil, false
		}
		b = append([]byte{byte(asn1.OCTET_STRING)}, b[i+1:]...)
	}
	s := cryptobyte.String(b)
	var out cryptobyte.String
	if !s.ReadAnyASN1(&out, nil) {
		return nil, false
	}
	return out, true
}
