package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestQueryJSONStateUnknown: with -json, a query that itself failed (status 5) prints one object
// all the same, state "unknown", the orderId and txnTime asked and the error, so that jq in a
// pipeline gets input; the error masks a card number the answer quotes, as the stderr line does.
// Without -json nothing is printed, and a refusal of the credentials (6) prints nothing either:
// nothing was asked.
func TestQueryJSONStateUnknown(t *testing.T) {
	c := newServiceCreds(t)
	order, at := backConsume(t, c.g, 1000, unionpaytest.Succeed)
	tests := []struct {
		name      string
		transport http.RoundTripper
		args      []string
		pfx       bool // the credentials as -pfx and the others, not -config
		code      int
		err       string // part of the JSON object's error; "": no object on stdout
	}{
		{"connection refused, -json", failing{}, []string{"-json"}, false, exitQueryAgain, "connection refused (test transport)"},
		{"HTTP status 502 quoting a card number, -json", pageAnswer(http.StatusBadGateway, "card "+unionpaytest.TestCard),
			[]string{"-json"}, false, exitQueryAgain, "HTTP status 502"},
		{"connection refused, no -json", failing{}, nil, false, exitQueryAgain, ""},
		{"wrong password, -json", failing{}, []string{"-json", "-password", "Wr0ng-" + cliPassword}, true, exitRefused, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creds := c.configFlags
			if tt.pfx {
				creds = c.pfxFlags
			}
			args := append(append([]string{"query", "-order", order, "-txn-time", at}, tt.args...), creds...)
			r := c.run(t, tt.transport, args...)
			require.Equal(t, tt.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line on stderr: %q", r.stderr)
			requireNoSecret(t, r)
			if tt.err == "" {
				assert.Empty(t, r.stdout)
				return
			}
			require.Equal(t, 1, strings.Count(r.stdout, "\n"), "one line: %q", r.stdout)
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), "one JSON object")
			assert.Equal(t, "unknown", got["state"])
			assert.Equal(t, order, got["orderId"])
			assert.Equal(t, at, got["txnTime"])
			assert.Nil(t, got["txnAmt"], "null, never 0")
			for _, k := range []string{"txnType", "queryId", "currencyCode", "respCode", "respMsg", "origRespCode",
				"origRespMsg", "settleDate", "traceNo", "traceTime", "accNo", "subMerId", "acqInsCode"} {
				assert.Equal(t, "", got[k], "%s: every key of a query's object, empty", k)
			}
			msg, _ := got["error"].(string)
			assert.Contains(t, msg, tt.err)
			assert.Contains(t, msg, "query again later")
			stderrText := strings.TrimSuffix(strings.TrimPrefix(r.stderr, "unionpay query: "), "\n")
			assert.Equal(t, stderrText, msg, "the stderr line's text")
		})
	}
}

// TestQueryJSONSuccessHasNoError: an answered query's object has no error key.
func TestQueryJSONSuccessHasNoError(t *testing.T) {
	c := newServiceCreds(t)
	order, at := backConsume(t, c.g, 1000, unionpaytest.Succeed)
	r := c.run(t, c.transport(), append([]string{"query", "-order", order, "-txn-time", at, "-json"}, c.configFlags...)...)
	require.Equal(t, exitOK, r.code, "stderr %q", r.stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	assert.Equal(t, "succeeded", got["state"])
	assert.NotContains(t, got, "error")
}
