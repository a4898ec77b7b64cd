package unionpay_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// countingSigner is an HSM's Signer as NewClient sees it: a type of its own, whose Sign is a
// round trip to the device.
type countingSigner struct {
	sign.Signer
	calls *atomic.Int32
}

func (s countingSigner) Sign(version string, canonical []byte) (string, error) {
	s.calls.Add(1)
	return s.Signer.Sign(version, canonical)
}

// TestReview15NewClientSignsNothingForACertificateSigner: NewClient "does no network I/O"; the
// secure-key probe (sameSecureKey) signs a message, which is free for a secure key, but must not
// reach a certificate Signer (an HSM's, signMethod 01), whose Sign is I/O and whose key the
// Verifier's chain check covers otherwise.
func TestReview15NewClientSignsNothingForACertificateSigner(t *testing.T) {
	srv := unionpaytest.NewServer()
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	var calls atomic.Int32
	cfg.Signer = countingSigner{Signer: cfg.Signer, calls: &calls}
	cfg.Decrypter = nil // its key cannot be compared with a custom Signer's anyway
	_, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	assert.Zero(t, calls.Load(), "NewClient signed with a certificate Signer")
}

// TestReview15QueryEchoedNoTransactionTypes: an answer that echoes the query's own txnType 00
// (an answer about no transaction: respCode 00 without origRespCode here) echoes its txnSubType too;
// neither is the transaction's.
func TestReview15QueryEchoedNoTransactionTypes(t *testing.T) {
	g := newGateway(t, func(req sign.Fields) reply { return reply{fields: answerTo(req, "00", nil)} })
	c := newTestClient(t, g)
	tx, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow})
	require.NoError(t, err)
	require.Equal(t, "00", tx.Raw["txnType"])
	assert.Empty(t, tx.TxnType)
	assert.Empty(t, tx.TxnSubType, "the query's own txnSubType")
}
