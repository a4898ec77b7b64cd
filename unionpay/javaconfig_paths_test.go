package unionpay_test

import (
	"errors"
	"io/fs"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestLoadJavaConfigMissingPathHint: a file or directory the properties name that is not there is
// an error naming the key, matching fs.ErrNotExist, that says what to change: a Windows path (the
// Java SDK's template writes D:/certs/...) copied to another host is named as one, and a relative
// path says it was taken from the properties file's directory (the Java SDK takes the working
// directory).
func TestLoadJavaConfigMissingPathHint(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("D:/certs is a path of this host")
	}
	for _, tc := range []struct {
		name, key string
		set       []string
		hint      string
	}{
		{"drive, signCert", "acpsdk.signCert.path", []string{"acpsdk.signCert.path=D:/certs/acp_test_sign.pfx"},
			"a Windows path"},
		{"drive with backslashes, encryptCert", "acpsdk.encryptCert.path",
			[]string{`acpsdk.encryptCert.path=D:\\certs\\acp_test_enc.cer`}, "a Windows path"},
		{"drive, rootCert", "acpsdk.rootCert.path", []string{"acpsdk.rootCert.path=d:/certs/acp_test_root.cer"},
			"a Windows path"},
		{"drive, validateCert.dir", "acpsdk.validateCert.dir", []string{"acpsdk.version=5.0.0",
			"acpsdk.middleCert.path=-", "acpsdk.rootCert.path=-", "acpsdk.validateCert.dir=D:/certs/"}, "a Windows path"},
		{"relative", "acpsdk.signCert.path", []string{"acpsdk.signCert.path=certs/acp_test_sign.pfx"},
			"a relative path is taken from the properties file's directory"},
		{"relative dir", "acpsdk.validateCert.dir", []string{"acpsdk.version=5.0.0",
			"acpsdk.middleCert.path=-", "acpsdk.rootCert.path=-", "acpsdk.validateCert.dir=certs"},
			"a relative path is taken from the properties file's directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := javaFile(t, javaEdit(tc.set...))
			_, err := unionpay.LoadJavaConfig(path)
			var je *unionpay.JavaConfigError
			require.ErrorAs(t, err, &je)
			assert.Equal(t, tc.key, je.Key)
			assert.ErrorIs(t, err, fs.ErrNotExist)
			assert.ErrorContains(t, err, tc.hint)
			assert.ErrorContains(t, err, filepath.Dir(path), "the directory relative paths are taken from")
		})
	}
}

// TestLoadJavaConfigPathHintOnlyWhenItHelps: the hint after a path's error is for a path that is
// not there and not absolute. An absolute path that is not there, or a relative one that is there
// but is no file (a directory), has the error alone: the hint would send the operator looking at
// the wrong thing.
func TestLoadJavaConfigPathHintOnlyWhenItHelps(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "nosuch.pfx")
	for _, tc := range []struct {
		name, value string
		notExist    bool
	}{
		{"absolute, not there", filepath.ToSlash(missing), true},
		{"relative, a directory", ".", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := unionpay.LoadJavaConfig(javaFile(t, javaEdit("acpsdk.signCert.path="+tc.value)))
			var je *unionpay.JavaConfigError
			require.ErrorAs(t, err, &je)
			assert.Equal(t, "acpsdk.signCert.path", je.Key)
			assert.Equal(t, tc.notExist, errors.Is(err, fs.ErrNotExist), "%v", err)
			assert.NotContains(t, err.Error(), "relative path")
			assert.NotContains(t, err.Error(), "Windows path")
		})
	}
}
