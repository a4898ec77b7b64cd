package unionpaytest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestFaultPendingRacingCopy: an order's FaultPending, taken by one of two copies of a request
// sent at once (a merchant resending, a browser posting the form twice), makes the order's
// transaction pending whichever copy creates it. The copy that took the fault is held after
// taking it while the other, which took none, goes through first. (The fault was taken in one
// critical section and its script installed in another: the other copy created the transaction
// in between, without it, and the fault, listed as taken, changed nothing: 00, not 05.)
func TestFaultPendingRacingCopy(t *testing.T) {
	t.Parallel()
	keys, err := NewKeys() // one generation for both servers: it dominates NewServer
	if err != nil {
		t.Fatal(err)
	}
	shop := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(shop.Close)
	tests := []struct {
		name string
		send func(ctx context.Context, srv *Server, c *unionpay.Client, order string, at time.Time) // one copy
	}{
		{"back consume sent twice", func(ctx context.Context, _ *Server, c *unionpay.Client, order string, at time.Time) {
			_, _ = c.BackConsume(ctx, &unionpay.CardRequest{OrderID: order, Amount: 1000, BackURL: shop.URL,
				TxnTime: at, AccNo: TestCard, Customer: &unionpay.Customer{IDType: "01",
					IDNumber: "341126197709218366", Name: "互联网", Phone: "13552535506", SMSCode: "123456", PIN: "111111"}})
		}},
		{"front form posted twice", func(ctx context.Context, srv *Server, c *unionpay.Client, order string, at time.Time) {
			form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: order, Amount: 1000, TxnTime: at,
				FrontURL: shop.URL, BackURL: shop.URL})
			if err == nil {
				_, _ = srv.Pay(ctx, form.Fields, "")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			const order = "FPRACE0001"
			srv := NewServer(WithKeys(keys), WithNotifySchedule(0))
			t.Cleanup(srv.Close)
			c, err := unionpay.NewClient(srv.Config())
			if err != nil {
				t.Fatal(err)
			}
			srv.FailOrder(order, FaultPending)
			held, release := make(chan struct{}), make(chan struct{})
			var calls atomic.Int32
			srv.afterFault = func(req sign.Fields) {
				if req["orderId"] == order && calls.Add(1) == 1 {
					close(held) // the first copy, which took the fault, waits for the second
					<-release
				}
			}
			ctx, at := context.Background(), time.Now()
			var wg sync.WaitGroup
			wg.Go(func() { tt.send(ctx, srv, c, order, at) })
			<-held
			tt.send(ctx, srv, c, order, at)
			close(release)
			wg.Wait()

			if log := srv.FaultLog(); len(log) != 1 || log[0].Fault != FaultPending {
				t.Fatalf("FaultLog %v, want the one FaultPending taken", log)
			}
			if x, ok := srv.Transaction(order); !ok || x.RespCode != string(Pending) {
				t.Errorf("the order's transaction: %+v (found %v), want it pending (05) as FaultPending makes it", x, ok)
			}
		})
	}
}
