package unionpay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestAnswerOfAnotherTxnType: a genuine, signed answer echoing this request's orderId, txnTime
// and merId but another txnType is about another transaction: the consume SMS (77) shares the
// consume's orderId, txnTime and amount, and a batch's submission (21) its query's (22) batchNo
// and txnTime. Taken for this request's, it made BackConsume report "accepted" with the SMS's
// queryId (a penetration test). A call that moves money is then pending; a query by queryId is
// still answered with the transaction's own txnType.
func TestAnswerOfAnotherTxnType(t *testing.T) {
	t.Parallel()
	as := func(txnType string) func(sign.Fields) reply {
		return func(r sign.Fields) reply { return reply{fields: answerTo(r, "00", sign.Fields{"txnType": txnType})} }
	}
	t.Run("back consume answered with the SMS's", func(t *testing.T) {
		t.Parallel()
		res, err := newTestClient(t, newGateway(t, as("77"))).BackConsume(context.Background(), cardReq())
		require.ErrorIs(t, err, unionpay.ErrPending)
		assert.Nil(t, res)
		assert.Contains(t, err.Error(), `answer is for txnType "77", not "01"`)
	})
	t.Run("refund answered with a cancel's", func(t *testing.T) {
		t.Parallel()
		_, err := newTestClient(t, newGateway(t, as("31"))).Refund(context.Background(), followUp())
		require.ErrorIs(t, err, unionpay.ErrPending)
	})
	t.Run("batch query answered with the submission's", func(t *testing.T) {
		t.Parallel()
		st, err := newTestClient(t, newGateway(t, as("21"))).QueryBatch(context.Background(),
			&unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0003", TxnTime: testNow})
		require.Error(t, err)
		assert.Nil(t, st)
		assert.Contains(t, err.Error(), `answer is for txnType "21", not "22"`)
	})
	t.Run("the same txnType", func(t *testing.T) {
		t.Parallel()
		_, err := newTestClient(t, newGateway(t, as("04"))).Refund(context.Background(), followUp())
		require.NoError(t, err)
	})
	t.Run("a query's answer carries the queried transaction's", func(t *testing.T) {
		t.Parallel()
		g := newGateway(t, func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", sign.Fields{"txnType": "01", "origRespCode": "00", "txnAmt": "1000"})}
		})
		tx, err := newTestClient(t, g).Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
		require.NoError(t, err)
		assert.Equal(t, unionpay.Succeeded, tx.State)
	})
}

// TestFileAnswerOfAnotherDate: a file download's answer echoing another settleDate (yesterday's
// 98 "no file" replayed for today's request, which shares its txnTime when sent in the same
// second) is an error, not ErrNoFile: today may well have a file.
func TestFileAnswerOfAnotherDate(t *testing.T) {
	t.Parallel()
	day := time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)
	noFile := func(settleDate string) func(sign.Fields) reply {
		return func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "98", sign.Fields{"settleDate": settleDate, "respMsg": "文件不存在"})}
		}
	}
	_, err := newTestClient(t, newGateway(t, noFile("0103"))).DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: day})
	require.Error(t, err)
	assert.NotErrorIs(t, err, unionpay.ErrNoFile)
	assert.Contains(t, err.Error(), `answer is for settleDate "0103", not "0104"`)

	_, err = newTestClient(t, newGateway(t, noFile("0104"))).DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: day})
	require.ErrorIs(t, err, unionpay.ErrNoFile, "the day asked")
}
