package cert_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/logtest"
)

// Review (review-today): a *Pair logged through slog (LogValue) hides its value; certifTp is
// still shown.
func TestReviewGapPairLogValue(t *testing.T) {
	var buf bytes.Buffer
	// Untimed: a timestamp's digits could hold the value's (this test failed at 00:28:38.741).
	l := slog.New(slog.NewJSONHandler(&buf, logtest.Untimed()))
	p := &cert.Pair{Key: "cvn2", Value: "741"}
	l.Info("m", "p", p)
	if strings.Contains(buf.String(), "741") {
		t.Errorf("slog of *Pair shows the value: %s", buf.String())
	}
	if s := fmt.Sprint(cert.Pair{Key: "certifTp", Value: "01"}); !strings.Contains(s, "01") {
		t.Errorf("certifTp hidden: %s", s)
	}
}
