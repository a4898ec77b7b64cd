package reconcile

import (
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"
)

// State is what the merchant's own system believes about an order.
type State int

// Order states. The zero value is StateUnset, which Match refuses: an order
// whose state was never filled in must not pass for paid.
const (
	StateUnset     State = iota // not given: an *OrderError (ErrNoState)
	StateSucceeded              // paid, refunded, undone: expected in the file
	StatePending                // outcome not known yet (should be queried)
	StateFailed                 // failed or abandoned: not expected in the file
)

// String returns "unset", "succeeded", "pending" or "failed".
func (s State) String() string {
	switch s {
	case StateUnset:
		return "unset"
	case StateSucceeded:
		return "succeeded"
	case StatePending:
		return "pending"
	case StateFailed:
		return "failed"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// ParseState returns the State whose String is s: "succeeded", "pending" or
// "failed", as an orders file or a database column holds it. These are also
// the words of package unionpay's State (string(tx.State)) and of package
// notify's Status (n.Status().String()), so an outcome that is final converts
// as it is; but a front payment's failure is final only once its payTimeout
// has passed (give StatePending until then), and a query's "not found" is no
// State: pending, or failed once QueryUntilFinal returns it as final. Any
// other s, "unset" and "not found" included, is an error matching
// [ErrNoState].
func ParseState(s string) (State, error) {
	for _, st := range []State{StateSucceeded, StatePending, StateFailed} {
		if s == st.String() {
			return st, nil
		}
	}
	return StateUnset, &stateWordError{word: s}
}

// stateWordError is ParseState's error: a word that is no State. It matches
// [ErrNoState] but says what was given instead of "not set".
type stateWordError struct{ word string }

// Error quotes the word and names the three ParseState reads.
func (e *stateWordError) Error() string {
	return fmt.Sprintf("reconcile: state %q is not succeeded, pending or failed", e.word)
}

// Unwrap returns [ErrNoState].
func (e *stateWordError) Unwrap() error { return ErrNoState }

// MarshalText returns the word String returns ("unset" for StateUnset), so that encoding/json
// writes "pending" rather than 2 (a number that package notify's Status gives another meaning:
// failed).
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText sets s to the state named text: the words [ParseState] reads, and "unset",
// which MarshalText writes for StateUnset (the zero value, as if the key were absent: the
// [Result] of an UnknownToMerchant record has it, and [Match] still refuses it in an order), so
// that every State decodes back. Any other text, a number and "State(N)" included, is
// ParseState's error, matching [ErrNoState], and leaves s unchanged.
func (s *State) UnmarshalText(text []byte) error {
	if string(text) == StateUnset.String() {
		*s = StateUnset
		return nil
	}
	st, err := ParseState(string(text))
	if err != nil {
		return err
	}
	*s = st
	return nil
}

// Order is one transaction as the merchant's own system records it. A refund
// or undo is its own order, with its own orderId, as in UnionPay's API.
type Order struct {
	// OrderID is the orderId sent to UnionPay, the matching key. The ZM
	// file's field holds 32 bytes (GBK): a longer orderId could never
	// match, and Match refuses it ([ErrOrderIDTooLong]).
	OrderID string
	TxnTime time.Time // txnTime sent to UnionPay (reported, not matched)
	// Amount is txnAmt in the minor unit of the order's currency (fen for
	// CNY; the file has no currency column, so a day with several currencies
	// has a Totals.Amount that adds them up), which is never negative: a
	// refund, an undo or a payout is an order of its own with a positive
	// amount (the record's SettleAmt carries the direction). A negative
	// Amount (a ledger that stores refunds as negative) still matches its
	// record by orderId, and comes out as an AmountMismatch saying so.
	Amount  int64
	TxnType string // txnType (01 consume, 04 refund, 31 undo, ...); "" = not checked
	State   State  // the merchant's view; required (StateUnset is an *OrderError matching ErrNoState)
	// SubMerID is, for a platform merchant (accessType 2), the subMerId of the sub-merchant the
	// order was sent for (its Client's Config.SubMerchant.ID); "" = not checked. A record that
	// UnionPay filed under another sub-merchant ([Record.SubMerchant], "" for none) is a
	// StateMismatch whose Detail names both, so that money settled to another shop is seen.
	SubMerID string
}

// Class is the outcome of matching one transaction.
type Class int

// The classes of [Result].
const (
	Matched           Class = iota // in both, same amount and type, merchant state succeeded
	UnknownToMerchant              // settled by UnionPay, no such order at the merchant
	MissingAtUnionPay              // merchant order (not failed) absent from the file
	AmountMismatch                 // in both, txnAmt differs from the order's amount
	StateMismatch                  // in both, but the merchant's state is not succeeded or the txnType (or Order.SubMerID) differs
	Duplicate                      // a second record with an orderId already matched
	numClasses
)

// Classes returns every class, in report order.
func Classes() []Class {
	return []Class{Matched, UnknownToMerchant, MissingAtUnionPay, AmountMismatch, StateMismatch, Duplicate}
}

// String returns the class's snake_case name, as used in reports.
func (c Class) String() string {
	switch c {
	case Matched:
		return "matched"
	case UnknownToMerchant:
		return "unknown_to_merchant"
	case MissingAtUnionPay:
		return "missing_at_unionpay"
	case AmountMismatch:
		return "amount_mismatch"
	case StateMismatch:
		return "state_mismatch"
	case Duplicate:
		return "duplicate"
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// ParseClass returns the Class whose String is s ("matched", "amount_mismatch", ...), as a
// report names it, for a class stored as text; any other s is an error quoting it and matching
// [ErrUnknownClass], as ParseState's matches [ErrNoState].
func ParseClass(s string) (Class, error) {
	for _, c := range Classes() {
		if c.String() == s {
			return c, nil
		}
	}
	return 0, &classWordError{word: s}
}

// classWordError is ParseClass's error: a word that is no Class. It matches [ErrUnknownClass]
// but says what was given and what is read.
type classWordError struct{ word string }

// Error quotes the word and names the classes ParseClass reads.
func (e *classWordError) Error() string {
	return fmt.Sprintf("reconcile: class %q is not one of matched, unknown_to_merchant, missing_at_unionpay, "+
		"amount_mismatch, state_mismatch or duplicate", e.word)
}

// Unwrap returns [ErrUnknownClass].
func (e *classWordError) Unwrap() error { return ErrUnknownClass }

// MarshalText returns the word String returns, the class's name in reports, so that
// encoding/json writes "amount_mismatch" rather than 3.
func (c Class) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText sets c to the class named text, as [ParseClass] reads it. Any other text, a
// number and "Class(N)" included, is ParseClass's error, matching [ErrUnknownClass], and leaves
// c unchanged.
func (c *Class) UnmarshalText(text []byte) error {
	cl, err := ParseClass(string(text))
	if err != nil {
		return err
	}
	*c = cl
	return nil
}

// Result is the outcome for one transaction. Record is UnionPay's record
// (zero, with Line 0, for MissingAtUnionPay); Order is the merchant's order
// (zero for UnknownToMerchant).
type Result struct {
	Class  Class
	Record Record
	Order  Order
	// Detail says what differs, for mismatches and duplicates; for a MissingAtUnionPay order
	// whose txnTime is in the quarter hour before 23:00 (UnionPay's usual cutoff), that it may be
	// in the next settle day's file; for one of txnType 02 or 32 (a pre-authorisation or its
	// cancel), that it moves no money and files need not list it; for another one still
	// StatePending, that it is to be queried and that the next settle day's file may hold it.
	// Notes that apply together are joined with "; ".
	Detail string
	// NearCutoff is set on a MissingAtUnionPay result whose order's txnTime is in the quarter
	// hour before 23:00 Beijing time (the Detail above, for a program): look for it in the next
	// settle day's file first. It is a hint, not a verdict: an order without it is no more
	// failed. An order still pending, a form or app tn paid after its txnTime (the shopper may
	// pay until payTimeout, and a payment made after 23:00 settles the next day) and an order
	// UnionPay received after 23:00 all come out missing with NearCutoff false. Take a
	// MissingAtUnionPay order as failed only on a final query answer, or once the next settle
	// day's file lacks it too; never from this flag's absence.
	NearCutoff bool
}

// HasRecord reports whether the result carries a record from the file.
func (r *Result) HasRecord() bool { return r.Class != MissingAtUnionPay }

// HasOrder reports whether the result carries a merchant order.
func (r *Result) HasOrder() bool { return r.Class != UnknownToMerchant }

// ErrDuplicateOrder is wrapped by the [*OrderError] for a second order with
// the same orderId; the first one is kept.
var ErrDuplicateOrder = errors.New("reconcile: duplicate orderId")

// ErrNoOrderID is wrapped by the [*OrderError] for an order without orderId.
var ErrNoOrderID = errors.New("reconcile: empty orderId")

// ErrNoState is wrapped by the [*OrderError] for an order whose State is
// StateUnset (or not one of the others): left out, it would pass for paid or
// for failed.
var ErrNoState = errors.New("reconcile: order state not set")

// ErrOrderIDTooLong is wrapped by the [*OrderError] for an order whose
// orderId is longer than the 32 bytes (GBK) of the ZM file's orderId field:
// no record can carry it, so it could never match.
var ErrOrderIDTooLong = errors.New("reconcile: orderId longer than the settlement file's 32 bytes")

// maxOrderID is the width of the ZM file's orderId field, in GBK bytes.
const maxOrderID = 32

// Orders returns the orders of a slice as the sequence [Match] takes, with no
// errors.
func Orders(orders []Order) iter.Seq2[Order, error] {
	return func(yield func(Order, error) bool) {
		for _, o := range orders {
			if !yield(o, nil) {
				return
			}
		}
	}
}

// Match matches UnionPay's records (usually [ZM]) against the merchant's
// orders for the same settlement day, by orderId. It reads all orders first,
// then streams the records, yielding one Result per record as it goes, and
// finally one MissingAtUnionPay result per order, in input order, that no
// record matched and whose state is not StateFailed. Memory grows with the
// number of orders, not with the size of the file. Records and orders are
// looked up in batches, so Match may read up to 15 of either ahead of the
// results it has yielded. Match keeps its own copy of the orders, 4096 to a
// block; the OrderID of a Result's Order points into a block, so
// a Result kept after Match keeps that block (256 KiB) in memory.
//
// Errors from either sequence are passed on, as are order errors ([*OrderError])
// for duplicate or empty orderIds, orderIds too long for the file and unset
// states (those orders are left out, and so never reported missing at
// UnionPay);
// ranging on after an error continues, so a caller can stop or collect them.
// A caller ranging over Match itself (to store each Result) tells them apart
// with [IsDataError], as [WriteCSV] does: a [*LineError] or an *OrderError is
// about one line or order, to list and go past; any other error (a member unreadable, truncated
// or corrupt, an orders file that could not be read) means records or orders
// were not read, so stop and trust none of the results, least of all the
// MissingAtUnionPay ones.
// A nil records or orders is the sequence's only element's error
// ([ErrNilArgument]), which [WriteCSV] and [WriteJSON] stop at.
//
// Each range over the sequence reads records and orders again, with state of
// its own: goroutines may range over one sequence at once when records and
// orders allow it, as [Archive.Records] and [Orders] do ([ZM] and [OrdersCSV]
// read one reader, which two ranges would share, and do not).
//
// Which orders to pass is the caller's choice: UnionPay's day usually runs
// from 23:00 the day before the settle date to 23:00 on it (group orders by
// the settleDate of their answer or notification, which package unionpay's
// ParseSettleDate reads, and by its SettleDay of the txnTime only while they
// have none), and the ZM file
// lists the transactions that move money (consumes, pre-auth completions,
// refunds, cancels, collections, payouts). A pre-authorisation and its
// cancel move none: the fake gateway's files leave them out (UnionPay's
// sample has only consumes), so pass them only if your files list them, or
// they are reported missing at UnionPay (with a Detail saying that they move
// no money, when the Order's TxnType is 02 or 32).
func Match(records iter.Seq2[Record, error], orders iter.Seq2[Order, error]) iter.Seq2[Result, error] {
	return func(yield func(Result, error) bool) {
		switch {
		case records == nil:
			yield(Result{}, nilArgument("records", "Match"))
			return
		case orders == nil:
			yield(Result{}, nilArgument("orders", "Match"))
			return
		}
		m, ok := loadOrders(orders, yield)
		if !ok {
			return
		}
		// Records often come in the order of the orders (both by time): a
		// record is first compared with the order after the one the last
		// record matched, and found without the table if it is that one and
		// not matched yet (the table would find the same: orderIds in it are
		// unique, and an order left out of it as a duplicate is marked seen).
		// Such a record, with no other waiting, is yielded at once, its
		// Result made on the stack. The others are copied once into their
		// batch slot, a Result completed in place (a Result is large), and
		// looked up together; the first of them builds the table if
		// loadOrders left it unbuilt.
		batch := make([]pendingRecord, 0, matchBatch)
		next := 0 // the order after the last one matched
		flush := func() bool {
			for i := range batch {
				if p := &batch[i]; p.err == nil && p.j < 0 {
					m.touch(p.h)
				}
			}
			for i := range batch {
				if p := &batch[i]; p.err == nil && p.j < 0 {
					m.touchEntry(p.h)
				}
			}
			for i := range batch {
				p := &batch[i]
				if p.err != nil {
					if !yield(Result{}, p.err) {
						return false
					}
					continue
				}
				j := p.j
				if j < 0 {
					j = m.findHashed(p.res.Record.OrderID, p.h)
				}
				m.matchAt(&p.res, j)
				if j >= 0 {
					next = j + 1
				}
				if !yield(p.res, nil) {
					return false
				}
			}
			batch = batch[:0]
			return true
		}
		for rec, err := range records {
			if len(batch) == 0 && err == nil && next < m.n && !m.entry(next).seen && m.id(next) == rec.OrderID {
				// The usual record, with nothing waiting before it.
				var o Order
				c, detail := m.matchTo(&rec, next, &o)
				next++
				if !yield(Result{Class: c, Record: rec, Order: o, Detail: detail}, nil) {
					return
				}
				continue
			}
			n := len(batch)
			batch = batch[:n+1]
			p := &batch[n]
			p.res.Record, p.err, p.j = rec, err, -1
			if err == nil {
				if next < m.n && !m.entry(next).seen && m.id(next) == rec.OrderID {
					p.j = next
					next++
				} else {
					if !m.built {
						m.build()
					}
					p.h = m.hash(rec.OrderID)
				}
			}
			if n+1 == matchBatch && !flush() {
				return
			}
		}
		if !flush() {
			return
		}
		if m.seen == m.n {
			return // every order was in the file: no need to read them all again
		}
		for j := range m.n {
			if e := m.entry(j); e.seen || State(e.state) == StateFailed {
				continue
			}
			o := m.order(j)
			near := nearCutoff(o.TxnTime)
			detail := near
			note := movesNoMoney(o.TxnType)
			if note == "" && o.State == StatePending {
				note = pendingMissing
			}
			if note != "" {
				detail = note
				if near != "" {
					detail += "; " + near
				}
			}
			if !yield(Result{Class: MissingAtUnionPay, Order: o, Detail: detail, NearCutoff: near != ""}, nil) {
				return
			}
		}
	}
}

// movesNoMoney is the Detail of a MissingAtUnionPay order of txnType t that moves no money: a
// pre-authorisation (02) or its cancel (32), which a settlement file need not list (the fake
// gateway's do not), so that its absence is not read as a failure; "" for any other txnType.
func movesNoMoney(t string) string {
	const none = "moves no money and settlement files need not list it: its absence is no failure (query it)"
	switch t {
	case "02":
		return "txnType 02, a pre-authorisation, " + none + "; its completion (03) is filed under the completion's own orderId"
	case "32":
		return "txnType 32, a pre-authorisation cancel, " + none
	}
	return ""
}

// pendingMissing is the Detail of a MissingAtUnionPay order still pending at the merchant (but
// of a txnType that moves no money, whose own Detail says to query it): what to do about it,
// which its state alone did not say.
const pendingMissing = "pending at the merchant and not in this file: query it; the next settle day's file may hold it " +
	"(take it as failed only on a final query answer, or once that file lacks it too)"

// cutoffMargin is how long before 23:00 (Beijing time), UnionPay's usual cutoff between settle
// days, an order's txnTime is said to be near it: a request is sent a little after its txnTime
// (package unionpay refuses a txnTime older than 13 minutes).
const cutoffMargin = 15 * time.Minute

// nearCutoff is the Detail of a MissingAtUnionPay order of txnTime t: a warning when t is within
// cutoffMargin before 23:00, "" otherwise. UnionPay files a transaction by when it received it,
// so such an order may be in the next settle day's file.
func nearCutoff(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	b := t.In(Beijing())
	cut := time.Date(b.Year(), b.Month(), b.Day(), 23, 0, 0, 0, Beijing())
	if b.Before(cut.Add(-cutoffMargin)) || !b.Before(cut) {
		return ""
	}
	return fmt.Sprintf("txnTime %s is within %d minutes before 23:00, UnionPay's usual cutoff: "+
		"received after it, the transaction is in the next settle day's file; look there before taking it as failed",
		b.Format("15:04:05"), int(cutoffMargin/time.Minute))
}

// orderError returns the error for order o (input index i) that its sequence
// yielded with err, or nil if it is one Match can use after all (an orderId
// longer than 32 bytes in UTF-8 that is 32 in GBK).
func orderError(o *Order, i int, err error) error {
	switch {
	case err != nil:
		return err
	case o.OrderID == "":
		return &OrderError{Index: i, Err: ErrNoOrderID}
	case len(o.OrderID) > maxOrderID && gbkLen(o.OrderID) > maxOrderID:
		err := fmt.Errorf("%w: %d bytes", ErrOrderIDTooLong, gbkLen(o.OrderID))
		return &OrderError{Index: i, OrderID: strings.Clone(o.OrderID), Err: err}
	case o.State < StateSucceeded || o.State > StateFailed:
		err := fmt.Errorf("%w: set Order.State to StateSucceeded, StatePending or StateFailed "+
			"(StatePending until the outcome is final)", ErrNoState)
		return &OrderError{Index: i, OrderID: strings.Clone(o.OrderID), Err: err}
	}
	return nil
}

// loadOrders reads the orders into an index, yielding errors for bad ones.
// Each order is copied into the index as it comes. While their orderIds
// strictly ascend, none can be a duplicate, and the hash table is left for
// Match to build when a record first needs it (records that come in the
// orders' order never do); otherwise it is built here, once all are in, at
// its final size (no growing and rehashing as the orders come), matchBatch
// orders at a time after touching the slots of all of them first, as Match
// does with records, with the hash of each orderId taken as it came. Errors
// come in input order, once all orders are read.
func loadOrders(orders iter.Seq2[Order, error], yield func(Result, error) bool) (*orderIndex, bool) {
	m := newOrderIndex()
	var (
		hashes []uint32     // of the orderIds of the orders, by position, once not ascending
		errs   []orderFault // the orders that are errors, in input order
		i      int          // input index
		sorted = true       // the orderIds so far strictly ascend
	)
	for o, err := range orders {
		// The usual order passes the first test; orderError sorts out the others.
		plain := err == nil && o.OrderID != "" && len(o.OrderID) <= maxOrderID &&
			o.State >= StateSucceeded && o.State <= StateFailed
		if !plain {
			if err := orderError(&o, i, err); err != nil {
				errs = append(errs, orderFault{at: m.n, err: err})
				i++
				continue
			}
		}
		j := m.append(&o)
		i++
		if sorted {
			if j == 0 || m.id(j-1) < o.OrderID {
				continue
			}
			sorted = false
			hashes = make([]uint32, j, max(2*j, 1024))
			for k := range j {
				hashes[k] = m.hash(m.id(k))
			}
		}
		hashes = append(hashes, m.hash(o.OrderID))
	}
	if sorted { // no duplicates: the table waits for Match (see build)
		for _, f := range errs {
			if !yield(Result{}, f.err) {
				return nil, false
			}
		}
		return m, true
	}
	m.built = true
	m.sizeFor(m.n)
	skipped := 0                 // errors so far: the input index of order j is j+skipped
	faults := func(j int) bool { // yields the errors that came before order j
		for len(errs) > 0 && errs[0].at == j {
			if !yield(Result{}, errs[0].err) {
				return false
			}
			errs = errs[1:]
			skipped++
		}
		return true
	}
	for j0 := 0; j0 < m.n; j0 += matchBatch {
		end := min(j0+matchBatch, m.n)
		for j := j0; j < end; j++ {
			m.touch(hashes[j])
		}
		for j := j0; j < end; j++ {
			if !faults(j) {
				return nil, false
			}
			if !m.insert(j, hashes[j]) {
				err := &OrderError{Index: j + skipped, OrderID: strings.Clone(m.id(j)), Err: ErrDuplicateOrder}
				if !yield(Result{}, err) {
					return nil, false
				}
			}
		}
	}
	if !faults(m.n) { // the errors after the last order
		return nil, false
	}
	return m, true
}

// orderFault is an order loadOrders could not keep: err, which comes
// before the order at position at.
type orderFault struct {
	at  int
	err error
}

// matchBatch is how many records Match looks up together: it first loads the
// hash-table slot of each (see touch), so that their cache misses overlap
// instead of coming one after another (the table of a day's orders is larger
// than the caches). Results still come in file order.
const matchBatch = 16

// pendingRecord is a record (or error) waiting in Match's batch, with the
// hash of its orderId.
type pendingRecord struct {
	res Result // with its Record set
	err error
	j   int // the order it matches if known already, or -1
	h   uint32
}

// negativeAmountNote ends the detail of an AmountMismatch whose order has a
// negative Amount.
const negativeAmountNote = " (the merchant's amount is negative: txnAmt is never negative; store a refund as an order of its own with a positive amount)"

// matchAt completes res, whose Record is set, with the order at position j
// (the one with its orderId), or -1 for none.
func (m *orderIndex) matchAt(res *Result, j int) {
	if j < 0 || res.Record.OrderID == "" {
		res.Class, res.Order, res.Detail = UnknownToMerchant, Order{}, ""
		return
	}
	res.Class, res.Detail = m.matchTo(&res.Record, j, &res.Order)
}

// matchTo sets *o to the order at position j, the one with rec's orderId
// (not empty), marks it seen, and returns the class and detail of the pair.
func (m *orderIndex) matchTo(rec *Record, j int, o *Order) (Class, string) {
	m.orderTo(j, o)
	e := m.entry(j)
	if e.seen {
		return Duplicate, "orderId appears more than once in the file"
	}
	e.seen = true
	m.seen++
	var sub string // the sub-merchant's detail, when it differs
	if o.SubMerID != "" {
		sub = subMerchantDetail(rec, o)
	}
	switch {
	case rec.TxnAmt != o.Amount:
		detail := fmt.Sprintf("txnAmt %d at UnionPay, %d at the merchant", rec.TxnAmt, o.Amount)
		if o.Amount < 0 {
			detail += negativeAmountNote
		}
		return AmountMismatch, withSubMerchant(detail, sub)
	case o.State != StateSucceeded:
		return StateMismatch, withSubMerchant(fmt.Sprintf("settled at UnionPay, %s at the merchant", o.State), sub)
	case o.TxnType != "" && rec.TxnType != o.TxnType:
		return StateMismatch, withSubMerchant(fmt.Sprintf("txnType %s at UnionPay, %s at the merchant", rec.TxnType, o.TxnType), sub)
	case sub != "":
		return StateMismatch, sub
	}
	return Matched, ""
}

// subMerchantDetail is the Detail of a record filed under another sub-merchant than order o's
// (o.SubMerID, not empty) says: "subMerId X at UnionPay, Y at the merchant" ("none" for a record
// without one); "" when they agree.
func subMerchantDetail(rec *Record, o *Order) string {
	got := rec.SubMerchant()
	if got == o.SubMerID {
		return ""
	}
	if got == "" {
		got = "none"
	}
	return fmt.Sprintf("subMerId %s at UnionPay, %s at the merchant: settled to another sub-merchant than the order's", got, o.SubMerID)
}

// withSubMerchant adds the sub-merchant's detail sub, if any, to the detail of another mismatch,
// which the class names: a shop that differs too must not go unseen behind it.
func withSubMerchant(detail, sub string) string {
	if sub == "" {
		return detail
	}
	return detail + "; " + sub
}
