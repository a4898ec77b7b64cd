package unionpay_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestLogFormsShowCertificatesBySize: a verified answer carries UnionPay's signing certificate
// (signPubKeyCert, ~2 KB) and signature; the log forms of the answers show both by their size, so
// that a logged Transaction is a line, not a page. The fields themselves are untouched.
func TestLogFormsShowCertificatesBySize(t *testing.T) {
	t.Parallel()
	certPEM := "-----BEGIN CERTIFICATE-----\n" + strings.Repeat("MIIEQzCCAyugAwIBAgIFEDJJNAkw", 60) + "\n-----END CERTIFICATE-----"
	sig := strings.Repeat("c2lnbmF0dXJl", 30)
	raw := sign.Fields{"respCode": "00", "orderId": "ORDER0001", "signPubKeyCert": certPEM, "signature": sig,
		"encryptPubKeyCert": certPEM}
	tx := unionpay.Transaction{OrderID: "ORDER0001", QueryID: "Q123", Raw: raw}
	res := unionpay.Result{OrderID: "ORDER0001", RespCode: "00", Raw: raw}
	for name, outs := range map[string][]string{
		"Transaction": {fmt.Sprint(tx), fmt.Sprintf("%#v", tx), mustJSON(t, tx), logJSON(&tx)},
		"Result":      {fmt.Sprint(res), mustJSON(t, res), logJSON(&res)},
		"Fields":      {fmt.Sprint(raw), logJSON(raw)},
	} {
		for _, out := range outs {
			if strings.Contains(out, "MIIEQzCC") || strings.Contains(out, "c2lnbmF0dXJl") {
				t.Errorf("%s: a log form shows the certificate or signature: %.200s", name, out)
			}
			for _, want := range []string{"ORDER0001", fmt.Sprintf("(%d bytes)", len(certPEM)), fmt.Sprintf("(%d bytes)", len(sig))} {
				if !strings.Contains(out, want) {
					t.Errorf("%s: %.300s lacks %q", name, out, want)
				}
			}
		}
	}
	if tx.Raw["signPubKeyCert"] != certPEM || tx.Raw["signature"] != sig {
		t.Error("the fields themselves were changed")
	}
}
