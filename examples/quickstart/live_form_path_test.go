package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// -live saves its form page where -form says, or, without it, in a new temporary directory whose
// path it prints: not in the current directory, where it was left as an untracked file of a
// checkout of this repository.
func TestLiveFormPath(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // os.TempDir: the new directory is removed with the test's
	lc := liveConfig{certDir: testCerts, pfx: "unipayAppCert.pfx", password: "000000", merID: "777290058110048"}
	cfg, err := liveClientConfig(lc, new(strings.Builder), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	given := filepath.Join(t.TempDir(), "given.html")
	tests := []struct {
		name, form string
		want       func(t *testing.T, saved string)
	}{
		{"-form given", given, func(t *testing.T, saved string) { assert.Equal(t, given, saved) }},
		{"-form unset", "", func(t *testing.T, saved string) {
			assert.Equal(t, tmp, filepath.Dir(filepath.Dir(saved)), "in a new directory of os.TempDir")
			assert.True(t, strings.HasPrefix(filepath.Base(filepath.Dir(saved)), "quickstart-live-"), saved)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form, saved, err := liveForm(client, tt.form)
			require.NoError(t, err)
			tt.want(t, saved)
			page, err := os.ReadFile(saved)
			require.NoError(t, err)
			assert.Contains(t, string(page), form.OrderID)
		})
	}
}
