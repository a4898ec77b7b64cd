package sign_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/sign"
)

// TestPIIFieldsPrintMasked: Notification.Raw, Result.Raw, Transaction.Raw and File.Raw are
// sign.Fields holding every field of a verified message as received: accNo (in clear for some
// merchants and products), customerInfo (base64 of the phone number, ID number, name...),
// encryptedInfo, cardTransData, tokenPayData, fileContent (a batch result file lists card numbers).
// The types holding them mask them, but a merchant logging the Raw map itself, the usual way to
// "log the answer", gets every value in clear: fmt, and slog's text and JSON handlers.
func TestPIIFieldsPrintMasked(t *testing.T) {
	t.Parallel()
	const pan, phone, id = "6216261000000000018", "13552535506", "110101199003077777"
	ci := base64.StdEncoding.EncodeToString([]byte("{phoneNo=" + phone + "&certifId=" + id + "}"))
	raw := sign.Fields{"orderId": "ORDER0001", "respCode": "00", "accNo": pan, "customerInfo": ci,
		"encryptedInfo": ci, "cardTransData": ci, "tokenPayData": ci, "qrNo": ci, "fileContent": ci}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("answer", "raw", raw)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("answer", "raw", raw)
	outs := map[string]string{
		"%v": fmt.Sprintf("%v", raw), "%+v": fmt.Sprintf("%+v", raw), "%#v": fmt.Sprintf("%#v", raw),
		"fmt.Sprint": fmt.Sprint(raw), "slog text": text.String(), "slog JSON": js.String(),
	}
	for how, out := range outs {
		for _, s := range []string{pan, phone, id, ci} {
			if ok, form := leaktest.Shows(out, s); ok {
				t.Errorf("%s shows %q (%s): %.300s", how, s, form, out)
			}
		}
		for _, want := range []string{"ORDER0001", "621626******0018"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q: %.300s", how, want, out)
			}
		}
	}
}

// TestFieldsMaskedTwice: a masked copy masked again (an answer's log form, whose Raw is already
// masked, printed through Fields.String) stays masked and keeps its sizes; the original is left
// as it was.
func TestFieldsMaskedTwice(t *testing.T) {
	t.Parallel()
	raw := sign.Fields{"accNo": "6216261000000000018", "fileContent": "UEsDBBQAAAAI", "customerInfo": "e3Bob25lTm89MX0=", "orderId": "O1"}
	once := raw.Masked()
	want := sign.Fields{"accNo": "621626******0018", "fileContent": "(12 bytes)", "customerInfo": "***", "orderId": "O1"}
	if fmt.Sprint(map[string]string(once)) != fmt.Sprint(map[string]string(want)) {
		t.Errorf("Masked = %v, want %v", map[string]string(once), map[string]string(want))
	}
	if twice := once.Masked(); fmt.Sprint(map[string]string(twice)) != fmt.Sprint(map[string]string(want)) {
		t.Errorf("Masked twice = %v, want %v", map[string]string(twice), map[string]string(want))
	}
	if raw["accNo"] != "6216261000000000018" || raw["fileContent"] != "UEsDBBQAAAAI" {
		t.Errorf("Masked changed the original: %v", map[string]string(raw))
	}
	if sign.Fields(nil).Masked() != nil {
		t.Error("nil masked is not nil")
	}
}
