package unionpay_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// A validateCert directory past the size of UnionPay's (the wrong directory named: "/", a home
// directory) is refused before its files are read.
func TestLoadJavaConfigCertDirBounds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		files  int
		suffix string
		err    string
	}{
		{"65 .cer files", 65, ".cer", "has more than 64 .cer files"},
		{"65 .CER files", 65, ".CER", "has more than 64 .cer files"},
		{"1001 entries", 1001, ".txt", "has more than 1000 entries"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for i := range tc.files {
				require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d%s", i, tc.suffix)), nil, 0o600))
			}
			_, err := unionpay.LoadJavaConfig(javaFile(t, javaEdit("acpsdk.version=5.0.0", "acpsdk.middleCert.path=-",
				"acpsdk.rootCert.path=-", "acpsdk.validateCert.dir="+filepath.ToSlash(dir))))
			var je *unionpay.JavaConfigError
			require.ErrorAs(t, err, &je)
			assert.Equal(t, "acpsdk.validateCert.dir", je.Key)
			assert.ErrorContains(t, err, tc.err)
		})
	}
}

// A Kubernetes Secret volume holds each key as a symbolic link through "..data" to a timestamped
// directory, which an update replaces: the properties file, its relative paths and a
// validateCert.dir that is the volume itself load through them.
func TestLoadJavaConfigKubernetesSecret(t *testing.T) {
	t.Parallel()
	vol := t.TempDir()
	const stamp = "..2026_11_27_20_00_00.000000001"
	require.NoError(t, os.Mkdir(filepath.Join(vol, stamp), 0o700))
	files := map[string]string{
		"acp_test_sign.pfx":       filepath.Join(testCerts, "acp_test_sign.pfx"),
		"unipayCertPublicKey.cer": filepath.Join(javaTestdata, "verify500", "unipayCertPublicKey.cer"),
		"acp_sdk.properties":      "",
	}
	for name, from := range files {
		data := []byte(javaEdit("acpsdk.version=5.0.0", "acpsdk.middleCert.path=-", "acpsdk.rootCert.path=-",
			"acpsdk.signCert.path=acp_test_sign.pfx", "acpsdk.validateCert.dir=."))
		if from != "" {
			var err error
			data, err = os.ReadFile(from)
			require.NoError(t, err)
		}
		require.NoError(t, os.WriteFile(filepath.Join(vol, stamp, name), data, 0o600))
		require.NoError(t, os.Symlink(filepath.Join("..data", name), filepath.Join(vol, name)))
	}
	require.NoError(t, os.Symlink(stamp, filepath.Join(vol, "..data")))
	jc, err := unionpay.LoadJavaConfig(filepath.Join(vol, "acp_sdk.properties"))
	require.NoError(t, err)
	assert.Equal(t, "69629715588", jc.Config.Signer.CertID())
	assert.Len(t, jc.VerifierConfig.LegacyCerts, 1)
}
