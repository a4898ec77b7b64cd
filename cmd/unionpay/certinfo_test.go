package main

import (
	"bytes"
	"context"
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
