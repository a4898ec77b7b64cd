package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// answerQuery is a transport answering every query as the fake gateway would sign it: the
// request's fields echoed (txnType 00 and bizType as sent: no txnType of the payout's own),
// respCode 00, origRespCode orig and origRespMsg msg. It records the bizType of each request.
func answerQuery(srv *unionpaytest.Server, orig, msg string, bizTypes *[]string) http.RoundTripper {
	return signedAnswer(srv, func(q url.Values) sign.Fields {
		*bizTypes = append(*bizTypes, q.Get("bizType"))
		f := sign.Fields{"respCode": "00", "respMsg": "success", "origRespCode": orig, "origRespMsg": msg}
		for _, k := range []string{"version", "encoding", "signMethod", "txnType", "txnSubType", "bizType",
			"accessType", "merId", "orderId", "txnTime"} {
			f[k] = q.Get(k)
		}
		return f
	})
}

// signedAnswer is a transport answering every request with the fields answer makes of it,
// signed as the fake gateway signs (its signPubKeyCert and signature last), status 200.
func signedAnswer(srv *unionpaytest.Server, answer func(url.Values) sign.Fields) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, err
		}
		signed, err := srv.Sign(answer(q))
		if err != nil {
			return nil, err
		}
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range signed {
				if k != "signature" && k != "signPubKeyCert" && !yield(k) {
					return
				}
			}
		})
		var b strings.Builder
		for _, k := range append(keys, "signPubKeyCert", "signature") {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(k + "=" + signed[k])
		}
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"text/plain;charset=UTF-8"}},
			Body: io.NopCloser(strings.NewReader(b.String())), Request: r}, nil
	})
}

// TestQueryPayoutAskedAsPayout: -txn-type 12 queries with bizType 000401, as UnionPay's payout
// sample does (and Result.QueryRequest of a payout), so that an answer naming no txnType of its
// own reads the payout product's 60 (and 01, 12, 34) as pending, status 5: asked with 000000, it
// read failed, status 1, which tells a script to pay again. -biz-type is sent as given: 000401
// reads the payout's codes as a payout's (another with -txn-type 12 is a usage error).
func TestQueryPayoutAskedAsPayout(t *testing.T) {
	c := newServiceCreds(t)
	at := c.g.srv.Now().Format("20060102150405")
	tests := []struct {
		name, txnType, bizFlag, bizType string
		code                            int
		state                           string
	}{
		{"payout", "12", "", unionpay.BizTypePayout, exitQueryAgain, "state: pending\n"},
		{"a consume", "01", "", "000000", exitFailed, "state: failed\n"},
		{"no -txn-type", "", "", "000000", exitFailed, "state: failed\n"},
		{"-biz-type 000401, no -txn-type", "", unionpay.BizTypePayout, unionpay.BizTypePayout, exitQueryAgain, "state: pending\n"},
		{"-biz-type 000202 (B2B)", "01", "000202", "000202", exitFailed, "state: failed\n"},
		{"-biz-type 000401 with -txn-type 12", "12", unionpay.BizTypePayout, unionpay.BizTypePayout, exitQueryAgain, "state: pending\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sent []string
			args := append([]string{"query", "-order", "PAYOUT00000001", "-txn-time", at}, c.configFlags...)
			if tt.txnType != "" {
				args = append(args, "-txn-type", tt.txnType)
			}
			if tt.bizFlag != "" {
				args = append(args, "-biz-type", tt.bizFlag)
			}
			r := c.run(t, answerQuery(c.g.srv, "60", "issuer timeout", &sent), args...)
			require.Equal(t, tt.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.Equal(t, []string{tt.bizType}, sent)
			assert.Contains(t, r.stdout, tt.state)
		})
	}
}

// failingWriter fails every write, as a full disk under a redirection does.
type failingWriter struct{}

// Write fails.
func (failingWriter) Write([]byte) (int, error) {
	return 0, errors.New("no space left on device (test writer)")
}

// TestQueryUnknownOutcomeNotFailed: when query cannot show the state it got (its output fails)
// or breaks (a panic, here the transport's), the status is 5, query again, never 1, which a
// script reads as the transaction's failure and may send the payment again on.
func TestQueryUnknownOutcomeNotFailed(t *testing.T) {
	c := newServiceCreds(t)
	order, at := backConsume(t, c.g, 1000, unionpaytest.Succeed)
	panicking := roundTripFunc(func(*http.Request) (*http.Response, error) { panic("a bug past the answer (test)") })
	tests := []struct {
		name      string
		stdout    io.Writer
		transport http.RoundTripper
		want      string
	}{
		{"stdout fails after a success", failingWriter{}, c.transport(), "no space left on device"},
		{"a panic", &bytes.Buffer{}, panicking, "internal error: a bug past the answer (test)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errOut bytes.Buffer
			e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: tt.stdout, stderr: &errOut,
				getenv: func(string) string { return "" }, now: c.g.srv.Now, transport: tt.transport}
			code := e.dispatch(append([]string{"query", "-order", order, "-txn-time", at}, c.configFlags...))
			require.Equal(t, exitQueryAgain, code, "stderr %q", errOut.String())
			assert.Equal(t, 1, strings.Count(errOut.String(), "\n"), "one line on stderr: %q", errOut.String())
			assert.Contains(t, errOut.String(), tt.want)
			assert.Contains(t, errOut.String(), "query again later")
		})
	}
}
