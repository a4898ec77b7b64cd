package soak

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
)

// state is what the merchant believes about one of its transactions.
type state int

const (
	stSent      state = iota // sent (or the form handed out), nothing known
	stAccepted               // answered 00: accepted, not succeeded
	stPending                // outcome unknown: answered 03/04/05, timed out, unreadable or unverified
	stNotFound               // a query found nothing (yet)
	stSucceeded              // final: succeeded
	stFailed                 // final: rejected, failed, or (at the end of the day) never happened
)

var stateNames = [...]string{"sent", "accepted", "pending", "not-found", "succeeded", "failed"}

func (s state) String() string { return stateNames[s] }

func (s state) final() bool { return s == stSucceeded || s == stFailed }

// moneyKinds are the txnTypes that appear in the settlement file when they succeed.
var moneyKinds = map[string]bool{"01": true, "03": true, "04": true, "31": true, "33": true, "11": true, "12": true}

// entry is one transaction of the merchant (one orderId).
type entry struct {
	orderID  string
	biz      int    // business order it belongs to
	kind     string // txnType
	orig     string // orderId of the original, for follow-ups
	amount   int64  // txnAmt sent, fen
	txnTime  time.Time
	front    bool
	state    state
	queryID  string
	how      string        // what made it final: "rejected", "query", "notify", "sweep"
	done     chan struct{} // closed when final
	notified int           // verified notifications applied or ignored as duplicates
}

// merchant is the merchant's back office: its ledger, its notification handler and the pages its
// web server serves. Everything in the ledger comes from the SDK.
type merchant struct {
	merID    string
	verifier *cert.Verifier

	mu        sync.Mutex
	entries   map[string]*entry
	forms     map[string]*unionpay.Form // checkout pages by orderId
	anomalies []string
	storeFail map[string]int // notifications seen per orderId, for simulated store failures
	returns   map[string]string
	captured  [][]byte // genuine notification bodies, as a sniffer would see them
	stats     map[string]int
}

func newMerchant(merID string, v *cert.Verifier) *merchant {
	return &merchant{merID: merID, verifier: v, entries: map[string]*entry{}, forms: map[string]*unionpay.Form{},
		storeFail: map[string]int{}, returns: map[string]string{}, stats: map[string]int{}}
}

func (m *merchant) count(key string, n int) {
	m.mu.Lock()
	m.stats[key] += n
	m.mu.Unlock()
}

func (m *merchant) anomaly(format string, args ...any) {
	m.mu.Lock()
	m.anomalies = append(m.anomalies, fmt.Sprintf(format, args...))
	m.mu.Unlock()
}

// register records a transaction before it is sent, so that a notification arriving before the
// synchronous answer finds it.
func (m *merchant) register(e *entry) *entry {
	e.done = make(chan struct{})
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.entries[e.orderID]; dup {
		m.anomalies = append(m.anomalies, "orderId registered twice: "+e.orderID)
	}
	m.entries[e.orderID] = e
	return e
}

// snapshot returns a copy of an entry's mutable fields.
func (m *merchant) snapshot(e *entry) (state, string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return e.state, e.queryID
}

// update applies what the SDK reported about orderID. A final state is applied once; a
// different final state later, an amount or queryId that disagrees, or an unknown order is an
// anomaly (the invariant says there must be none).
func (m *merchant) update(orderID string, st state, queryID string, amount int64, how string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.entries[orderID]
	if e == nil {
		m.anomalies = append(m.anomalies, fmt.Sprintf("%s: %s about an order the merchant never made", how, orderID))
		return
	}
	if amount != 0 && amount != e.amount {
		m.anomalies = append(m.anomalies, fmt.Sprintf("%s: %s reports %d fen, the order is for %d", how, orderID,
			amount, e.amount))
		return
	}
	if queryID != "" {
		if e.queryID != "" && e.queryID != queryID {
			m.anomalies = append(m.anomalies, fmt.Sprintf("%s: %s has queryId %s, earlier %s", how, orderID, queryID,
				e.queryID))
			return
		}
		e.queryID = queryID
	}
	switch {
	case e.state.final() && st.final() && st != e.state:
		m.anomalies = append(m.anomalies, fmt.Sprintf("%s: %s reported %s after %s (%s)", how, orderID, st, e.state,
			e.how))
	case e.state.final():
		if st.final() {
			m.stats["duplicate results ignored"]++
		}
	case st.final():
		e.state, e.how = st, how
		close(e.done)
	default:
		e.state = st
	}
}

// wait waits up to d for e to become final.
func (m *merchant) wait(e *entry, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-e.done:
		return true
	case <-t.C:
		return false
	}
}

// onNotify is the OnNotify of the merchant's notify.Handler. It applies a verified result once;
// one notification in 25 (by orderId) fails the first time, as a database would, so that the
// handler answers 500 and the gateway sends it again.
func (m *merchant) onNotify(_ context.Context, n *notify.Notification) error {
	m.mu.Lock()
	m.storeFail[n.OrderID]++
	seen := m.storeFail[n.OrderID]
	m.stats["notifications verified"]++
	e := m.entries[n.OrderID]
	if e != nil {
		e.notified++
		if e.state == stSent && !e.front {
			m.stats["notifications before the SDK returned the sync answer"]++
		}
	}
	m.mu.Unlock()
	if hash(n.OrderID)%25 == 0 && seen == 1 {
		m.count("store failures (500)", 1)
		return errors.New("soak: store unavailable")
	}
	if n.MerchantID != m.merID {
		m.anomaly("notify: %s for merId %s", n.OrderID, n.MerchantID)
		return nil
	}
	if e == nil {
		m.anomaly("notify: %s is not an order of the merchant", n.OrderID)
		return nil
	}
	if !n.TxnTime.Equal(e.txnTime.Truncate(time.Second)) || n.TxnType != e.kind {
		m.anomaly("notify: %s txnTime %v txnType %s, the order has %v %s", n.OrderID, n.TxnTime, n.TxnType,
			e.txnTime, e.kind)
		return nil
	}
	switch n.Status() {
	case notify.Succeeded:
		m.update(n.OrderID, stSucceeded, n.QueryID, n.TxnAmt, "notify")
	case notify.Failed:
		if e.front {
			return nil // a front payment may still be paid: only a query after payTimeout is final
		}
		m.update(n.OrderID, stFailed, n.QueryID, n.TxnAmt, "notify")
	}
	return nil
}

// routes is the merchant's web server: checkout pages, frontUrl, backUrl.
func (m *merchant) routes(h *notify.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/checkout/{orderId}", func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		f := m.forms[r.PathValue("orderId")]
		m.mu.Unlock()
		if f == nil {
			http.NotFound(w, r)
			return
		}
		f.ServeHTTP(w, r)
	})
	mux.HandleFunc("/return", m.serveReturn)
	mux.Handle("/notify", m.sniff(h))
	return mux
}

// serveReturn is frontUrl: the browser return is verified, shown, and never booked (it is not
// proof of payment).
func (m *merchant) serveReturn(w http.ResponseWriter, r *http.Request) {
	n, err := notify.ReadRequest(w, r, m.verifier, 0)
	if err != nil {
		m.count("front returns refused", 1)
		http.Error(w, "not verified", notify.HTTPStatus(err))
		return
	}
	m.mu.Lock()
	m.returns[n.OrderID] = n.RespCode
	m.stats["front returns verified"]++
	m.mu.Unlock()
	_, _ = io.WriteString(w, "payment being confirmed")
}

// sniff keeps copies of genuine notification bodies (requests without the attacker's marker
// that the handler accepted), as an eavesdropper on the merchant's network would.
func (m *merchant) sniff(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(forgedHeader) != "" || r.Method != http.MethodPost {
			h.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, notify.DefaultMaxBytes+1))
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		m.mu.Lock()
		m.stats[fmt.Sprintf("notification answers %d", rec.code())]++
		if rec.code() == http.StatusOK && len(m.captured) < 400 {
			m.captured = append(m.captured, body)
		}
		m.mu.Unlock()
	})
}

// capturedBody returns one captured genuine notification (nil if none yet).
func (m *merchant) capturedBody(i int) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.captured) == 0 {
		return nil
	}
	return m.captured[i%len(m.captured)]
}

// someOrder returns the orderId of one registered transaction, chosen by i.
func (m *merchant) someOrder(i int) *entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.entries) == 0 {
		return nil
	}
	ids := make([]string, 0, len(m.entries))
	for id := range m.entries {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	e := *m.entries[ids[i%len(ids)]]
	return &e
}

// open returns the entries that are not final yet.
func (m *merchant) open() []*entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*entry
	for _, e := range m.entries {
		if !e.state.final() {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].orderID < out[j].orderID })
	return out
}

// all returns copies of every entry, by orderId.
func (m *merchant) all() []entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]entry, 0, len(m.entries))
	for _, e := range m.entries {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].orderID < out[j].orderID })
	return out
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) code() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

func hash(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

// statsText renders counters sorted by name.
func statsText(stats map[string]int) string {
	keys := make([]string, 0, len(stats))
	for k := range stats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-40s %d\n", k, stats[k])
	}
	return b.String()
}
