package unionpay_test

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/unionpay"
)

// A call that fails returns a nil answer, which a merchant logs with its error as often as not:
// it logs as null, never as a LogValue panic with a stack.
func TestNilAnswersLogAsNull(t *testing.T) {
	t.Parallel()
	for name, v := range map[string]any{
		"Result": (*unionpay.Result)(nil), "AppResult": (*unionpay.AppResult)(nil),
		"BatchResult": (*unionpay.BatchResult)(nil), "BatchStatus": (*unionpay.BatchStatus)(nil),
		"Transaction": (*unionpay.Transaction)(nil), "File": (*unionpay.File)(nil),
		"OpenResult": (*unionpay.OpenResult)(nil), "OpenStatus": (*unionpay.OpenStatus)(nil),
		"QRCodeResult": (*unionpay.QRCodeResult)(nil),
	} {
		var js, text bytes.Buffer
		slog.New(slog.NewJSONHandler(&js, logtest.Untimed())).Info("m", "answer", v)
		slog.New(slog.NewTextHandler(&text, logtest.Untimed())).Info("m", "answer", v)
		assert.Equal(t, `{"level":"INFO","msg":"m","answer":null}`+"\n", js.String(), name)
		assert.NotContains(t, text.String(), "panicked", name)
	}
}
