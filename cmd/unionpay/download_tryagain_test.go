package main

import (
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
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// fileAnswer answers every file download with respCode code and respMsg msg, the request's
// fields echoed, signed as the fake gateway signs.
func fileAnswer(srv *unionpaytest.Server, code, msg string) http.RoundTripper {
	return signedAnswer(srv, func(q url.Values) sign.Fields {
		f := sign.Fields{"respCode": code, "respMsg": msg}
		for _, k := range []string{"version", "encoding", "signMethod", "txnType", "txnSubType", "bizType",
			"accessType", "merId", "txnTime", "settleDate", "fileType"} {
			f[k] = q.Get(k)
		}
		return f
	})
}

// pageAnswer answers every request with HTTP status code and an HTML page titled title.
func pageAnswer(code int, title string) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: code, Header: http.Header{"Content-Type": {"text/html"}},
			Body: io.NopCloser(strings.NewReader("<html><title>" + title + "</title></html>")), Request: r}, nil
	})
}

// TestDownloadTryAgainLater: a download that failed in a way that may pass (the network, a
// timeout, an HTTP status other than 200, an answer that does not read or verify, a pending
// respCode, or the gateway's "try again later", 02, 06 and 37) exits 5, try again later, as
// query's own failures do, and writes nothing; UnionPay's verified refusal stays 1, an alert:
// the same request would be refused again.
func TestDownloadTryAgainLater(t *testing.T) {
	c := newServiceCreds(t)
	day := c.g.srv.Now().In(reconcile.Beijing()).Format("20060102")
	slow := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
	unsigned := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"text/plain"}},
			Body: io.NopCloser(strings.NewReader("respCode=00&respMsg=ok&fileName=x.zip")), Request: r}, nil
	})
	garbage := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"text/plain"}},
			Body: io.NopCloser(strings.NewReader("%%% not a form %%%")), Request: r}, nil
	})
	// long announces n bytes and sends that many of a text that is no answer: the tool reads an
	// answer of the size filecontent takes (a day's zip of more than the SDK's default 16 MiB
	// bound in base64), and refuses a longer one as the file's size, which asking again would
	// not change.
	long := func(n int64) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"text/plain"}},
				ContentLength: n, Body: io.NopCloser(io.LimitReader(zeros{}, n)), Request: r}, nil
		})
	}
	tests := []struct {
		name      string
		transport http.RoundTripper
		flags     []string
		code      int
		err       []string // parts of the one line on stderr
	}{
		{"connection refused", failing{}, nil, exitQueryAgain,
			[]string{"the download failed, nothing was written", "connection refused (test transport)", "try again later"}},
		{"timeout", slow, []string{"-timeout", "200ms"}, exitQueryAgain, []string{"deadline exceeded", "try again later"}},
		{"HTTP status 502", pageAnswer(http.StatusBadGateway, "502 Bad Gateway "+unionpaytest.TestCard), nil, exitQueryAgain,
			[]string{"HTTP status 502", "Bad Gateway", "try again later"}},
		{"an answer not signed", unsigned, nil, exitQueryAgain, []string{"verification", "try again later"}},
		{"an answer that is no form", garbage, nil, exitQueryAgain, []string{"try again later"}},
		{"pending (05)", fileAnswer(c.g.srv, "05", "交易已受理"), nil, exitQueryAgain, []string{"05", "try again later"}},
		{"busy (06)", fileAnswer(c.g.srv, "06", "系统繁忙，请稍后再试"), nil, exitQueryAgain, []string{"06", "try again later"}},
		{"closed for a while (02)", fileAnswer(c.g.srv, "02", "系统未开放或暂时关闭，请稍后再试"), nil, exitQueryAgain,
			[]string{"02", "try again later"}},
		{"queried too often (37)", fileAnswer(c.g.srv, "37", "操作过于频繁"), nil, exitQueryAgain, []string{"37", "try again later"}},
		{"an answer of 20 MiB that is no form", long(20 << 20), nil, exitQueryAgain, []string{"try again later"}},
		{"an answer over 256 MiB", long(maxFileBytes + 1), nil, exitFailed,
			[]string{"the download failed, nothing was written", "larger than this tool takes (an answer of 256 MiB",
				"longer than MaxResponseBytes (268435456)"}},
		{"refused by UnionPay (31)", fileAnswer(c.g.srv, "31", "商户状态不正确"), nil, exitFailed,
			[]string{"UnionPay refused the download, nothing was written", "31 商户状态不正确"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "day.zip")
			args := append(append([]string{"download", "-settle-date", day, "-o", out}, tt.flags...), c.configFlags...)
			r := c.run(t, tt.transport, args...)
			require.Equal(t, tt.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.Empty(t, r.stdout)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line on stderr: %q", r.stderr)
			for _, want := range tt.err {
				assert.Contains(t, r.stderr, want)
			}
			if tt.code == exitFailed {
				assert.NotContains(t, r.stderr, "try again later")
			}
			requireNoSecret(t, r)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, entries, "nothing written")
		})
	}
}

// zeros reads as endless '0' bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}
