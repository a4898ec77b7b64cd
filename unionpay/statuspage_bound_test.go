package unionpay_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestStatusErrorPageBound: an error status's page is quoted up to 64 KiB whole, with or without
// a Content-Length, and not at all one byte over; a redirect's page is never quoted (its
// Location is).
func TestStatusErrorPageBound(t *testing.T) {
	t.Parallel()
	const bound = 64 << 10
	page := func(n int) string { // a titled page of exactly n bytes
		const head = "<title>Bad Gateway</title>"
		return head + strings.Repeat(" ", n-len(head))
	}
	for _, tt := range []struct {
		name          string
		status        int
		body          string
		contentLength bool
		want          string
	}{
		{"64 KiB, Content-Length", http.StatusBadGateway, page(bound), true, "Bad Gateway"},
		{"64 KiB, chunked", http.StatusBadGateway, page(bound), false, "Bad Gateway"},
		{"64 KiB and a byte, Content-Length", http.StatusBadGateway, page(bound + 1), true, ""},
		{"64 KiB and a byte, chunked", http.StatusBadGateway, page(bound + 1), false, ""},
		{"a redirect's page", http.StatusFound, page(100), true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				if tt.contentLength {
					w.Header().Set("Content-Length", strconv.Itoa(len(tt.body)))
				}
				if tt.status/100 == 3 {
					w.Header().Set("Location", "https://portal.example/login")
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			c, err := unionpay.NewClient(testConfig(t, srv.URL))
			require.NoError(t, err)
			_, err = c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
			var se *unionpay.StatusError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tt.status, se.StatusCode)
			assert.Equal(t, tt.want, se.Page)
		})
	}
}
