package notify_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// A body URL-encoded a second time (a proxy re-encoding what it forwards) is refused as
// malformed, with a hint that points at the proxy, whether the body is read as is or a middleware
// parsed it first; a malformed body that is not one gets no hint, and a genuine body, whose
// signature holds encoded '=' of its own, verifies.
func TestBodyEncodedTwice(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	body := encode(t, signWith(t, p.leaf, consumeFields("ORDER20260601")))
	require.Contains(t, body, "%3D", "a genuine body has encoded '=' in its signature")
	const hint = "URL-encoded twice? a proxy in front"
	tests := []struct {
		name      string
		body      string
		parseForm bool // a middleware called r.ParseForm first
		hint      bool
		ok        bool
	}{
		{"genuine", body, false, false, true},
		{"genuine, parsed by a middleware", body, true, false, true},
		{"encoded twice", url.QueryEscape(body), false, true, false},
		{"encoded twice, parsed by a middleware", url.QueryEscape(body), true, true, false},
		{"encoded twice, lower-case escapes", strings.ReplaceAll(url.QueryEscape(body), "%3D", "%3d"), false, true, false},
		{"no field, no encoded '='", "garbage%20text", false, false, false},
		{"no field, no encoded '=', parsed by a middleware", "garbage%20text", true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/unionpay/notify", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.parseForm {
				require.NoError(t, r.ParseForm())
			}
			n, err := notify.ReadRequest(nil, r, v, 0)
			if tt.ok {
				require.NoError(t, err)
				assert.Equal(t, "ORDER20260601", n.OrderID)
				return
			}
			require.ErrorIs(t, err, sign.ErrMalformed)
			assert.Equal(t, http.StatusBadRequest, notify.HTTPStatus(err))
			if tt.hint {
				assert.Contains(t, err.Error(), hint)
			} else {
				assert.NotContains(t, err.Error(), hint)
			}
		})
	}
}
