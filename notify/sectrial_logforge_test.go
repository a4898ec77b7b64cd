package notify_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// TestSecTrialVerifyValuesErrorQuotesKey: anyone posting to backUrl chooses the form's keys.
// VerifyValues names a repeated key, or one whose value is not GBK, in its error; written
// unquoted, a key holding a line break forges log lines in any log that prints the error as
// text (log.Printf("%v", err)), as a certificate's common name could before cert quoted it.
// The key must be quoted (and bounded) like every other piece of a rejected message the SDK
// puts in an error.
func TestSecTrialVerifyValuesErrorQuotesKey(t *testing.T) {
	t.Parallel()
	v := testPKI().verifier(t)
	forged := "x\n2026/11/27 10:00:00 INFO notify: notification accepted orderId=VICTIM0001 status=succeeded"
	for name, form := range map[string]url.Values{
		"repeated key":               {forged: {"1", "2"}, "orderId": {"ATTACK0001"}},
		"key whose value is not GBK": {"encoding": {"GBK"}, forged: {"\xff\xff"}},
		"long repeated key":          {strings.Repeat("k", 100000): {"1", "2"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := notify.VerifyValues(v, form)
			require.Error(t, err)
			assert.ErrorIs(t, err, sign.ErrMalformed)
			msg := err.Error()
			assert.NotContains(t, msg, "\n", "the error carries the sender's line break: a forged log line")
			assert.Less(t, len(msg), 1000, "the error carries the sender's whole key")
		})
	}
}
