package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCertinfo(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"acp_test_sign.pfx", []string{"-password", "000000", testPFX}, "certId: 69629715588\n" +
			"subject: CN=041@Z2014-11-11@700000000000001:SIGN@00000002,OU=Enterprises,OU=CUPRA,O=CFCA OCA1,C=cn\n" +
			"issuer: CN=CFCA TEST OCA1,O=China Financial Certification Authority,C=CN\n" +
			"notBefore: 2018-11-26T03:54:31Z\nnotAfter: 2021-11-26T03:54:31Z\nkeyType: RSA-2048\n"},
		{"unipayAppCert.pfx holding three certificates", []string{"-password", "000000", appPFX}, "certId: 69903319369\n"},
		{"UnionPay's signing certificate", []string{certsDir + "/unipayCertPublicKey.cer"}, "certId: 69678957876\n" +
			"subject: CN=041@8310000000083040@中国银联股份有限公司@00016495,OU=Enterprises,OU=Local RA OCA1,O=CFCA OCA1,C=cn\n"},
		{"encryption certificate", []string{certsDir + "/acp_test_enc.cer"}, "certId: 69683525138\n"},
		{"middle", []string{testMiddle}, "subject: CN=CFCA TEST OCA1,O=China Financial Certification Authority,C=CN\n"},
		{"root", []string{testRoot}, "keyType: RSA-2048\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", append([]string{"certinfo"}, tt.args...)...)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Empty(t, r.stderr)
			assert.Contains(t, r.stdout, tt.want)
			assert.Regexp(t, `^certId: \d+\nsubject: .+\nissuer: .+\nnotBefore: \S+Z\nnotAfter: \S+Z\nkeyType: RSA-\d+\nstatus: .+\n$`, r.stdout)
		})
	}
}

func TestCertinfoFailures(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"wrong password", []string{"-password", "123456", testPFX}, exitFailed, "wrong PFX password"},
		{"wrong password, -expires-within", []string{"-password", "123456", "-expires-within", "720h", testPFX}, exitFailed,
			"wrong PFX password"},
		{"no password", []string{testPFX}, exitUsage, "no password given: use -password or $UNIONPAY_PASSWORD"},
		{"SM2 no password", []string{"../../testdata/sm2/cfca_test.sm2"}, exitUsage, "no password given"},
		{"not a certificate", []string{vectorsDir + "/pinblocks.txt"}, exitFailed, "cert:"},
		{"missing file", []string{certsDir + "/nope.cer"}, exitFailed, notExist(certsDir + "/nope.cer")},
		{"SM2 wrong password", []string{"-password", "123456", "../../testdata/sm2/cfca_test.sm2"}, exitFailed, "wrong .sm2 password"},
		{"no file", nil, exitUsage, "missing FILE"},
		{"two files", []string{testRoot, testMiddle}, exitUsage, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireFailure(t, runCLI(t, "", append([]string{"certinfo"}, tt.args...)...), tt.code, tt.want)
		})
	}
}

// The password never appears in an error.
func TestCertinfoPasswordNotEchoed(t *testing.T) {
	r := runCLI(t, "", "certinfo", "-password", "s3cr3t-pw", testPFX)
	assert.Equal(t, exitFailed, r.code)
	assert.NotContains(t, r.stderr, "s3cr3t-pw")
}

func TestPasswordFromEnvironment(t *testing.T) {
	var r result
	e := &env{getenv: func(k string) string {
		if k == passwordEnv {
			return "000000"
		}
		return ""
	}}
	fs := newFlags(e, "x", "", "")
	pw := fs.String("password", "", "")
	require.NoError(t, parseFlags(fs, nil, 0))
	assert.Equal(t, "000000", e.password(fs, *pw))
	require.NoError(t, parseFlags(fs, []string{"-password", ""}, 0))
	assert.Empty(t, e.password(fs, *pw), "an explicit -password wins, even empty")
	_ = r
}

// TestCertinfoStatus: certinfo says whether the certificate is valid at the current time.
func TestCertinfoStatus(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		{"valid", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), "status: valid\n"},
		{"expired", time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), "status: EXPIRED since 2021-11-26T03:54:31Z\n"},
		{"not yet valid", time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), "status: NOT YET VALID, from 2018-11-26T03:54:31Z\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
				getenv: func(string) string { return "" }, now: func() time.Time { return tt.now }}
			require.Equal(t, exitOK, e.dispatch([]string{"certinfo", "-password", "000000", testPFX}), errOut.String())
			require.True(t, strings.HasSuffix(out.String(), "keyType: RSA-2048\n"+tt.want), out.String())
		})
	}
}

// certinfoLines is what certinfo prints: one line per item, in this order.
var certinfoLines = []string{"certId: ", "subject: ", "issuer: ", "notBefore: ", "notAfter: ", "keyType: ", "status: "}

// checkCertinfoOutput fails unless out is exactly certinfo's seven lines: a subject or issuer
// taken from the file must not add a line (a forged "status: valid", "certId: ...").
func checkCertinfoOutput(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(certinfoLines) || !strings.HasSuffix(out, "\n") {
		t.Fatalf("certinfo printed %d lines, want %d:\n%s", len(lines), len(certinfoLines), out)
	}
	for i, l := range lines {
		if !strings.HasPrefix(l, certinfoLines[i]) || strings.ContainsAny(l, "\r\x1b") {
			t.Fatalf("line %d is %q, want it to start with %q and hold no CR or ESC", i+1, l, certinfoLines[i])
		}
	}
}

// TestCertinfoSubjectNewline: a certificate whose CN holds a line feed (a UTF8String may) makes
// certinfo print a line of the certificate's choosing, e.g. "status: valid" for an expired one.
func TestCertinfoSubjectNewline(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(69629715588),
		Subject:   pkix.Name{CommonName: "evil\nstatus: valid\r\ncertId: 1"},
		NotBefore: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "evil.cer")
	if err := os.WriteFile(path, der, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "certinfo", path)
	if r.code != exitOK {
		t.Fatalf("status %d: %s", r.code, r.stderr)
	}
	checkCertinfoOutput(t, r.stdout)
}

// FuzzCertinfo: whatever the file (named .cer, .pfx, .sm2 or otherwise), certinfo exits 0 or
// 1 with one error line; a success prints exactly its seven lines.
func FuzzCertinfo(f *testing.F) {
	for _, p := range []string{testRoot, testMiddle, testPFX, certsDir + "/acp_test_enc.cer"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		for ext := range byte(4) {
			f.Add(b, ext)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, ext byte) {
		name := [...]string{"c.cer", "c.pfx", "c.sm2", "c.bin"}[ext%4]
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, "", "certinfo", "-password", "000000", path)
		checkOutcome(t, r)
		if r.code == exitOK {
			checkCertinfoOutput(t, r.stdout)
		}
	})
}

// A weekly cron job must fail when the merchant's certificate expires within 30 days, or has
// expired. certinfo exits 0 for an EXPIRED certificate and has no threshold flag, so a script
// has to parse notAfter itself. -expires-within DURATION: exit status 7 (exitExpiring, apart from
// 1, a file not read) when the certificate is not valid now or expires before now+DURATION; the
// lines still printed.
func TestTrialCertinfoExpiresWithin(t *testing.T) {
	notAfter := time.Date(2021, 11, 26, 3, 54, 31, 0, time.UTC) // testPFX
	tests := []struct {
		name string
		now  time.Time
		code int
		err  string
	}{
		{"valid for months", notAfter.AddDate(0, -3, 0), exitOK, ""},
		{"expires in 10 days", notAfter.AddDate(0, 0, -10), exitExpiring, "expires within"},
		{"expired", notAfter.AddDate(0, 0, 1), exitExpiring, "EXPIRED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
				getenv: func(string) string { return "" }, now: func() time.Time { return tt.now }}
			code := e.dispatch([]string{"certinfo", "-password", "000000", "-expires-within", "720h", testPFX})
			require.Equal(t, tt.code, code, "stdout %q stderr %q", out.String(), errOut.String())
			assert.Contains(t, out.String(), "notAfter: 2021-11-26T03:54:31Z\n")
			assert.Contains(t, errOut.String(), tt.err)
		})
	}
}

// TestCertinfoExpiryErrorNamesFile: with -expires-within, the line on standard error names
// the file it is about, right after "unionpay certinfo: ", so that a cron job looping over its
// certificates mails which one to renew, not a bare certId.
func TestCertinfoExpiryErrorNamesFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		{"expires within", testPFXNotAfter.AddDate(0, 0, -10),
			"unionpay certinfo: " + testPFX + ": certificate 69629715588 expires within 720h0m0s: notAfter 2021-11-26T03:54:31Z\n"},
		{"expired", testPFXNotAfter.AddDate(0, 0, 1),
			"unionpay certinfo: " + testPFX + ": certificate 69629715588 is EXPIRED since 2021-11-26T03:54:31Z\n"},
		{"not yet valid", testPFXNotBefore.Add(-time.Hour),
			"unionpay certinfo: " + testPFX + ": certificate 69629715588 is NOT YET VALID, from 2018-11-26T03:54:31Z\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := certinfoAt(t, tt.now, "-expires-within", "720h", testPFX)
			require.Equal(t, exitExpiring, r.code, r.stderr)
			assert.Equal(t, tt.want, r.stderr)
		})
	}
}

// certinfoAt runs certinfo with the clock at now.
func certinfoAt(t *testing.T, now time.Time, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		getenv: func(string) string { return "" }, now: func() time.Time { return now }}
	code := e.dispatch(append([]string{"certinfo", "-password", "000000"}, args...))
	return result{code, out.String(), errOut.String()}
}

var testPFXNotBefore = time.Date(2018, 11, 26, 3, 54, 31, 0, time.UTC)

var testPFXNotAfter = time.Date(2021, 11, 26, 3, 54, 31, 0, time.UTC)

// Kills M01 (a negative -expires-within accepted).
func TestReviewKillExpiresWithinNegative(t *testing.T) {
	r := certinfoAt(t, testPFXNotAfter.AddDate(0, -3, 0), "-expires-within", "-1h", testPFX)
	requireFailure(t, r, exitUsage, "must not be negative")
}

// Kills M04 (the boundary): with exactly DURATION left the certificate is still valid at
// now+DURATION (x509's notAfter is inclusive), so it does not "expire within" it; a second less
// does. Also a certificate not yet valid fails, whatever its notAfter.
func TestReviewKillExpiresWithinBoundaryAndNotYetValid(t *testing.T) {
	r := certinfoAt(t, testPFXNotAfter.Add(-720*time.Hour), "-expires-within", "720h", testPFX)
	require.Equal(t, exitOK, r.code, r.stderr)
	r = certinfoAt(t, testPFXNotAfter.Add(-720*time.Hour+time.Second), "-expires-within", "720h", testPFX)
	require.Equal(t, exitExpiring, r.code, r.stderr)
	assert.Contains(t, r.stderr, "expires within 720h0m0s")
	r = certinfoAt(t, testPFXNotBefore.Add(-time.Hour), "-expires-within", "720h", testPFX)
	require.Equal(t, exitExpiring, r.code, r.stderr)
	assert.Contains(t, r.stderr, "NOT YET VALID")
	assert.Contains(t, r.stdout, "status: NOT YET VALID")
}

// Finding 2: -expires-within 0 (or 0s) given explicitly checks nothing: an EXPIRED certificate
// exits 0, though the help says "exit status 1 when the certificate is not valid now or expires
// within this DURATION".
func TestReviewBugExpiresWithinZero(t *testing.T) {
	r := certinfoAt(t, testPFXNotAfter.AddDate(0, 0, 1), "-expires-within", "0s", testPFX)
	assert.Contains(t, r.stdout, "status: EXPIRED")
	require.Equal(t, exitExpiring, r.code, "-expires-within 0s on an expired certificate: stderr %q", r.stderr)
}

// Finding 3: certinfo's usage line does not show -expires-within (README's does).
func TestReviewBugCertinfoUsageLine(t *testing.T) {
	r := runCLI(t, "", "certinfo", "-h")
	require.Equal(t, exitOK, r.code)
	help := r.stdout + r.stderr
	first, _, _ := strings.Cut(help, "\n")
	assert.Contains(t, first, "-expires-within", "usage line %q", first)
	// and -summary's flag line still says it writes only the ZM records' totals
	r = runCLI(t, "", "reconcile", "-h")
	help = r.stdout + r.stderr
	i := strings.Index(help, "  -summary\n")
	require.GreaterOrEqual(t, i, 0)
	assert.NotContains(t, help[i:], "only the totals of the ZM records")
}
