//go:build unix

package unionpay_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// A named pipe or a device named as the properties file, a key or certificate file, or found
// in a validateCert directory is refused before it is opened: opening a pipe would wait for a
// writer for ever.
func TestLoadJavaConfigNotRegularFiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		set  []string // edits of javaBase; ${pipe} is the named pipe, ${dir} its directory
		key  string   // "": the properties file itself
		err  string
	}{
		{"properties file", nil, "", "is not a regular file (a named pipe)"},
		{"signCert.path", []string{"acpsdk.signCert.path=${pipe}"}, "acpsdk.signCert.path", "is not a regular file (a named pipe)"},
		{"encryptCert.path", []string{"acpsdk.encryptCert.path=${pipe}"}, "acpsdk.encryptCert.path", "is not a regular file (a named pipe)"},
		{"rootCert.path", []string{"acpsdk.rootCert.path=${pipe}"}, "acpsdk.rootCert.path", "is not a regular file (a named pipe)"},
		{"middleCert.path", []string{"acpsdk.middleCert.path=${pipe}"}, "acpsdk.middleCert.path", "is not a regular file (a named pipe)"},
		{"a .cer in validateCert.dir", []string{"acpsdk.version=5.0.0", "acpsdk.validateCert.dir=${dir}"},
			"acpsdk.validateCert.dir", "is not a regular file (a named pipe)"},
		{"validateCert.dir", []string{"acpsdk.version=5.0.0", "acpsdk.validateCert.dir=${pipe}"},
			"acpsdk.validateCert.dir", "is not a directory (a named pipe)"},
		{"a device", []string{"acpsdk.encryptCert.path=/dev/null"}, "acpsdk.encryptCert.path", "is not a regular file (a device)"},
		{"sm2 signCert.path", []string{"acpsdk.signMethod=21", "acpsdk.sm2.signCert.path=${pipe}"},
			"acpsdk.sm2.signCert.path", "is not a regular file (a named pipe)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			pipe := filepath.Join(dir, "acp_test_verify_sign.cer")
			require.NoError(t, syscall.Mkfifo(pipe, 0o600))
			var path string
			if tc.key == "" {
				path = pipe
			} else {
				set := make([]string, len(tc.set))
				for i, s := range tc.set {
					set[i] = os.Expand(s, func(k string) string { return map[string]string{"pipe": pipe, "dir": dir}[k] })
				}
				path = javaFile(t, javaEdit(set...))
			}
			done := make(chan error, 1)
			go func() { _, err := unionpay.LoadJavaConfig(path); done <- err }()
			select {
			case err := <-done:
				var je *unionpay.JavaConfigError
				require.ErrorAs(t, err, &je)
				assert.Equal(t, tc.key, je.Key)
				assert.ErrorContains(t, err, tc.err)
			case <-time.After(10 * time.Second):
				t.Error("LoadJavaConfig still waiting on the named pipe after 10 s")
				if w, err := os.OpenFile(pipe, os.O_WRONLY, 0); err == nil { // let it go
					w.Close()
				}
				<-done
			}
		})
	}
}
