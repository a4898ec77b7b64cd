package unionpay_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// paidOnce is the one database the replicas share: a payment is applied by a conditional update
// (UPDATE orders SET state = 'paid' WHERE key = ? AND state = 'pending').
type paidOnce struct {
	mu      sync.Mutex
	state   map[string]string // notify.KeyOf -> pending, paid
	applied map[string]int
}

func (d *paidOnce) markPaid(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.state[key] == "pending" {
		d.state[key] = "paid"
		d.applied[key]++
	}
}

// TestReplicasNotifyWhileAnotherQueries: replica A is handed the notification while replica B
// runs QueryUntilFinal for the same order; each has its own Client, Verifier and Handler (no
// memory shared but the database). Both finish, A answers 200, and the payment is applied once.
func TestReplicasNotifyWhileAnotherQueries(t *testing.T) {
	// notifications held back, and sent below with Server.Notify
	srv := unionpaytest.NewServer(unionpaytest.WithReporter(t), unionpaytest.WithNotifySchedule(time.Hour))
	t.Cleanup(srv.Close)
	db := &paidOnce{state: map[string]string{}, applied: map[string]int{}}

	type replica struct {
		c *unionpay.Client
		h *notify.Handler
	}
	queried := make(chan struct{})
	entered := make(chan int, 3) // the replica whose OnNotify runs
	var replicas [3]replica
	for i := range replicas {
		cfg := srv.Config() // fresh values: each replica loads its own from the Secret
		cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
		c, err := unionpay.NewClient(cfg)
		require.NoError(t, err)
		replicas[i] = replica{c: c, h: &notify.Handler{Verifier: cfg.Verifier,
			OnNotify: func(ctx context.Context, n *notify.Notification) error {
				entered <- i
				<-queried // B queries and applies it meanwhile
				if n.TxnType == "01" && n.Status() == notify.Succeeded {
					db.markPaid(n.Key())
				}
				return nil
			}}}
	}
	var next atomic.Int64
	lb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		replicas[(next.Add(1)-1)%3].h.ServeHTTP(w, r) // round robin, from A
	}))
	t.Cleanup(lb.Close)

	a, b := replicas[0], replicas[1]
	form, err := a.c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "REPL0000000000001", Amount: 1234,
		Channel: unionpay.ChannelPC, FrontURL: "https://shop.example/return", BackURL: lb.URL + "/notify",
		PayTimeout: srv.Config().Now().Add(15 * time.Minute)})
	require.NoError(t, err)
	// stored before the form is served: what another replica resumes from
	stored, err := json.Marshal(form)
	require.NoError(t, err)
	db.state[notify.KeyOf(form.OrderID, form.TxnTime)] = "pending"
	_, err = srv.Pay(context.Background(), form.Fields, "")
	require.NoError(t, err)

	notified := make(chan error, 1)
	go func() { notified <- srv.Notify(context.Background(), form.OrderID) }()
	require.Equal(t, 0, <-entered, "A is in OnNotify")

	var onB unionpay.Form
	require.NoError(t, json.Unmarshal(stored, &onB))
	want, got := form.QueryRequest(), onB.QueryRequest()
	require.True(t, want.TxnTime.Equal(got.TxnTime))
	want.TxnTime, got.TxnTime = time.Time{}, time.Time{} // the same instant, in a zone of JSON's
	require.Equal(t, want, got)
	require.True(t, form.Backoff().PayTimeout.Equal(onB.Backoff().PayTimeout))
	tx, err := b.c.QueryUntilFinal(context.Background(), onB.QueryRequest(), onB.Backoff())
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, tx.State)
	db.markPaid(notify.KeyOf(tx.OrderID, tx.TxnTime))
	close(queried)

	require.NoError(t, <-notified, "the notification was answered 200")
	db.mu.Lock()
	defer db.mu.Unlock()
	require.Equal(t, 1, db.applied[notify.KeyOf(form.OrderID, form.TxnTime)])
}

// TestReplicasShutdownDrainsNotify: SIGTERM while a replica's OnNotify runs. http.Server.Shutdown
// stops taking connections and waits for the Handler: the notification in flight is answered 200
// once stored; one sent after that finds no listener, is not answered 200, and UnionPay sends
// it again (to another replica, behind the load balancer).
func TestReplicasShutdownDrainsNotify(t *testing.T) {
	srv := unionpaytest.NewServer(unionpaytest.WithReporter(t), unionpaytest.WithNotifySchedule(time.Hour))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	c, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	entered, release := make(chan struct{}), make(chan struct{})
	var stored atomic.Int64
	hs := httptest.NewServer(&notify.Handler{Verifier: cfg.Verifier, OnNotify: func(ctx context.Context, n *notify.Notification) error {
		if n.OrderID == "DRAIN000000000001" {
			close(entered)
			<-release // the database commit, slow
			if ctx.Err() != nil {
				return ctx.Err() // Shutdown does not cancel it
			}
			stored.Add(1)
		}
		return nil
	}})
	t.Cleanup(hs.Close)

	var forms []*unionpay.Form
	for _, id := range []string{"DRAIN000000000001", "DRAIN000000000002"} {
		form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: id, Amount: 100, Channel: unionpay.ChannelPC,
			FrontURL: "https://shop.example/return", BackURL: hs.URL + "/notify"})
		require.NoError(t, err)
		_, err = srv.Pay(context.Background(), form.Fields, "")
		require.NoError(t, err)
		forms = append(forms, form)
	}
	notified := make(chan error, 1)
	go func() { notified <- srv.Notify(context.Background(), forms[0].OrderID) }()
	<-entered
	shutdown := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // within the 30 s grace
		defer cancel()
		shutdown <- hs.Config.Shutdown(ctx)
	}()
	// Once Shutdown has closed the listener, a notification is not answered 200: UnionPay
	// sends it again later.
	require.Eventually(t, func() bool {
		return srv.Notify(context.Background(), forms[1].OrderID) != nil
	}, 5*time.Second, 10*time.Millisecond)
	close(release)
	require.NoError(t, <-notified, "the notification in flight is answered 200")
	require.NoError(t, <-shutdown)
	require.Equal(t, int64(1), stored.Load())
}
