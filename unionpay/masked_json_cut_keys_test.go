package unionpay_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestMaskedJSONCutKeys: a request whose Extra, Reserved or RiskRateInfo holds a key that is not
// a field name is masked with that key cut ("accNo...", "...") and its value hidden, and that
// masked form is refused as masked when decoded (it would send "accNo...=***"), naming the key
// as cut: no card number in the error.
func TestMaskedJSONCutKeys(t *testing.T) {
	t.Parallel()
	const pan = "6216261000000000018"
	for _, r := range []*unionpay.ConsumeRequest{
		{OrderID: "ORDER0001", Extra: sign.Fields{"": "0"}},
		{OrderID: "ORDER0001", Extra: sign.Fields{"accNo=" + pan: "x"}},
		{OrderID: "ORDER0001", Extra: sign.Fields{pan: ""}},
		{OrderID: "ORDER0001", Extra: sign.Fields{"reserved": "{0=}"}},
		{OrderID: "ORDER0001", Reserved: sign.Fields{"0": ""}},
		{OrderID: "ORDER0001", RiskRateInfo: sign.Fields{"accNo " + pan: ""}},
	} {
		masked, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back unionpay.ConsumeRequest
		err = json.Unmarshal(masked, &back)
		if !errors.Is(err, unionpay.ErrMaskedJSON) {
			t.Errorf("%s decodes (%v), to %q %q %q", masked, err, back.Extra, back.Reserved, back.RiskRateInfo)
			continue
		}
		if strings.Contains(err.Error(), pan[:12]) {
			t.Errorf("%s: %v shows the card number", masked, err)
		}
	}
	// A key given with its value in a JSON a caller wrote: refused, its card number not shown.
	err := json.Unmarshal([]byte(`{"Extra":{"`+pan+`...":"***"}}`), new(unionpay.ConsumeRequest))
	if !errors.Is(err, unionpay.ErrMaskedJSON) || strings.Contains(err.Error(), pan[:12]) {
		t.Errorf("a cut-looking key holding a card number: %v", err)
	}
}
