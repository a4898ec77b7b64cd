package apicheck_test

import (
	"sync"
	"testing"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

var (
	keysOnce sync.Once
	keysV    *unionpaytest.Keys
	keysErr  error
)

func keys(t *testing.T) *unionpaytest.Keys {
	keysOnce.Do(func() { keysV, keysErr = unionpaytest.NewKeys() })
	if keysErr != nil {
		t.Fatal(keysErr)
	}
	return keysV
}
