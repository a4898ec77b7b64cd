package unionpay_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// Card numbers given whole as keys: key=value text taken for a key (a broken body's
// "accNo=6216261000000000018", a space typed for '=').
const (
	keyCard  = "6216261000000000018"
	keyCard2 = "6228480402564890018"
)

// keyHoldingValues returns fields whose keys hold card numbers, two of them cut alike, next to
// field names that must show whole.
func keyHoldingValues() sign.Fields {
	return sign.Fields{"accNo=" + keyCard: "", "accNo " + keyCard2: "1", keyCard: "x", "merId": "777290058110048",
		"orderId": "20261128000001"}
}

// TestRawFieldKeysMaskedInEveryForm: a key of a request's Extra, an answer's Raw, a request's
// Reserved or RiskRateInfo, or a Form's Fields that holds a card number never shows it in any log
// form (String, GoString, fmt's verbs, json.Marshal where it is a log form, slog's text and JSON
// handlers, by value, by pointer, nested): it shows cut, "accNo...", numbered when two are cut
// alike ("accNo...#1", "accNo...#2"); field names (merId, orderId) show whole with their values.
// The key was shown whole.
// Reserved and RiskRateInfo show every value as "***".
func TestRawFieldKeysMaskedInEveryForm(t *testing.T) {
	t.Parallel()
	secrets := []string{keyCard, keyCard2, keyCard[:12], keyCard2[:12]}
	inSource := rawFieldTypesInSource(t)
	check := func(t *testing.T, v any, jsonStored bool, shown ...string) {
		t.Helper()
		var leaks []leaktest.Leak
		for _, r := range leaktest.Render(v) {
			if jsonStored && (strings.HasPrefix(r.How, "json.Marshal") ||
				strings.HasPrefix(r.How, "slog JSON") && r.How != "slog JSON pointer") {
				continue // JSON encodes v as it is: its storage form, not a log form
			}
			for _, s := range secrets {
				if shows, how := leaktest.Shows(r.Out, s); shows {
					leaks = append(leaks, leaktest.Leak{How: how, Secret: s, Form: r.How, Out: r.Out})
				}
			}
		}
		if len(leaks) > 0 {
			t.Errorf("%d renderings show a card number given as a key, among them:\n%s", len(leaks),
				firstLines(leaktest.Summary(leaks), 8))
		}
		s := v.(interface{ String() string }).String()
		for _, want := range append([]string{"accNo...#1", "accNo...#2", "merId", "orderId"}, shown...) {
			assert.Contains(t, s, want, "String shows every field, field names whole")
		}
	}
	for name, zero := range rawFieldTypes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := reflect.New(reflect.TypeOf(zero))
			p.Elem().FieldByName(inSource[name]).Set(reflect.ValueOf(keyHoldingValues()))
			check(t, p.Elem().Interface(), false, "777290058110048", "20261128000001")
		})
	}
	t.Run("ConsumeRequest.Reserved and RiskRateInfo", func(t *testing.T) {
		t.Parallel()
		for _, set := range []func(*unionpay.ConsumeRequest){
			func(r *unionpay.ConsumeRequest) { r.Reserved = keyHoldingValues() },
			func(r *unionpay.ConsumeRequest) { r.RiskRateInfo = keyHoldingValues() },
		} {
			req := consumeReq()
			set(req)
			check(t, *req, false)
		}
	})
	t.Run("Form", func(t *testing.T) {
		t.Parallel()
		// A Form's JSON is not a log form: it is handed to a front-end to post (TestFormJSONUnmasked),
		// and so slog's JSON handler given a Form by value (its LogValue has a pointer receiver)
		// shows it so, accNo too.
		check(t, unionpay.Form{Action: "https://gateway.test/frontTransReq.do", Fields: keyHoldingValues()}, true,
			"777290058110048", "20261128000001")
	})
}

// TestRequestErrorExtraKeyHoldingValue: a request refused for an Extra key holding a card number
// names the key cut, as the log forms show it.
func TestRequestErrorExtraKeyHoldingValue(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(nil))
	c := newTestClient(t, g)
	req := consumeReq()
	req.Extra = sign.Fields{"accNo=" + keyCard: "1"}
	_, err := c.FrontConsume(req)
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, `Extra["accNo..."]`, re.Field)
	if leaks := leaktest.Find(err, keyCard, keyCard[:12]); len(leaks) > 0 {
		t.Errorf("the error shows the card number:\n%s", firstLines(leaktest.Summary(leaks), 8))
	}
}
