package unionpaytest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestWaitNotificationsBetweenAnswerAndDelivery: the gateway writes its answer before it starts
// the notification's delivery, and the client may act on the answer at once. Between the two,
// WaitNotifications must not find the gateway idle (it did: the delivery was counted only once
// started).
func TestWaitNotificationsBetweenAnswerAndDelivery(t *testing.T) {
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer shop.Close()
	srv := NewServer(WithNotifySchedule(0))
	defer srv.Close()
	waited := make(chan error, 1)
	srv.afterAnswer = func(req sign.Fields) {
		if req["orderId"] != "WAITGAP0001" {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		defer cancel()
		waited <- srv.WaitNotifications(ctx)
	}
	c, err := unionpay.NewClient(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.BackConsume(context.Background(), &unionpay.CardRequest{OrderID: "WAITGAP0001", Amount: 1000,
		BackURL: shop.URL, AccNo: TestCard, Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366",
			Name: "互联网", Phone: "13552535506", SMSCode: "123456", PIN: "111111"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-waited; !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitNotifications between the answer and the delivery returned %v, want it to wait", err)
	}
	if err := srv.WaitNotifications(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Deliveries()); n != 1 {
		t.Fatalf("%d deliveries, want 1", n)
	}
}
