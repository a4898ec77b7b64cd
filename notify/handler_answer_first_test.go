package notify_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
)

// blockingLog is a slog.Handler that blocks in Handle until the test has read the answer
// (seen closed) or wait has passed, as a log pipeline that stalls does, then reports the record
// on logged, with whether the answer had been read by then.
type blockingLog struct {
	seen   chan struct{}
	wait   time.Duration
	logged chan blockedRecord
}

// blockedRecord is a record blockingLog handled: its message, and whether the answer had been
// read when it was handled.
type blockedRecord struct {
	msg        string
	answerRead bool
}

func (b *blockingLog) Enabled(context.Context, slog.Level) bool { return true }
func (b *blockingLog) WithAttrs([]slog.Attr) slog.Handler       { return b }
func (b *blockingLog) WithGroup(string) slog.Handler            { return b }
func (b *blockingLog) Handle(ctx context.Context, r slog.Record) error {
	read := false
	select {
	case <-b.seen:
		read = true
	case <-time.After(b.wait):
	}
	if read {
		time.Sleep(100 * time.Millisecond) // for the server to see the hang-up
	}
	if ctx.Err() != nil { // the sender hung up: a handler that honours ctx would drop the record
		r.Message += " (ctx cancelled)"
	}
	b.logged <- blockedRecord{r.Message, read}
	return nil
}

// TestHandlerAnswersBeforeLogging: the Handler writes and flushes its answer ("ok", or the
// rejection's or OnNotify failure's status) before it logs the record, so that a log pipeline
// that stalls does not eat into the ~10 s UnionPay waits for the answer (and make it send the
// notification again); the record is still logged once the sender has the answer and has hung up,
// with a ctx not cancelled. Before, the record was logged first: the answer came only once the
// Logger returned.
func TestHandlerAnswersBeforeLogging(t *testing.T) {
	t.Parallel()
	p := testPKI()
	good := signWith(t, p.leaf, consumeFields("ANSWERFIRST01"))
	failing := signWith(t, p.leaf, consumeFields("ANSWERFIRST02"))
	forged := good.Clone()
	forged["txnAmt"] = "1"
	tests := []struct {
		name, body, msg string
		status          int
		answer          string
	}{
		{"accepted", encode(t, good), "notify: notification accepted", http.StatusOK, "ok"},
		{"OnNotify fails", encode(t, failing), "notify: OnNotify failed; UnionPay will resend", http.StatusInternalServerError,
			"Internal Server Error\n"},
		{"forged", encode(t, forged), "notify: notification rejected", http.StatusBadRequest, "Bad Request\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logs := &blockingLog{seen: make(chan struct{}), wait: 3 * time.Second, logged: make(chan blockedRecord, 1)}
			h := &notify.Handler{Verifier: p.verifier(t), Logger: slog.New(logs),
				OnNotify: func(_ context.Context, n *notify.Notification) error {
					if n.OrderID == "ANSWERFIRST02" {
						return errors.New("database down")
					}
					return nil
				}}
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)

			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}} // hangs up once answered
			resp, err := client.Post(srv.URL, "application/x-www-form-urlencoded", strings.NewReader(tt.body))
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			_ = resp.Body.Close()
			close(logs.seen)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.answer, string(body))
			assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))

			select {
			case rec := <-logs.logged:
				assert.Equal(t, tt.msg, rec.msg, "the record is logged after the answer, its ctx not cancelled")
				assert.True(t, rec.answerRead, "the answer came only once the Logger returned")
			case <-time.After(10 * time.Second):
				t.Fatal("no record logged")
			}
		})
	}
}
