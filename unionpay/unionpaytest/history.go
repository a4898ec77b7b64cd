package unionpaytest

import (
	"fmt"
	"hash/fnv"
)

// Dropped counts what the gateway forgot under its limits ([WithHistoryLimit],
// [WithLedgerLimit]), oldest first, since it started. All zero without them.
type Dropped struct {
	Requests     int // requests no longer listed by [Server.Requests]
	Deliveries   int // notification attempts no longer listed by [Server.Deliveries]
	FaultEvents  int // faults no longer listed by [Server.FaultLog]
	Transactions int // transactions removed from the ledger: queries, refunds and cancels no longer find them
}

// Dropped returns how many entries of each log and of the ledger the limits made the gateway
// forget, so that a test (or a long-running sandbox) can tell a short list from a complete one.
func (s *Server) Dropped() Dropped {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Dropped{Requests: s.requests.dropped, Deliveries: s.deliveries.dropped,
		FaultEvents: s.faultLog.dropped, Transactions: s.ledger.dropped}
}

// WithHistoryLimit makes the gateway keep only the latest n entries of each of its logs,
// [Server.Requests], [Server.Deliveries] and [Server.FaultLog], dropping the oldest first, and
// count the ones it dropped ([Server.Dropped]): a gateway left serving for days (the sandbox of
// cmd/unionpay) then holds a bounded history. Without it, or with n = 0, they keep everything,
// as a test wants. [Server.Received] never under-counts because of it: it panics when a request
// it would have counted may have been dropped. What the gateway needs to answer (its ledger) is
// bounded by [WithLedgerLimit], not by this. NewServer panics, naming WithHistoryLimit, on a
// negative n.
func WithHistoryLimit(n int) Option {
	return func(o *options) {
		if n < 0 {
			o.refuse("WithHistoryLimit: limit %d is negative; 0 keeps everything", n)
			return
		}
		o.historyLimit = n
	}
}

// WithLedgerLimit makes the gateway keep at most n transactions in its ledger, forgetting the
// oldest recorded first (whatever their status: a pending one too), and count them
// ([Server.Dropped]). A forgotten transaction is gone for every purpose: a query of it is
// answered 34 (not found), a refund, cancel or completion of it is refused as one of an unknown
// original, its orderId may be used again, and it leaves [Server.Transactions] and the
// settlement files, even of a day already closed. It keeps as many bulk batches
// ([unionpay.Client.SubmitBatch]) too, forgetting the oldest first: a query of a forgotten batch
// is answered 34 and its batchNo may be used again. A forgotten transaction's notification still
// on its retry schedule stops, so that a backUrl that never answers holds deliveries of the kept
// transactions only; an attempt under way is cut short, and listed in [Server.Deliveries] with
// an Err that says so ([ErrForgotten]). Each kept transaction holds its whole request, a few
// kilobytes.
//
// What else the gateway keeps per order, request or backUrl is bounded with it: the token
// deletes (txnType 74) of a card go once no kept transaction concerns its token; with
// [WithFaults], the draws of an orderId (or of a batch's batchNo) go with its transaction (the
// orderId used again draws as a new one), and those no kept transaction or batch is about (a
// refused request's orderId, a query of an unknown queryId, a file download, a request about
// nothing) are kept while they are among the latest n subjects (orders, batches or others) to
// have made a first draw, so a test that draws for fewer than n sees every count kept. A
// [Server.Script] or [Server.FailOrder] queue goes once its order takes it, with or without the
// limit, and the backUrls whose failures were told of are the latest 1000.
// The logs ([Server.Requests], [Server.Deliveries], [Server.FaultLog]) are bounded by
// [WithHistoryLimit], not by this; what a test queues and nothing takes (a Script of an orderId
// never sent, [Server.AlterRecord], [Server.AddRecord]) is not bounded. Without it, or with
// n = 0, the ledger keeps everything, as a test wants.
// NewServer panics, naming WithLedgerLimit, on a negative n.
func WithLedgerLimit(n int) Option {
	return func(o *options) {
		if n < 0 {
			o.refuse("WithLedgerLimit: limit %d is negative; 0 keeps everything", n)
			return
		}
		o.ledgerLimit = n
	}
}

// history is a log that keeps its latest limit entries (all of them when limit is 0), in the
// order they were added, and counts those it dropped. Guarded by Server.mu.
type history[T any] struct {
	limit   int
	buf     []T // with a limit, a ring once full: the oldest entry at buf[start]
	start   int
	dropped int
}

// add appends v and returns the entry it dropped to make room, if any.
func (h *history[T]) add(v T) (old T, dropped bool) {
	if h.limit == 0 || len(h.buf) < h.limit {
		h.buf = append(h.buf, v)
		return old, false
	}
	old, h.buf[h.start] = h.buf[h.start], v
	h.start = (h.start + 1) % len(h.buf)
	h.dropped++
	return old, true
}

// all returns a copy of the kept entries, oldest first.
func (h *history[T]) all() []T {
	out := make([]T, 0, len(h.buf))
	out = append(out, h.buf[h.start:]...)
	return append(out, h.buf[:h.start]...)
}

// droppedSlots is the number of slots of the table of dropped requests Received checks: a bit
// each, 8 KiB, allocated on the first drop.
const droppedSlots = 1 << 16

// droppedKeys remembers which orderId and txnType pairs had a request dropped, in a fixed table:
// a pair hashes to one slot, so a slot set says one of its pairs may have had one, a slot unset
// that none did. Guarded by Server.mu.
type droppedKeys struct {
	bits []uint64
}

// requestSlot returns the slot of orderID and txnType (FNV-1a, as the fault draws).
func requestSlot(orderID, txnType string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(orderID))
	_, _ = h.Write([]byte{0})
	_, _ = h.Write([]byte(txnType))
	return h.Sum64() % droppedSlots
}

// add records that a request of orderID and txnType was dropped.
func (d *droppedKeys) add(orderID, txnType string) {
	if d.bits == nil {
		d.bits = make([]uint64, droppedSlots/64)
	}
	i := requestSlot(orderID, txnType)
	d.bits[i/64] |= 1 << (i % 64)
}

// mayHold reports whether a request of orderID and txnType may have been dropped.
func (d *droppedKeys) mayHold(orderID, txnType string) bool {
	if d.bits == nil {
		return false
	}
	i := requestSlot(orderID, txnType)
	return d.bits[i/64]&(1<<(i%64)) != 0
}

// receivedDropped is Received's panic when a request it would count may have been dropped.
func receivedDropped(orderID, txnType string, dropped, limit int) error {
	return fmt.Errorf("unionpaytest: Received(%q, %q): requests of it may be among the %d dropped "+
		"by WithHistoryLimit(%d), and the count would be short; raise the limit", orderID, txnType, dropped, limit)
}
