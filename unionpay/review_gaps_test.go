package unionpay_test

// Review (review-today): tests that kill mutations the audit's tests let survive. They pass on
// the reviewed code.

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// Raw.Masked's encryptedInfo, cardTransData and tokenPayData, and a UnionPay-masked accNo.
func TestReviewGapRawKeysMasked(t *testing.T) {
	raw := sign.Fields{"encryptedInfo": "ENCINFO-SECRET", "cardTransData": "{track2=TRACK-SECRET}",
		"tokenPayData": "{token=TOKEN-SECRET}", "accNo": "6216***********0018"}
	tx := unionpay.Transaction{Raw: raw, AccNo: "6216***********0018"}
	b, _ := json.Marshal(tx)
	for _, out := range []string{fmt.Sprint(tx), string(b)} {
		for _, s := range []string{"ENCINFO-SECRET", "TRACK-SECRET", "TOKEN-SECRET"} {
			if strings.Contains(out, s) {
				t.Errorf("shows %s: %s", s, out)
			}
		}
		if strings.Contains(out, "(encrypted)") {
			t.Errorf("a masked PAN in clear reads as encrypted: %s", out)
		}
	}
}

// A one-character name is hidden entirely (maskName's doc).
func TestReviewGapOneCharacterName(t *testing.T) {
	cu := unionpay.Customer{Name: "岚"}
	if s := fmt.Sprint(cu); strings.Contains(s, "岚") {
		t.Errorf("one-character name shown: %s", s)
	}
}

// hasControl: DEL, C1 (NEL U+0085) and U+2029 are refused like U+2028.
func TestReviewGapControlRunes(t *testing.T) {
	for _, v := range []string{"a\x7fb", "a\u0085b", "a\u2029b"} {
		_, _, _, err := unionpay.EncodeBatchFile("1.0", "000401", []unionpay.BatchRecord{{OrderID: "ORDER0001",
			Amount: 1, AccNo: "6216261000000000018", Postscript: v}})
		if err == nil {
			t.Errorf("Postscript %q accepted", v)
		}
	}
}

// IssInsCode is at most 20 letters or digits.
func TestReviewGapIssInsCodeLength(t *testing.T) {
	p := newAVProbe(t, func(c *unionpay.Config) { c.PlainCardData = true })
	_, err := p.c.FrontConsume(&unionpay.ConsumeRequest{OrderID: p.oid(), Amount: 100,
		FrontURL: "https://merchant.example/return", BackURL: avBack, IssInsCode: strings.Repeat("A", 21)})
	if err == nil {
		t.Error("IssInsCode of 21 letters accepted")
	}
}

// SettleDay in a zone east of Beijing: 23:00 Tokyo is 22:00 Beijing, the same settle day.
func TestReviewGapSettleDayEastOfBeijing(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	got := unionpay.SettleDay(time.Date(2026, 11, 27, 23, 0, 0, 0, tokyo))
	if got.Format(time.DateOnly) != "2026-11-27" {
		t.Errorf("got %s", got.Format(time.DateOnly))
	}
}
