package unionpay

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestReview14OtherErrorNamesCurrency: another transaction in a currency other than CNY is not
// described in fen.
func TestReview14OtherErrorNamesCurrency(t *testing.T) {
	err := otherError(&Transaction{TxnType: "01", Amount: 1000, State: Succeeded, Raw: map[string]string{"currencyCode": "392"}})
	assert.Contains(t, err.Error(), "1000 in currency 392")
	assert.NotContains(t, err.Error(), "fen")
	err = otherError(&Transaction{TxnType: "01", Amount: 1000, State: Succeeded, Raw: map[string]string{"currencyCode": "156"}})
	assert.Contains(t, err.Error(), "1000 fen")
}
