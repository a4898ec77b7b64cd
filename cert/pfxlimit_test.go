package cert

import (
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	"software.sslmate.com/src/go-pkcs12"
)

// pfxLimitDir holds PKCS#12 files made by OpenSSL 3 at, below and above
// the iteration limit (make.sh, README.md), and RFC 9579's PBMAC1 example.
var pfxLimitDir = filepath.Join("testdata", "pfxlimit")

// refusalTime bounds how long LoadPFX may take to refuse a file for its
// iteration counts: the walk alone, no key derivation, takes microseconds;
// deriving a key at the refused count would take a second or more (an hour
// at 2^31-1). The margin is for a loaded machine under the race detector.
const refusalTime = 2 * time.Second

// wrongPFXPassword loads the files that must be refused for their counts: the
// refusal must come before the password is ever tried.
const wrongPFXPassword = "not-000000"

// Watchdogs of loadPFXTimed: a refusal must come at once (a hang is the
// bug being tested); a file at the limit derives three keys at 1,000,000
// iterations each, which under the race detector on a loaded machine has
// taken more than 10 s (go test's own timeout still bounds it).
const (
	refusalWatchdog = 10 * time.Second
	loadWatchdog    = 5 * time.Minute
)

// Paths to elements of a PKCS#12 file (see editDER). The encrypted data
// and key bag paths hold for files laid out as OpenSSL and go-pkcs12 write
// them: the AuthenticatedSafe holds encrypted data (the certificates), then
// data (the shrouded key bag).
var (
	// PFX, macData, iterations.
	pathMACIterations = []int{0, 2, 2}
	// PFX, macData, mac, algorithm, PBMAC1-params, keyDerivationFunc, PBKDF2-params, iterationCount.
	pathPBMAC1Iterations = []int{0, 2, 0, 0, 1, 0, 1, 1}
	// PFX, authSafe, [0], the element holding the AuthenticatedSafe.
	pathAuthSafeContent = []int{0, 1, 1, 0}
	// ..., AuthenticatedSafe, first ContentInfo, [0], EncryptedData, EncryptedContentInfo, AlgorithmIdentifier.
	pathEncryptedDataAlgorithm = slices.Concat(pathAuthSafeContent, []int{0, 0, 1, 0, 1, 1})
	// ..., AuthenticatedSafe, second ContentInfo, [0], OCTET STRING, SafeContents, SafeBag, [0], EncryptedPrivateKeyInfo, AlgorithmIdentifier.
	pathKeyBagAlgorithm = slices.Concat(pathAuthSafeContent, []int{0, 1, 1, 0, 0, 0, 1, 0, 0})
	// From an AlgorithmIdentifier to its count: PKCS#12 PBE parameters, iterations;
	// PBES2 parameters, keyDerivationFunc, PBKDF2-params, iterationCount.
	pbeCount   = []int{1, 1}
	pbes2Count = []int{1, 0, 1, 1}
)

func readPFXLimitFile(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(pfxLimitDir, name))
	require.NoError(t, err)
	return data
}

// loadPFXTimed runs LoadPFX and reports how long it took. Without the
// limit a count of 2^31-1 keeps LoadPFX busy for an hour, so the test fails
// after 10 s and abandons the call.
func loadPFXTimed(t *testing.T, data []byte, password string, watchdog time.Duration) (*PFX, time.Duration, error) {
	t.Helper()
	type result struct {
		pfx  *PFX
		took time.Duration
		err  error
	}
	done := make(chan result, 1)
	go func() {
		start := time.Now()
		p, err := LoadPFX(data, password)
		done <- result{p, time.Since(start), err}
	}()
	select {
	case r := <-done:
		return r.pfx, r.took, r.err
	case <-time.After(watchdog):
		t.Fatalf("LoadPFX still busy after %v", watchdog)
		return nil, 0, nil
	}
}

// requireRefused checks that LoadPFX refused a file quickly for the count
// what, with the message want.
func requireRefused(t *testing.T, took time.Duration, err error, what, want string) {
	t.Helper()
	require.ErrorIs(t, err, ErrPFXIterations)
	var e *pfxIterationsError
	require.ErrorAs(t, err, &e)
	assert.Equal(t, what, e.what)
	assert.EqualError(t, err, want)
	assert.NotErrorIs(t, err, ErrPassword)
	assert.Less(t, took, refusalTime, "refusing took %v", took)
	t.Logf("refused in %v", took)
}

// Files OpenSSL made at 2048 iterations and at the limit load; above it,
// each count is refused at once and named.
func TestLoadPFXIterationLimitOpenSSLFiles(t *testing.T) {
	t.Parallel()
	merchant, err := LoadCertificateFile(filepath.Join(opensslDir, "merchant-cert.pem"))
	require.NoError(t, err)
	const above = " iteration count 1000001 is above 1000000"
	tests := []struct {
		file, what string // what: the count refused; "" if the file loads
	}{
		{"aes-2048.pfx", ""},
		{"legacy-2048.pfx", ""},
		{"aes-limit.pfx", ""},
		{"legacy-limit.pfx", ""},
		{"aes-over.pfx", "MAC"},
		{"legacy-over.pfx", "MAC"},
		{"aes-over-certs.pfx", "encrypted data"},
		{"legacy-over-certs.pfx", "encrypted data"},
		{"aes-over-key.pfx", "shrouded key bag"},
		{"legacy-over-key.pfx", "shrouded key bag"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			watchdog := loadWatchdog
			if tt.what != "" {
				watchdog = refusalWatchdog
			}
			password := testPFXPassword
			if tt.what != "" {
				// With a wrong password, a refusal made only after the keys were derived would
				// be ErrPassword, which requireRefused fails: the check comes first, whatever
				// the time taken.
				password = wrongPFXPassword
			}
			p, took, err := loadPFXTimed(t, readPFXLimitFile(t, tt.file), password, watchdog)
			if tt.what != "" {
				requireRefused(t, took, err, tt.what, "cert: PFX "+tt.what+above)
				return
			}
			require.NoError(t, err)
			t.Logf("loaded in %v", took)
			assert.Equal(t, merchant.Raw, p.Certificate.Raw)
		})
	}
	t.Run("LoadPFXFile", func(t *testing.T) {
		t.Parallel()
		_, err := LoadPFXFile(filepath.Join(pfxLimitDir, "aes-over-key.pfx"), testPFXPassword)
		require.ErrorIs(t, err, ErrPFXIterations)
		assert.ErrorContains(t, err, "aes-over-key.pfx")
	})
}

// The walk finds every count of the files at hand, in order: a walk that
// gave up early would let any count through.
func TestWalkPFXIterationsFindsEveryCount(t *testing.T) {
	t.Parallel()
	acp, err := os.ReadFile(filepath.Join(testCertDir, "acp_test_sign.pfx"))
	require.NoError(t, err)
	app, err := os.ReadFile(filepath.Join(testCertDir, "unipayAppCert.pfx"))
	require.NoError(t, err)
	modern2026 := encodeTestPFX(t, pkcs12.Modern2026)
	macEncDataKey := func(n int) []string {
		return []string{fmt.Sprint("MAC ", n), fmt.Sprint("encrypted data ", n), fmt.Sprint("shrouded key bag ", n)}
	}
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		// UnionPay's files hold the key bag first.
		{"acp_test_sign.pfx", acp, []string{"MAC 2000", "shrouded key bag 2000", "encrypted data 2000"}},
		{"unipayAppCert.pfx", app, []string{"MAC 2000", "shrouded key bag 2000", "encrypted data 2000"}},
		{"aes-2048.pfx", readPFXLimitFile(t, "aes-2048.pfx"), macEncDataKey(2048)},
		{"legacy-limit.pfx", readPFXLimitFile(t, "legacy-limit.pfx"), macEncDataKey(maxPFXIterations)},
		// openssl -nomaciter and LegacyRC2 leave the MAC count to its DEFAULT 1.
		{"aes-over-key.pfx", readPFXLimitFile(t, "aes-over-key.pfx"), []string{"shrouded key bag 1000001"}},
		{"RFC 9579 A.1 (PBMAC1)", readPFXLimitFile(t, "rfc9579-a1.p12"), macEncDataKey(2048)},
		// Modern2026 writes 0 as MacData's (ignored) count.
		{"go-pkcs12 Modern2026 (PBMAC1)", modern2026, macEncDataKey(2048)},
		{"go-pkcs12 LegacyRC2", encodeTestPFX(t, pkcs12.LegacyRC2), []string{"encrypted data 2048", "shrouded key bag 2048"}},
		{"go-pkcs12 Passwordless", encodeTestPFX(t, pkcs12.Passwordless), nil},
		{"iterations left to their DEFAULT 1", editDER(t, acp, pathMACIterations[:2], dropLast),
			[]string{"shrouded key bag 2000", "encrypted data 2000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			err := walkPFXIterations(tt.data, func(what string, n []byte) error {
				got = append(got, what+" "+new(big.Int).SetBytes(n).String())
				return nil
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// Every PFX file the repository's tests use still loads, and files from
// every go-pkcs12 encoder (PBMAC1 included) and RFC 9579 load.
func TestLoadPFXIterationLimitKeepsValidFiles(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(testCertDir, "*.pfx"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			_, err := LoadPFXFile(f, testPFXPassword)
			require.NoError(t, err)
		})
	}
	encoders := map[string]*pkcs12.Encoder{
		"LegacyRC2": pkcs12.LegacyRC2, "LegacyDES": pkcs12.LegacyDES,
		"Modern2023": pkcs12.Modern2023, "Modern2026": pkcs12.Modern2026,
	}
	for name, enc := range encoders {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadPFX(encodeTestPFX(t, enc), testPFXPassword)
			require.NoError(t, err)
		})
	}
	t.Run("RFC 9579 A.1", func(t *testing.T) {
		t.Parallel()
		_, err := LoadPFX(readPFXLimitFile(t, "rfc9579-a1.p12"), "1234")
		require.NoError(t, err)
	})
}

// A real file whose MAC count is edited (lengths re-encoded) is refused at
// once, whatever the size of the INTEGER; so are counts below 1, and nested
// counts edited in files made by OpenSSL and in RFC 9579's PBMAC1 example.
func TestLoadPFXRefusesEditedCounts(t *testing.T) {
	t.Parallel()
	acp, err := os.ReadFile(filepath.Join(testCertDir, "acp_test_sign.pfx"))
	require.NoError(t, err)
	legacy := readPFXLimitFile(t, "legacy-2048.pfx")
	aes := readPFXLimitFile(t, "aes-2048.pfx")
	rfc := readPFXLimitFile(t, "rfc9579-a1.p12")
	tests := []struct {
		name  string
		data  []byte
		path  []int
		was   int64 // the count the file states
		count []byte
		what  string
		want  string // the count in the message
	}{
		{"MAC 2^31-1", acp, pathMACIterations, 2000, derInt(1<<31 - 1), "MAC", "2147483647 is above 1000000"},
		{"MAC 1000001", acp, pathMACIterations, 2000, derInt(maxPFXIterations + 1), "MAC", "1000001 is above 1000000"},
		{"MAC 2^63-1", acp, pathMACIterations, 2000, derInt(1<<63 - 1), "MAC", "9223372036854775807 is above 1000000"},
		{"MAC 9-byte 2^64-1", acp, pathMACIterations, 2000, hexBytes("00ffffffffffffffff"), "MAC", "(a 9-byte INTEGER) is above 1000000"},
		{"MAC 9-byte 2^71-1", acp, pathMACIterations, 2000, hexBytes("7fffffffffffffffff"), "MAC", "(a 9-byte INTEGER) is above 1000000"},
		{"MAC 0", acp, pathMACIterations, 2000, derInt(0), "MAC", "0 is below 1"},
		{"MAC -1", acp, pathMACIterations, 2000, derInt(-1), "MAC", "-1 is below 1"},
		{"MAC -2^31", acp, pathMACIterations, 2000, derInt(-1 << 31), "MAC", "-2147483648 is below 1"},
		{"MAC 9-byte negative", acp, pathMACIterations, 2000, hexBytes("800000000000000000"), "MAC", "(a 9-byte INTEGER) is below 1"},
		{"PKCS#12 PBE encrypted data 0", legacy, slices.Concat(pathEncryptedDataAlgorithm, pbeCount), 2048, derInt(0), "encrypted data", "0 is below 1"},
		{"PKCS#12 PBE key bag 2^31-1", legacy, slices.Concat(pathKeyBagAlgorithm, pbeCount), 2048, derInt(1<<31 - 1), "shrouded key bag", "2147483647 is above 1000000"},
		{"PBES2 encrypted data 2^31-1", aes, slices.Concat(pathEncryptedDataAlgorithm, pbes2Count), 2048, derInt(1<<31 - 1), "encrypted data", "2147483647 is above 1000000"},
		{"PBES2 key bag -5", aes, slices.Concat(pathKeyBagAlgorithm, pbes2Count), 2048, derInt(-5), "shrouded key bag", "-5 is below 1"},
		{"PBMAC1 2^31-1", rfc, pathPBMAC1Iterations, 2048, derInt(1<<31 - 1), "MAC", "2147483647 is above 1000000"},
		{"PBMAC1 0", rfc, pathPBMAC1Iterations, 2048, derInt(0), "MAC", "0 is below 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			edited := editDER(t, tt.data, tt.path, func(tag byte, old []byte) (byte, []byte) {
				require.Equal(t, byte(asn1.TagInteger), tag, "the path leads to an INTEGER")
				require.Equal(t, tt.was, new(big.Int).SetBytes(old).Int64(), "the path leads to the count")
				return tag, tt.count
			})
			_, took, err := loadPFXTimed(t, edited, wrongPFXPassword, refusalWatchdog)
			requireRefused(t, took, err, tt.what, "cert: PFX "+tt.what+" iteration count "+tt.want)
		})
	}
}

// The limit itself and 1 pass the walk; so does a non-minimal encoding of
// a count in range, which go-pkcs12 refuses on its own. With PBMAC1 the
// count in MacData is ignored, by go-pkcs12 and by the walk (go-pkcs12's
// Modern2026 writes 0 there).
func TestPFXIterationBounds(t *testing.T) {
	t.Parallel()
	acp, err := os.ReadFile(filepath.Join(testCertDir, "acp_test_sign.pfx"))
	require.NoError(t, err)
	setMAC := func(count []byte) []byte {
		return editDER(t, acp, pathMACIterations, func(tag byte, _ []byte) (byte, []byte) { return tag, count })
	}
	assert.NoError(t, checkPFXIterations(setMAC(derInt(1))))
	assert.NoError(t, checkPFXIterations(setMAC(derInt(maxPFXIterations))))
	assert.ErrorIs(t, checkPFXIterations(setMAC(derInt(maxPFXIterations+1))), ErrPFXIterations)

	nonMinimal := setMAC(hexBytes("0000000007d0"))
	require.NoError(t, checkPFXIterations(nonMinimal))
	_, err = LoadPFX(nonMinimal, testPFXPassword)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrPFXIterations)

	rfc := readPFXLimitFile(t, "rfc9579-a1.p12")
	for _, count := range [][]byte{derInt(1<<31 - 1), derInt(0), derInt(-1)} {
		outer := editDER(t, rfc, pathMACIterations, func(tag byte, _ []byte) (byte, []byte) { return tag, count })
		_, err := LoadPFX(outer, "1234")
		require.NoError(t, err, "PBMAC1 file with MacData.iterations %x", count)
	}
}

// go-pkcs12 reads the authSafe's content whatever its tag (an
// asn1.RawValue), high tag numbers included, and the MAC covers only the
// contents: the walk must read it the same way, or a retagged file would
// slip past the limit.
func TestWalkPFXIterationsReadsAnyAuthSafeTag(t *testing.T) {
	t.Parallel()
	tags := map[string][]byte{
		"UTF8String":            {0x0c},
		"high tag number 100":   {0x1f, 0x64},
		"high tag number 10000": {0x9f, 0xce, 0x10},
	}
	retag := func(data, tag []byte) []byte {
		return editDER(t, data, pathAuthSafeContent, func(_ byte, contents []byte) (byte, []byte) {
			return 0xff, slices.Concat(tag, derLength(len(contents)), contents)
		})
	}
	for name, tag := range tags {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ok := retag(readPFXLimitFile(t, "legacy-2048.pfx"), tag)
			_, err := LoadPFX(ok, testPFXPassword)
			require.NoError(t, err, "go-pkcs12 reads the retagged file")
			over := retag(readPFXLimitFile(t, "legacy-over-key.pfx"), tag)
			_, took, err := loadPFXTimed(t, over, wrongPFXPassword, refusalWatchdog)
			requireRefused(t, took, err, "shrouded key bag", "cert: PFX shrouded key bag iteration count 1000001 is above 1000000")
		})
	}
}

// Where the walk cannot read the structure it refuses nothing: go-pkcs12
// reports the problem.
func TestWalkPFXIterationsLeavesMalformedFiles(t *testing.T) {
	t.Parallel()
	acp, err := os.ReadFile(filepath.Join(testCertDir, "acp_test_sign.pfx"))
	require.NoError(t, err)
	set := func(data []byte, path []int, tag byte, contents []byte) []byte {
		return editDER(t, data, path, func(byte, []byte) (byte, []byte) { return tag, contents })
	}
	// Only the MAC count is out of range, or only the key bag's.
	macOver := set(acp, pathMACIterations, byte(asn1.TagInteger), derInt(1<<31-1))
	keyOver := readPFXLimitFile(t, "legacy-over-key.pfx")
	tests := map[string][]byte{
		"empty":                 nil,
		"garbage":               []byte("not a pfx file"),
		"truncated":             macOver[:len(macOver)-10],
		"PFX not a SEQUENCE":    append([]byte{0x31}, macOver[1:]...),
		"indefinite length":     append([]byte{0x30, 0x80}, macOver[4:]...),
		"MAC algorithm not OID": set(macOver, []int{0, 2, 0, 0, 0}, byte(asn1.TagOctetString), []byte{1}),
		"MAC count not INTEGER": set(macOver, pathMACIterations, byte(asn1.TagOctetString), []byte{0x7f, 0xff, 0xff, 0xff}),
		"empty INTEGER count":   set(acp, pathMACIterations, byte(asn1.TagInteger), nil),
		"authSafe not data":     set(keyOver, []int{0, 1, 0}, byte(asn1.TagOID), []byte(oidEncryptedData)),
		"key bag not SEQUENCE":  set(keyOver, slices.Concat(pathAuthSafeContent, []int{0, 1, 1, 0, 0, 0, 1, 0}), byte(asn1.TagOctetString), []byte{0}),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, checkPFXIterations(data))
			_, err := LoadPFX(data, testPFXPassword)
			require.Error(t, err)
			assert.NotErrorIs(t, err, ErrPFXIterations)
		})
	}
}

// The OIDs the walk compares as bytes are the DER encodings of the OIDs.
func TestPFXWalkOIDs(t *testing.T) {
	t.Parallel()
	tests := map[string]asn1.ObjectIdentifier{
		oidData:            {1, 2, 840, 113549, 1, 7, 1},
		oidEncryptedData:   {1, 2, 840, 113549, 1, 7, 6},
		oidShroudedKeyBag:  {1, 2, 840, 113549, 1, 12, 10, 1, 2},
		oidPKCS12PBEPrefix: {1, 2, 840, 113549, 1, 12, 1},
		oidPBES2:           {1, 2, 840, 113549, 1, 5, 13},
		oidPBKDF2:          {1, 2, 840, 113549, 1, 5, 12},
		oidPBMAC1:          {1, 2, 840, 113549, 1, 5, 14},
	}
	for der, oid := range tests {
		b, err := asn1.Marshal(oid)
		require.NoError(t, err)
		assert.Equal(t, der, string(b[2:]), "%v", oid)
	}
}

// encodeTestPFX encodes the ../openssl test key and certificate with enc
// and password 000000 (none for Passwordless).
func encodeTestPFX(t testing.TB, enc *pkcs12.Encoder) []byte {
	t.Helper()
	key, c := opensslKeyPair(t)
	password := testPFXPassword
	if enc == pkcs12.Passwordless {
		password = ""
	}
	data, err := enc.Encode(key, c, nil, password)
	require.NoError(t, err)
	return data
}

// editDER returns der with the element at path rewritten by edit, which
// gets its tag and contents and returns new ones; every enclosing length is
// encoded again. path[0] indexes the elements of der, path[1] those in the
// contents of that element (constructed, or an OCTET STRING holding DER),
// and so on. Tags are one octet; edit may return the tag 0xff and contents
// that begin with other identifier octets and a length (high tag numbers).
func editDER(t testing.TB, der []byte, path []int, edit func(tag byte, contents []byte) (byte, []byte)) []byte {
	t.Helper()
	var out []byte
	in := cryptobyte.String(der)
	for i := 0; !in.Empty(); i++ {
		var element, contents cryptobyte.String
		require.True(t, in.ReadAnyASN1Element(&element, nil), "element %d of path %v", i, path)
		tag := element[0]
		require.True(t, element.ReadAnyASN1(&contents, nil))
		newTag, newContents := tag, []byte(contents)
		switch {
		case i == path[0] && len(path) == 1:
			newTag, newContents = edit(tag, contents)
		case i == path[0]:
			newContents = editDER(t, contents, path[1:], edit)
		}
		if newTag == 0xff {
			out = append(out, newContents...)
			continue
		}
		out = append(out, newTag)
		out = append(out, derLength(len(newContents))...)
		out = append(out, newContents...)
	}
	return out
}

// dropLast is an edit for editDER that keeps an element but its last child.
func dropLast(tag byte, contents []byte) (byte, []byte) {
	in := cryptobyte.String(contents)
	var kept []byte
	for !in.Empty() {
		var element cryptobyte.String
		if !in.ReadAnyASN1Element(&element, nil) {
			break
		}
		if !in.Empty() {
			kept = append(kept, element...)
		}
	}
	return tag, kept
}

// derLength encodes a DER length.
func derLength(n int) []byte {
	if n < 0x80 {
		return []byte{byte(n)}
	}
	var b []byte
	for ; n > 0; n >>= 8 {
		b = append([]byte{byte(n)}, b...)
	}
	return append([]byte{0x80 | byte(len(b))}, b...)
}

// derInt returns the contents of the minimal INTEGER encoding of v.
func derInt(v int64) []byte {
	b, err := asn1.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b[2:]
}

func hexBytes(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
