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
