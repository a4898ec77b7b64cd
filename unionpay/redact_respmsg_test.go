package unionpay_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestRespMsgCardNumberMasked: a card number UnionPay's free text (respMsg, origRespMsg) quotes is
// masked wherever the package prints it, however it is written (en dashes, zero-width spaces,
// Arabic-Indic digits): in an error's text (%v, Error(); %#v shows its fields) (a *Error, a *PendingError, which CallEnd and every log
// of a failed call show), and in the log forms of an answer (Result, Transaction, OpenStatus: fmt,
// json.Marshal, slog's JSON and text handlers), Raw included. The fields keep the text as received.
// (They showed it whole: only the CLI's query and StatusError.Page masked digit runs.)
func TestRespMsgCardNumberMasked(t *testing.T) {
	t.Parallel()
	for _, msg := range []string{
		"卡号6216261000000000018无效[1000000]",
		"卡号6216\u20132610\u20130000\u20130000\u2013018无效[1000000]",
		"card 6216\u200b2610\u200b0000\u200b0000\u200b018 refused",
		"card \u0666\u0662\u0661\u0666 \u0662\u0666\u0661\u0660 0000 0000 018 refused",
	} {
		raw := sign.Fields{"respCode": "14", "respMsg": msg, "origRespMsg": msg}
		tx := unionpay.Transaction{OrderID: "O1", RespCode: "00", RespMsg: msg, OrigRespCode: "14", OrigRespMsg: msg, Raw: raw}
		res := unionpay.Result{OrderID: "O1", RespCode: "14", RespMsg: msg, Raw: raw}
		open := unionpay.OpenStatus{OrderID: "O1", RespCode: "14", RespMsg: msg, Raw: raw}
		for _, tt := range []struct {
			name string
			v    any
		}{
			{"Error", &unionpay.Error{Op: "consume", OrderID: "O1", RespCode: "14", RespMsg: msg}},
			{"PendingError", &unionpay.PendingError{Op: "consume", OrderID: "O1", RespCode: "03", RespMsg: msg}},
			{"Result", &res},
			{"Transaction", &tx},
			{"OpenStatus", &open},
		} {
			out := []string{fmt.Sprintf("%v", tt.v), fmt.Sprintf("%+v", tt.v)}
			if err, ok := tt.v.(error); ok {
				out = append(out, err.Error()) // %#v shows an error's fields, as received
			} else {
				out = append(out, fmt.Sprintf("%#v", tt.v))
				b, err := json.Marshal(tt.v)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, string(b))
			}
			// Untimed: a timestamp's nanoseconds (40.707926108Z) can hold "2610", failing the test by chance.
			for _, h := range []func(*bytes.Buffer) slog.Handler{
				func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, logtest.Untimed()) },
				func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, logtest.Untimed()) },
			} {
				var b bytes.Buffer
				slog.New(h(&b)).Info("answer", "v", tt.v)
				out = append(out, b.String())
			}
			for i, s := range out {
				if strings.Contains(s, "2610") || strings.Contains(s, "\u0662\u0666\u0661\u0660") || !strings.Contains(s, "621626******0018") {
					t.Errorf("%s, rendering %d of %q: %s", tt.name, i, msg, s)
				}
			}
		}
		if tx.RespMsg != msg || tx.OrigRespMsg != msg || res.RespMsg != msg || raw["respMsg"] != msg {
			t.Errorf("the fields changed: %q", tx.RespMsg)
		}
	}
}
