package logtest_test

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/internal/logtest"
)

func TestUntimed(t *testing.T) {
	t.Parallel()
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, logtest.Untimed())).Info("m", "k", 1, slog.Group("g", "time", "kept"))
	slog.New(slog.NewJSONHandler(&js, logtest.Untimed())).Info("m", "k", 1)
	assert.Equal(t, "level=INFO msg=m k=1 g.time=kept\n", text.String(), "the top-level time only")
	assert.Equal(t, `{"level":"INFO","msg":"m","k":1}`+"\n", js.String())
}
