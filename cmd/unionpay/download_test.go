package main

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func TestDownload(t *testing.T) {
	c := newServiceCreds(t)
	frontPay(t, c.g, 2345, unionpaytest.TestCard)
	today := c.g.srv.Now().In(reconcile.Beijing())
	day := today.Format("20060102")
	yesterday := today.AddDate(0, 0, -1).Format("20060102") // the shared gateway's clock: nothing settled then
	name := c.g.srv.MerchantID() + "_" + day + ".zip"
	dir := t.TempDir()
	out := filepath.Join(dir, "day.zip")
	props, err := os.ReadFile(c.properties)
	require.NoError(t, err)
	noFileURL := writeTestFile(t, t.TempDir(), "acp_sdk.properties",
		[]byte(strings.Replace(string(props), "acpsdk.fileTransUrl="+c.g.srv.Endpoints().File+"\n", "", 1)))

	tests := []struct {
		name    string
		args    []string
		code    int
		file    string // the file written, relative to the working directory; "": none
		summary bool   // stdout is reconcile -summary's of the file
		err     string // part of the one line on stderr
		down    bool   // the network is down
	}{
		{name: "-env test, UnionPay's file name", args: append([]string{"-settle-date", day}, c.pfxFlags...),
			file: name, err: "wrote " + name},
		{name: "-config, -o", args: append([]string{"-settle-date", day, "-o", out}, c.configFlags...),
			file: out, err: "wrote " + out},
		{name: "-reconcile", args: append([]string{"-settle-date", day, "-file-type", "00", "-o", out, "-reconcile"}, c.configFlags...),
			file: out, summary: true, err: "wrote " + out},
		{name: "no file for the day (98)", args: append([]string{"-settle-date", yesterday, "-o", filepath.Join(dir, "none.zip")}, c.configFlags...),
			code: exitNoFile, err: "unionpay download: settle date " + yesterday + ": no file for that day (respCode 98"},
		{name: "network down", args: append([]string{"-settle-date", day, "-o", filepath.Join(dir, "down.zip")}, c.configFlags...),
			code: exitQueryAgain, err: "connection refused (test transport): try again later", down: true},
		{name: "-config without fileTransUrl", args: []string{"-settle-date", day, "-o", filepath.Join(dir, "refused.zip"),
			"-merid", c.g.srv.MerchantID(), "-config", noFileURL},
			code: exitRefused, err: "Config.Endpoints.File"},
		{name: "wrong password", args: append([]string{"-settle-date", day, "-o", filepath.Join(dir, "refused.zip"),
			"-password", "Wr0ng-" + cliPassword}, c.pfxFlags...),
			code: exitRefused, err: "wrong PFX password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			transport := c.transport()
			if tt.down {
				transport = failing{}
			}
			r := c.run(t, transport, append([]string{"download"}, tt.args...)...)
			require.Equal(t, tt.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line on stderr: %q", r.stderr)
			assert.Contains(t, r.stderr, tt.err)
			requireNoSecret(t, r)
			if tt.file == "" {
				assert.Empty(t, r.stdout)
				entries, err := os.ReadDir(dir)
				require.NoError(t, err)
				for _, e := range entries {
					assert.NotEqual(t, "none.zip", e.Name(), "no file written on a failure")
					assert.NotEqual(t, "down.zip", e.Name(), "no file written on a failure")
				}
				return
			}
			data, err := os.ReadFile(tt.file)
			require.NoError(t, err)
			// Other tests pay on the shared gateway too: the file is the day's as it stood then.
			require.True(t, strings.HasPrefix(string(data), "PK\x03\x04"), "a zip")
			if !tt.summary {
				assert.Empty(t, r.stdout)
				return
			}
			rec := runCLI(t, "", "reconcile", "-summary", "-settle-date", day, tt.file)
			require.Equal(t, exitOK, rec.code, rec.stderr)
			assert.Equal(t, rec.stdout, r.stdout, "the summary of reconcile -summary")
			assert.Contains(t, r.stdout, `"txnAmtCredit":`)
		})
	}
}

// TestDownloadSendsFileType: the -file-type given is the fileType sent.
func TestDownloadSendsFileType(t *testing.T) {
	c := newServiceCreds(t)
	var sent string
	capture := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		sent = q.Get("fileType")
		return nil, errors.New("stopped (test transport)")
	})
	r := c.run(t, capture, append([]string{"download", "-settle-date", c.g.srv.Now().In(reconcile.Beijing()).Format("20060102"), "-file-type", "01", "-o", filepath.Join(t.TempDir(), "x.zip")},
		c.configFlags...)...)
	require.Equal(t, exitQueryAgain, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	assert.Equal(t, "01", sent)
}
