package unionpay_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// orders is the durable order book of the shop: orderId+txnTime -> paid count.
type orders struct {
	mu   sync.Mutex
	want map[string]int64 // notify.KeyOf -> amount
	paid map[string]int
}

func (o *orders) markPaid(n *notify.Notification) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	k := notify.KeyOf(n.OrderID, n.TxnTime)
	amt, ok := o.want[k]
	if !ok || amt != n.TxnAmt {
		return nil
	}
	if o.paid[k] == 0 {
		o.paid[k]++
	}
	return nil
}

// serveOn starts an http.Server with a notify.Handler on addr (re-binding it after a restart).
func serveOn(t *testing.T, addr string, v *cert.Verifier, onNotify func(context.Context, *notify.Notification) error) *http.Server {
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, err)
	s := &http.Server{Handler: &notify.Handler{Verifier: v, OnNotify: onNotify}}
	go func() { _ = s.Serve(ln) }()
	return s
}

// (c) A SIGTERM arrives while OnNotify runs: Shutdown's deadline passes, the process exits
// (the connection is closed). Whether or not OnNotify's write committed, UnionPay (the fake)
// sends again, the new process applies it, and the order is paid exactly once.
func TestDeployNotifyDuringShutdown(t *testing.T) {
	for _, committed := range []bool{false, true} {
		t.Run(map[bool]string{false: "before-commit", true: "after-commit"}[committed], func(t *testing.T) {
			clk := newDClock()
			srv := dGateway(t, clk)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			addr := ln.Addr().String()
			require.NoError(t, ln.Close())
			backURL := "http://" + addr + "/notify"

			book := &orders{want: map[string]int64{}, paid: map[string]int{}}
			cfg := srv.Config()
			c, err := unionpay.NewClient(cfg)
			require.NoError(t, err)

			entered := make(chan struct{})
			var once sync.Once
			var gone atomic.Bool
			var sawCancel atomic.Bool
			old := serveOn(t, addr, cfg.Verifier, func(ctx context.Context, n *notify.Notification) error {
				once.Do(func() { close(entered) })
				if committed {
					_ = book.markPaid(n)
				}
				<-ctx.Done() // a slow database: only the connection's end stops it
				sawCancel.Store(true)
				if gone.Load() {
					return errors.New("killed")
				}
				return ctx.Err()
			})
			form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "SHUT0000000000001", Amount: 1234,
				Channel: unionpay.ChannelPC, FrontURL: "https://shop.example/return", BackURL: backURL,
				PayTimeout: clk.Now().Add(15 * time.Minute)})
			require.NoError(t, err)
			book.mu.Lock()
			book.want[notify.KeyOf(form.OrderID, form.TxnTime)] = 1234 // stored before serving the form
			book.mu.Unlock()
			_, err = srv.Pay(context.Background(), form.Fields, "")
			require.NoError(t, err)
			select {
			case <-entered:
			case <-time.After(5 * time.Second):
				t.Fatal("no notification")
			}
			// SIGTERM: Shutdown with a deadline, then the process exits.
			sctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			require.ErrorIs(t, old.Shutdown(sctx), context.DeadlineExceeded)
			gone.Store(true)
			require.NoError(t, old.Close())

			// the new process
			v, err := srv.NotifyVerifier()
			require.NoError(t, err)
			neu := serveOn(t, addr, v, func(ctx context.Context, n *notify.Notification) error {
				if n.Status() == notify.Succeeded && n.TxnType == "01" {
					return book.markPaid(n)
				}
				return nil
			})
			defer neu.Close()
			require.Eventually(t, func() bool {
				for _, d := range srv.Deliveries() {
					if d.OrderID == form.OrderID && d.Status == http.StatusOK {
						return true
					}
				}
				return false
			}, 10*time.Second, 20*time.Millisecond, "UnionPay sent again and the new process answered 200")
			book.mu.Lock()
			defer book.mu.Unlock()
			require.Equal(t, 1, book.paid[notify.KeyOf(form.OrderID, form.TxnTime)])
			require.True(t, sawCancel.Load())
			for _, d := range srv.Deliveries() {
				t.Logf("attempt %d status %d err %v", d.Attempt, d.Status, d.Err)
			}
		})
	}
}

// (d) The form is served by the old process; the shopper pays after the restart. The new
// process finds the order by orderId and txnTime as stored (the key it stored at checkout, from a
// clock with sub-second precision, round-tripped through a database that keeps microseconds).
func TestDeployPayAfterRestart(t *testing.T) {
	clk := newDClock()
	srv := dGateway(t, clk)
	front := newDFront(t)
	cfg := srv.Config()
	c1, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	type row struct {
		orderID string
		txnTime time.Time // as the database gives it back: UTC, microseconds
		amount  int64
	}
	var db []row
	form, err := c1.FrontConsume(&unionpay.ConsumeRequest{OrderID: "LATE0000000000001", Amount: 999,
		Channel: unionpay.ChannelPC, FrontURL: "https://shop.example/return", BackURL: front.url,
		PayTimeout: clk.Now().Add(15 * time.Minute)})
	require.NoError(t, err)
	db = append(db, row{form.OrderID, form.TxnTime.UTC().Truncate(time.Microsecond), 999})

	// restart: new client, new handler, the old process is gone
	cfg2 := srv.Config()
	c2, err := unionpay.NewClient(cfg2)
	require.NoError(t, err)
	got := make(chan *notify.Notification, 4)
	var h http.Handler = &notify.Handler{Verifier: cfg2.Verifier, OnNotify: func(ctx context.Context, n *notify.Notification) error {
		got <- n
		return nil
	}}
	front.cur.Store(&h)
	_, err = srv.Pay(context.Background(), form.Fields, "")
	require.NoError(t, err)
	n := <-got
	found := false
	for _, r := range db {
		if notify.KeyOf(r.orderID, r.txnTime) == n.Key() && r.amount == n.TxnAmt && r.txnTime.Equal(n.TxnTime) {
			found = true
		}
	}
	require.True(t, found, "order found by orderId+txnTime: %s", n.Key())
	// and a query from the new process by the stored txnTime finds it
	tx, err := c2.Query(context.Background(), &unionpay.QueryRequest{OrderID: db[0].orderID, TxnTime: db[0].txnTime,
		TxnType: "01", Amount: 999})
	require.NoError(t, err)
	require.Equal(t, unionpay.Succeeded, tx.State)
}

// (e) A restart with a changed Config: the encryption certificate rotated and saved from
// Client.Encrypter().Certificate(), and the Endpoints moved (another host name for the same
// gateway). Orders made before verify their notifications and queries; a payout after the
// restart encrypts to the new certificate.
func TestDeployRestartChangedConfig(t *testing.T) {
	clk := newDClock()
	srv := dGateway(t, clk)
	front := newDFront(t)
	store := newDStore()
	p := dStart(t, srv, front, store)
	ctx := context.Background()
	q := dPaid(t, srv, p.c, "CFG00000000000001", 5000)
	srv.Script("CFGREF00000000001", unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Succeed)
	t0 := clk.Now()
	store.put(dRec{Kind: "refund", OrderID: "CFGREF00000000001", TxnTime: t0, Amount: 100, OrigQueryID: q, State: "pending"})
	_, err := p.c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: "CFGREF00000000001", OrigQueryID: q, Amount: 100,
		TxnTime: t0, BackURL: front.url})
	require.NoError(t, err)

	require.NoError(t, srv.RotateEncryptionCert())
	updated, err := p.c.UpdateEncryptionCertificate(ctx)
	require.NoError(t, err)
	require.True(t, updated)
	saved := p.c.Encrypter().Certificate() // saved where the configuration loads it from
	require.Equal(t, srv.EncryptionCertificate().SerialNumber, saved.SerialNumber)
	p.kill(front)

	fwd := forwarder(t, srv.URL[len("https://"):])
	enc, err := cert.NewEncrypter(saved)
	require.NoError(t, err)
	p2 := dStart(t, srv, front, store, func(c *unionpay.Config) {
		c.Encrypter = enc
		e := c.Endpoints
		for _, u := range []*string{&e.Front, &e.Back, &e.Query, &e.Batch, &e.App, &e.Card, &e.File} {
			if *u != "" {
				*u = replaceHost(*u, fwd)
			}
		}
		c.Endpoints = e
	})
	left := recoverAll(t, srv, store, p2, clk)
	require.Empty(t, left)
	r, _ := store.get("CFGREF00000000001")
	require.Equal(t, "succeeded", r.State)
	_, err = p2.c.Payout(ctx, &unionpay.CardRequest{OrderID: "CFGPO000000000001", Amount: 100, AccNo: unionpaytest.TestCard,
		BackURL: front.url, Customer: &unionpay.Customer{Name: "张三"}})
	require.NoError(t, err)
}

func replaceHost(u, hostport string) string {
	// https://127.0.0.1:PORT/path -> https://hostport/path
	rest := u[len("https://"):]
	i := strings.IndexByte(rest, '/')
	return "https://" + hostport + rest[i:]
}

// forwarder is another address for the gateway (the Endpoints moved), a TCP relay.
func forwarder(t *testing.T, to string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			a, err := ln.Accept()
			if err != nil {
				return
			}
			b, err := net.Dial("tcp", to)
			if err != nil {
				_ = a.Close()
				continue
			}
			go func() { _, _ = io.Copy(a, b); _ = a.Close() }()
			go func() { _, _ = io.Copy(b, a); _ = b.Close() }()
		}
	}()
	return ln.Addr().String()
}
