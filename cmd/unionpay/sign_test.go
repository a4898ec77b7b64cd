package main

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// formOf parses the command's output: one form body, without a line feed (stdout is no terminal).
func formOf(t *testing.T, out string) map[string]string {
	t.Helper()
	require.NotContains(t, out, "\n")
	v, err := url.ParseQuery(out)
	require.NoError(t, err)
	f := map[string]string{}
	for k, vs := range v {
		require.Len(t, vs, 1, k)
		f[k] = vs[0]
	}
	return f
}

// encodeKV is the body the official SDK would send for the vector: values encoded like Java's
// URLEncoder, keys sorted (url.Values.Encode sorts too).
func encodeKV(f map[string]string) string {
	v := url.Values{}
	for k, x := range f {
		v.Set(k, x)
	}
	return v.Encode()
}

// The signed output is byte for byte the official Java SDK's signed vector, for each input form
// and each method.
func TestSignOfficialVectors(t *testing.T) {
	unsignedKV := readTestFile(t, vectorsDir+"/consume_request.kv")
	unsignedForm := encodeKV(readKV(t, vectorsDir+"/consume_request.kv"))
	tests := []struct {
		name   string
		args   []string
		vector string
	}{
		{"5.1.0 acp_test_sign", []string{"-pfx", testPFX, "-password", "000000"}, "consume_request.signed-5.1.0-acp_test_sign.kv"},
		{"5.0.0 acp_test_sign", []string{"-pfx", testPFX, "-password", "000000", "-version", "5.0.0"}, "consume_request.signed-5.0.0-acp_test_sign.kv"},
		{"5.1.0 unipayAppCert", []string{"-pfx", appPFX, "-password", "000000", "-sign-method", "01"}, "consume_request.signed-5.1.0-unipayAppCert.kv"},
		{"secure key 11", []string{"-sign-method", "11", "-secure-key", "88888888"}, "consume_request.signed-secure-key-11.kv"},
		{"secure key 12", []string{"-sign-method", "12", "-secure-key", "88888888"}, "consume_request.signed-secure-key-12.kv"},
	}
	for _, tt := range tests {
		want := encodeKV(readKV(t, vectorsDir+"/"+tt.vector))
		for input, stdin := range map[string]string{"kv lines": unsignedKV, "form body": unsignedForm} {
			t.Run(tt.name+" from "+input, func(t *testing.T) {
				r := runCLI(t, stdin, append([]string{"sign"}, tt.args...)...)
				require.Equal(t, exitOK, r.code, r.stderr)
				if r.stderr != "" { // the test PFXs have expired: a warning, still signed
					assert.Regexp(t, `^unionpay sign: warning: the signing certificate \(certId \d+\) is EXPIRED since \S+: UnionPay will refuse the signature\n$`, r.stderr)
				}
				assert.Equal(t, want, r.stdout)
			})
		}
	}
}

func TestSignPreparesAndSetsVersion(t *testing.T) {
	stdin := "merId=777290058110048\n  \norderId=  ORDER0001  \nemptyField=\n# a comment\ntxnAmt=1 0\n"
	r := runCLI(t, stdin, "sign", "-sign-method", "11", "-secure-key", "88888888")
	require.Equal(t, exitOK, r.code, r.stderr)
	f := formOf(t, r.stdout)
	assert.Equal(t, "5.1.0", f["version"])
	assert.Equal(t, "ORDER0001", f["orderId"], "trimmed")
	assert.Equal(t, "1 0", f["txnAmt"], "inner space kept, sent as +")
	assert.Contains(t, r.stdout, "txnAmt=1+0")
	assert.NotContains(t, f, "emptyField")
	assert.NotContains(t, f, "certId")
	assert.Len(t, f["signature"], 64)
}

func TestSignFailures(t *testing.T) {
	kv := readTestFile(t, vectorsDir+"/consume_request.kv")
	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"wrong password", []string{"-pfx", testPFX, "-password", "111111"}, kv, exitFailed, "wrong PFX password"},
		{"no password", []string{"-pfx", testPFX}, kv, exitUsage, "no password given"},
		{"byte-order mark", []string{"-sign-method", "11", "-secure-key", "k"}, "\ufeffmerId=1\ntxnAmt=1000\n", exitFailed, "byte-order mark"},
		{"byte-order mark in a form", []string{"-sign-method", "11", "-secure-key", "k"}, "\ufeffmerId=1&txnAmt=1000", exitFailed, "byte-order mark"},
		{"space before =", []string{"-sign-method", "11", "-secure-key", "k"}, "merId=1\ntxnAmt = 1000\n", exitFailed, `"txnAmt " holds ' '`},
		{"space inside a name", []string{"-sign-method", "11", "-secure-key", "k"}, "mer Id=1\ntxnAmt=1000\n", exitFailed, "a space"},
		{"non-ASCII name", []string{"-sign-method", "11", "-secure-key", "k"}, "商户=1\n", exitFailed, "not a letter or digit"},
		{"missing pfx file", []string{"-pfx", "nope.pfx", "-password", "000000"}, kv, exitFailed, notExist("nope.pfx")},
		{"empty input", []string{"-sign-method", "11", "-secure-key", "k"}, " \n", exitFailed, "no fields"},
		{"bad line", []string{"-sign-method", "11", "-secure-key", "k"}, "a=1\nnoequals\n", exitFailed, "line 2"},
		{"repeated key", []string{"-sign-method", "11", "-secure-key", "k"}, "a=1\na=2\n", exitFailed, "repeated"},
		{"repeated form key", []string{"-sign-method", "11", "-secure-key", "k"}, "a=1&a=2", exitFailed, "malformed"},
		{"unknown encoding", []string{"-sign-method", "11", "-secure-key", "k"}, "a=1\nencoding=EBCDIC\n", exitFailed, "charset"},
		{"no pfx", []string{"-password", "000000"}, kv, exitUsage, "-pfx is required for signMethod 01, the default"},
		{"no secure key", []string{"-sign-method", "12"}, kv, exitUsage, "needs a secure key"},
		{"key with 01", []string{"-pfx", testPFX, "-secure-key", "k"}, kv, exitUsage, "-secure-key is for"},
		{"pfx with 11", []string{"-sign-method", "11", "-secure-key", "k", "-pfx", testPFX}, kv, exitUsage, "-pfx is for"},
		{"password with 11", []string{"-sign-method", "11", "-secure-key", "k", "-password", "000000"}, kv, exitUsage, "-password is for -sign-method 01 and 21"},
		{"password with 12", []string{"-sign-method", "12", "-secure-key", "k", "-password", ""}, kv, exitUsage, "-password is for"},
		{"SM2 without -sm2", []string{"-sign-method", "21"}, kv, exitUsage, "needs -sm2"},
		{"bad method", []string{"-sign-method", "02"}, kv, exitUsage, "-sign-method must be"},
		{"bad version", []string{"-version", "6.0.0", "-pfx", testPFX}, kv, exitUsage, "-version must be"},
		{"argument", []string{"-pfx", testPFX, "file"}, kv, exitUsage, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireFailure(t, runCLI(t, tt.stdin, append([]string{"sign"}, tt.args...)...), tt.code, tt.want)
		})
	}
}

// runEnv runs the command in-process with $UNIONPAY_SECURE_KEY set to key.
func runEnv(key, stdin string, args ...string) result {
	var out, errOut bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut,
		getenv: func(k string) string {
			if k == secureKeyEnv {
				return key
			}
			return ""
		}}
	return result{e.dispatch(args), out.String(), errOut.String()}
}

// TestSecureKeyFromEnvironment: the secure key may come from $UNIONPAY_SECURE_KEY instead of
// -secure-key, which would show in process listings and shell history: for sign -sign-method
// 11/12 (which asks for a secure key), and with -secure-key-env for either command.
func TestSecureKeyFromEnvironment(t *testing.T) {
	unsigned := readTestFile(t, vectorsDir+"/consume_request.kv")
	want := encodeKV(readKV(t, vectorsDir+"/consume_request.signed-secure-key-11.kv"))
	tests := []struct {
		name  string
		key   string
		stdin string
		args  []string
		code  int
		want  string // stdout, or stderr for a failure
	}{
		{"sign 11 from the environment", "88888888", unsigned, []string{"sign", "-sign-method", "11"}, exitOK, want},
		{"sign -secure-key-env", "88888888", unsigned, []string{"sign", "-sign-method", "11", "-secure-key-env"}, exitOK, want},
		{"sign neither flag nor environment", "", unsigned, []string{"sign", "-sign-method", "11"}, exitUsage, "needs a secure key"},
		{"sign -secure-key-env, variable empty", "", unsigned, []string{"sign", "-sign-method", "11", "-secure-key-env"}, exitUsage, "is empty"},
		{"sign both sources", "88888888", unsigned, []string{"sign", "-sign-method", "11", "-secure-key-env", "-secure-key", "k"}, exitUsage, "exclude each other"},
		{"sign 01 ignores the environment", "88888888", unsigned, []string{"sign", "-sign-method", "01"}, exitUsage, "needs -pfx"},
		{"sign 01 with -secure-key-env", "88888888", unsigned, []string{"sign", "-pfx", testPFX, "-secure-key-env"}, exitUsage,
			"-secure-key-env is for -sign-method 11 and 12"},
		{"verify -secure-key-env", "88888888", want, []string{"verify", "-secure-key-env"}, exitOK, "OK (signMethod 11, secure key)\n"},
		{"verify without -secure-key-env", "88888888", want, []string{"verify"}, exitUsage, "nothing to trust"},
		{"verify -secure-key-env, variable unset", "", want, []string{"verify", "-secure-key-env"}, exitUsage, "is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runEnv(tt.key, tt.stdin, tt.args...)
			requireOutcome(t, r, tt.code, tt.want)
		})
	}
}

// TestSignFinalNewline: the signed body ends with a line feed only on a terminal; into a file or
// pipe (curl --data-binary @-) it is exactly the body, or the last value would gain a "\n".
func TestSignFinalNewline(t *testing.T) {
	kv := "merId=777290058110048\nversion=5.1.0\n"
	tests := []struct {
		name string
		tty  bool
		want bool // a final line feed
	}{
		{"pipe or file", false, false},
		{"terminal", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			e := &env{ctx: context.Background(), stdin: strings.NewReader(kv), stdout: &out, stderr: &errOut,
				getenv: func(string) string { return "" }, stdoutTTY: tt.tty}
			require.Equal(t, exitOK, e.dispatch([]string{"sign", "-sign-method", "11", "-secure-key", "88888888"}), errOut.String())
			require.Equal(t, tt.want, strings.HasSuffix(out.String(), "\n"), out.String())
			require.True(t, strings.HasSuffix(strings.TrimSuffix(out.String(), "\n"), "&version=5.1.0"))
		})
	}
	require.False(t, isTerminal(&bytes.Buffer{}))
}

// TestSignWarnsOfInvalidCertificate: signing with a PFX whose certificate is outside its
// validity works (old vectors) but warns on stderr, once.
func TestSignWarnsOfInvalidCertificate(t *testing.T) {
	kv := readTestFile(t, vectorsDir+"/consume_request.kv")
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		{"valid", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), ""},
		{"expired", time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), "unionpay sign: warning: the signing certificate " +
			"(certId 69629715588) is EXPIRED since 2021-11-26T03:54:31Z: UnionPay will refuse the signature\n"},
		{"not yet valid", time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), "is NOT YET VALID, from 2018-11-26T03:54:31Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			e := &env{ctx: context.Background(), stdin: strings.NewReader(kv), stdout: &out, stderr: &errOut,
				getenv: func(string) string { return "" }, now: func() time.Time { return tt.now }}
			require.Equal(t, exitOK, e.dispatch([]string{"sign", "-pfx", testPFX, "-password", "000000"}), errOut.String())
			require.NotEmpty(t, out.String())
			if tt.want == "" {
				require.Empty(t, errOut.String())
				return
			}
			require.Contains(t, errOut.String(), tt.want)
			require.Equal(t, 1, strings.Count(errOut.String(), "\n"))
			require.NotContains(t, errOut.String(), "000000")
		})
	}
}

// TestSignErrorsNameTheFlagGiven: a flag that does not go with the method is named as the user
// typed it (-secure-key-env is not called -secure-key), and the method as given or as defaulted.
func TestSignErrorsNameTheFlagGiven(t *testing.T) {
	kv := readTestFile(t, vectorsDir+"/consume_request.kv")
	tests := []struct {
		name string
		args []string
		want string // the whole error line
	}{
		{"-secure-key-env with the default method", []string{"-pfx", testPFX, "-password", "000000", "-secure-key-env"},
			"-secure-key-env is for -sign-method 11 and 12, and without -sign-method signMethod is 01"},
		{"-secure-key-env with 01", []string{"-sign-method", "01", "-pfx", testPFX, "-password", "000000", "-secure-key-env"},
			"-secure-key-env is for -sign-method 11 and 12, not 01"},
		{"-secure-key-env with 21", []string{"-sign-method", "21", "-sm2", testSM2, "-password", "cfca1234", "-secure-key-env"},
			"-secure-key-env is for -sign-method 11 and 12, not 21"},
		{"-secure-key with the default method", []string{"-pfx", testPFX, "-password", "000000", "-secure-key", "k"},
			"-secure-key is for -sign-method 11 and 12, and without -sign-method signMethod is 01"},
		{"-secure-key with 21", []string{"-sign-method", "21", "-sm2", testSM2, "-secure-key", "k"},
			"-secure-key is for -sign-method 11 and 12, not 21"},
		{"-sm2 with the default method", []string{"-sm2", testSM2, "-password", "cfca1234"},
			"-sm2 is for -sign-method 21, and without -sign-method signMethod is 01"},
		{"-sm2 with 11", []string{"-sign-method", "11", "-secure-key", "k", "-sm2", testSM2},
			"-sm2 is for -sign-method 21, not 11"},
		{"-sm2 with an unknown method", []string{"-sign-method", "02", "-sm2", testSM2},
			`-sign-method must be 01, 11, 12 or 21, not "02"`},
		{"-pfx with 12", []string{"-sign-method", "12", "-secure-key", "k", "-pfx", testPFX},
			"-pfx is for -sign-method 01, not 12"},
		{"-pfx with 21", []string{"-sign-method", "21", "-sm2", testSM2, "-pfx", testPFX},
			"-pfx is for -sign-method 01, not 21"},
		{"no -pfx, method not given", []string{"-password", "000000"},
			"-pfx is required for signMethod 01, the default (-sign-method 11 or 12 signs with a secure key, 21 with -sm2)"},
		{"no -pfx, -sign-method 01", []string{"-sign-method", "01"}, "-sign-method 01 needs -pfx"},
		{"no -sm2", []string{"-sign-method", "21", "-pfx", testPFX}, "-sign-method 21 needs -sm2"},
		{"no secure key", []string{"-sign-method", "11"},
			"-sign-method 11 needs a secure key: -secure-key K, -secure-key-env or $UNIONPAY_SECURE_KEY"},
		{"-password with 11", []string{"-sign-method", "11", "-secure-key-env", "-password", "000000"},
			"-password is for -sign-method 01 and 21 (a PFX or .sm2 file), not 11 (a secure key)"},
		{"-secure-key-env and -secure-key", []string{"-sign-method", "11", "-secure-key-env", "-secure-key", "k"},
			"-secure-key and -secure-key-env exclude each other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "88888888" // $UNIONPAY_SECURE_KEY, read with -secure-key-env or -sign-method 11 and 12
			if strings.Contains(tt.want, "needs a secure key") {
				key = ""
			}
			r := runEnv(key, kv, append([]string{"sign"}, tt.args...)...)
			require.Equal(t, exitUsage, r.code, r.stderr)
			require.Empty(t, r.stdout)
			require.Equal(t, "unionpay sign: "+tt.want+" (see unionpay sign -h)\n", r.stderr)
		})
	}
}

// TestSignCanonical: with -canonical, sign writes the string it signed, equal to the one the
// official Java SDK signed for the same request (line 1 of the vectors' .canonical.txt, what it
// logs as 待签名请求报文串).
func TestSignCanonical(t *testing.T) {
	for _, tt := range []struct {
		name   string
		args   []string
		vector string
	}{
		{"5.1.0", []string{"-pfx", testPFX, "-password", "000000"}, "consume_request.signed-5.1.0-acp_test_sign.canonical.txt"},
		{"5.0.0", []string{"-pfx", testPFX, "-password", "000000", "-version", "5.0.0"}, "consume_request.signed-5.0.0-acp_test_sign.canonical.txt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want, _, _ := strings.Cut(readTestFile(t, vectorsDir+"/"+tt.vector), "\n")
			r := runCLI(t, readTestFile(t, vectorsDir+"/consume_request.kv"), append([]string{"sign", "-canonical"}, tt.args...)...)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Equal(t, strings.TrimRight(want, "\r"), r.stdout)
			assert.NotContains(t, r.stdout, "signature=")
		})
	}
}
