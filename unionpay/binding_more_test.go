package unionpay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestAnswerWithoutTxnType: the txnType binding compares only an answer that carries one
// (as the other keys): an answer without txnType to a refund or a file download is taken as
// answered, as before the binding (making txnType mandatory went unnoticed).
func TestAnswerWithoutTxnType(t *testing.T) {
	t.Parallel()
	noTxnType := func(r sign.Fields) reply {
		f := answerTo(r, "00", nil)
		delete(f, "txnType")
		return reply{fields: f}
	}
	res, err := newTestClient(t, newGateway(t, noTxnType)).Refund(context.Background(), followUp())
	require.NoError(t, err)
	require.Equal(t, "00", res.RespCode)
	_, err = newTestClient(t, newGateway(t, noTxnType)).BackConsume(context.Background(), cardReq())
	require.NoError(t, err)
	require.NotErrorIs(t, err, unionpay.ErrPending)
}
