//go:build !race

package notify_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/scaling"
	"github.com/goacp/unionpay/notify"
)

// TestSlowInputsNotifications: what a notification endpoint does with a body, up to about the
// 64 KiB Handler reads by default (reading, decoding, the ambiguity rule, the string to sign, verifying,
// the claimed fields it logs of a refused one), costs time and memory in proportion to the body,
// for the worst shapes found in the slow-input review: a genuine notification with many tiny
// fields added (in order or reversed), one key repeated, separators, escapes, a body URL-encoded
// twice, keys the ambiguity rule must look into. Sixteen times the body costs at most
// scaling.MaxGrowth times as much per byte; a quadratic path costs sixteen times as much.
func TestSlowInputsNotifications(t *testing.T) {
	if testing.Short() {
		t.Skip("times the handler: not with -short")
	}
	p := testPKI()
	v := p.verifier(t)
	genuine := encode(t, signWith(t, p.leaf, consumeFields("SLOWINPUT1")))
	h := &notify.Handler{
		Verifier: v,
		MaxBytes: 128 << 10, // the genuine fields, then sixteen times the small body's additions
		OnNotify: func(context.Context, *notify.Notification) error { return nil },
		Logger:   slog.New(slog.NewJSONHandler(io.Discard, nil)), // so that refused bodies' claims are read
	}
	pairs := func(prefix string, pair func(i, n int) string) func(int) []byte {
		return func(n int) []byte {
			var b strings.Builder
			b.WriteString(prefix)
			for i := range n {
				b.WriteByte('&')
				b.WriteString(pair(i, n))
			}
			return []byte(b.String())
		}
	}
	handler := func(b []byte) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, newRequest(http.MethodPost, "/notify", string(b)))
	}
	parse := func(b []byte) { _, _ = notify.Parse(v, b) }
	values := func(b []byte) {
		if form, err := url.ParseQuery(string(b)); err == nil {
			_, _ = notify.VerifyValues(v, form)
		}
	}
	rows := []scaling.Row{
		scaling.NewRow("Handler", handler, "genuine, tiny fields added", pairs(genuine, func(i, _ int) string { return fmt.Sprintf("z%05d=1", i) }), 512),
		scaling.NewRow("Handler", handler, "genuine, reversed fields added", pairs(genuine, func(i, n int) string { return fmt.Sprintf("a%05d=1", n-i) }), 512),
		scaling.NewRow("Handler", handler, "one key repeated", pairs("orderId=1", func(int, int) string { return "orderId=1" }), 256),
		scaling.NewRow("Handler", handler, "a pair a byte", pairs("a=1", func(int, int) string { return "b" }), 1<<10),
		scaling.NewRow("Handler", handler, "separators '&'", pairs(genuine, func(int, int) string { return "" }), 4<<10),
		scaling.NewRow("Parse", parse, "genuine, '%XX' escapes added", func(n int) []byte { return []byte(genuine + "&reqReserved=" + strings.Repeat("%41", n)) }, 2<<10),
		scaling.NewRow("Parse", parse, "URL-encoded twice", func(n int) []byte { return []byte(strings.Repeat("k%3D1%26", n)) }, 256),
		scaling.NewRow("Parse", parse, "genuine, escaped '&' in keys", pairs(genuine, func(i, _ int) string { return fmt.Sprintf("k%d%%26=1", i) }), 512),
		scaling.NewRow("Parse", parse, "genuine, regions in values", pairs(genuine, func(i, _ int) string { return fmt.Sprintf("k%d=%%7Ba%%26b%%7D", i) }), 256),
		scaling.NewRow("VerifyValues", values, "genuine, tiny fields added", pairs(genuine, func(i, _ int) string { return fmt.Sprintf("z%05d=1", i) }), 512),
	}
	scaling.CheckRows(t, rows)
}
