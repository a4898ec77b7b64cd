package reconcile

import (
	"hash/maphash"
	"strings"
	"time"
	"unsafe"
)

// orderIndex holds the merchant's orders of one day and finds them by orderId.
// It is an open-addressing hash table of 8-byte slots (32 bits of the
// orderId's hash, which also place the slot, and the order's position), with
// the orders themselves in fixed-size blocks that never move: smaller and
// cheaper than a map[string] (no rehashing of strings on growth) and exact,
// since a slot whose hash bits match is confirmed by comparing the orderIds.
//
// Nothing in the table or the blocks is a pointer, so the garbage collector
// does not scan them however many orders there are, and an entry is 32 bytes,
// two to a cache line (blocks are large allocations, which start on a page):
// an order's orderId is copied into blocks of orderIds, each whole in one, and
// the strings handed out for it point there (those bytes are written once and
// never again, as unsafe.String requires; a string kept from a Result keeps
// its block alive); its txnType is one of a few distinct ones kept aside; and its time
// is kept as Unix seconds, nanoseconds and the index of its location. An
// order that cannot be kept so (an orderId longer than any in a file, a time
// with a monotonic clock reading that would not come back identical) is kept
// whole in odd.
//
// A platform's order with a sub-merchant (Order.SubMerID) has it on the side,
// not in its entry: each distinct subMerId once in subs, and the order's index
// in it in a block of subOf that parallels the order's block. An order without
// one costs nothing there: subOf stays nil until an order has one, and so does
// the subOf block of 4096 orders none of which has one.
type orderIndex struct {
	seed     maphash.Seed
	slots    []uint64 // hash<<32 | position+1; 0 is empty; len is a power of two
	n        int
	seen     int // orders marked seen (by Match, or as duplicates)
	inserted int // orders in the table
	blocks   []*[orderBlock]orderEntry
	ids      []*[idBlock]byte      // the orderIds, each whole in one block, at the offsets entries give
	idEnd    int                   // offset of the first free byte in ids
	locs     []*time.Location      // the distinct locations of the orders' times
	loc      int                   // index in locs of the last location looked up
	types    []string              // the distinct txnTypes
	typ      int                   // index in types of the last txnType looked up
	odd      map[int]Order         // orders kept whole, by position
	subs     []string              // the distinct subMerIds of the orders (not in odd) that have one
	subIndex map[string]uint32     // subs index + 1, by subMerId
	subOf    []*[orderBlock]uint32 // by block (nil: none in it; short: none after): subs index + 1 of each order, 0 for none
	sink     uint64                // keeps the loads of touch
	built    bool                  // every order is in the table (see build)
}

// orderEntry is one order, without pointers, in 32 bytes; its orderId is in the ids blocks.
type orderEntry struct {
	sec    int64 // TxnTime's Unix seconds,
	amount int64
	nsec   int32 // its nanoseconds
	state  int32
	idOff  uint32 // orderId: ids[idOff/idBlock][idOff%idBlock:][:idLen]
	idLen  uint8
	typ    uint8 // txnType: types index + 1 (0: "")
	seen   bool
	loc    int8 // TxnTime: locs index + 1 (0: the zero Time; -1: the order is in odd)
}

const (
	orderBlock = 4096
	idBlock    = 256 << 10      // bytes of orderIds a block
	maxIDEnd   = int64(1) << 32 // ids' offsets are uint32: orders past them are kept in odd
	maxEntryID = 32             // the width of orderId in a file
	maxLocs    = 64             // more distinct locations: kept in odd
	maxTypes   = 255            // more distinct txnTypes: kept in odd
)

func newOrderIndex() *orderIndex {
	return &orderIndex{seed: maphash.MakeSeed(), slots: make([]uint64, 1024)}
}

func (m *orderIndex) hash(orderID string) uint32 {
	return uint32(maphash.String(m.seed, orderID) >> 32)
}

func (m *orderIndex) entry(j int) *orderEntry {
	return &m.blocks[j/orderBlock][j%orderBlock]
}

// id returns the orderId of the order at position j.
func (m *orderIndex) id(j int) string {
	e := m.entry(j)
	if e.loc < 0 {
		return m.odd[j].OrderID
	}
	return m.idAt(e)
}

// idAt returns the orderId of entry e, which is not in odd.
func (m *orderIndex) idAt(e *orderEntry) string {
	return unsafe.String(&m.ids[e.idOff/idBlock][e.idOff%idBlock], e.idLen)
}

// order returns the order at position j as it was added.
func (m *orderIndex) order(j int) Order {
	var o Order
	m.orderTo(j, &o)
	return o
}

// orderTo sets *o to the order at position j as it was added.
func (m *orderIndex) orderTo(j int, o *Order) {
	e := m.entry(j)
	if e.loc < 0 {
		*o = m.odd[j]
		return
	}
	o.OrderID = m.idAt(e)
	o.TxnType = ""
	if e.typ > 0 {
		o.TxnType = m.types[e.typ-1]
	}
	o.TxnTime = time.Time{}
	if e.loc > 0 {
		o.TxnTime = time.Unix(e.sec, int64(e.nsec)).In(m.locs[e.loc-1])
	}
	o.Amount, o.State = e.amount, State(e.state)
	o.SubMerID = ""
	if m.subOf != nil { // a platform's orders: the rest never look
		o.SubMerID = m.subAt(j)
	}
}

// subAt returns the subMerId of the order at position j, not in odd, or "".
func (m *orderIndex) subAt(j int) string {
	if b := j / orderBlock; b < len(m.subOf) && m.subOf[b] != nil {
		if k := m.subOf[b][j%orderBlock]; k > 0 {
			return m.subs[k-1]
		}
	}
	return ""
}

// storeSub sets the subMerId (not empty) of the order at position j, not in
// odd, interning it.
func (m *orderIndex) storeSub(j int, sub string) {
	k, ok := m.subIndex[sub]
	if !ok {
		if m.subIndex == nil {
			m.subIndex = make(map[string]uint32)
		}
		m.subs = append(m.subs, strings.Clone(sub)) // not the caller's text (a CSV row)
		k = uint32(len(m.subs))
		m.subIndex[m.subs[k-1]] = k
	}
	b := j / orderBlock
	for len(m.subOf) <= b {
		m.subOf = append(m.subOf, nil)
	}
	if m.subOf[b] == nil {
		m.subOf[b] = new([orderBlock]uint32)
	}
	m.subOf[b][j%orderBlock] = k
}

// add stores o; it reports false for a duplicate orderId (see insert).
func (m *orderIndex) add(o Order) bool { return m.addHashed(&o, m.hash(o.OrderID)) }

// addHashed is add for an order whose orderId (not empty) hashes to h.
func (m *orderIndex) addHashed(o *Order, h uint32) bool { return m.insert(m.append(o), h) }

// append copies o, whose orderId is not empty, into the next entry and
// returns its position. It is found only once inserted.
func (m *orderIndex) append(o *Order) int {
	j := m.n
	if j%orderBlock == 0 {
		m.blocks = append(m.blocks, new([orderBlock]orderEntry))
	}
	m.store(j, o) // the block is new: seen is false
	m.n++
	return j
}

// insert makes the order at position j, whose orderId hashes to h, one that
// find finds. It reports false for a duplicate orderId: the order stays out
// of the table and is marked seen, so that Match never reports it.
func (m *orderIndex) insert(j int, h uint32) bool {
	id := m.id(j)
	mask := uint32(len(m.slots) - 1)
	i := h & mask
	for ; m.slots[i] != 0; i = (i + 1) & mask {
		if s := m.slots[i]; uint32(s>>32) == h && m.id(int(uint32(s))-1) == id {
			m.entry(j).seen = true
			m.seen++
			return false
		}
	}
	m.slots[i] = uint64(h)<<32 | uint64(j+1)
	if m.inserted++; 2*m.inserted > len(m.slots) {
		m.grow()
	}
	return true
}

// store copies o into entry j.
func (m *orderIndex) store(j int, o *Order) {
	e := m.entry(j)
	e.amount, e.state = o.Amount, int32(o.State)
	typ := m.typeIndex(o.TxnType)
	if len(o.OrderID) == 0 || len(o.OrderID) > maxEntryID || typ < 0 || State(e.state) != o.State || !m.storeTime(e, o.TxnTime) ||
		!m.storeID(e, o.OrderID) {
		e.loc = -1
		if m.odd == nil {
			m.odd = make(map[int]Order)
		}
		m.odd[j] = *o
		return
	}
	e.typ = uint8(typ)
	if o.SubMerID != "" {
		m.storeSub(j, o.SubMerID)
	}
}

// storeID copies id (1 to maxEntryID bytes) into the ids blocks for e; it reports false if the
// blocks' offsets are used up.
func (m *orderIndex) storeID(e *orderEntry, id string) bool {
	off := m.idEnd
	if off%idBlock+len(id) > idBlock || off == len(m.ids)*idBlock { // a new block: an id never straddles two
		off = len(m.ids) * idBlock
		if int64(off)+idBlock > maxIDEnd {
			return false
		}
		m.ids = append(m.ids, new([idBlock]byte))
	}
	copy(m.ids[off/idBlock][off%idBlock:], id)
	e.idOff, e.idLen = uint32(off), uint8(len(id))
	m.idEnd = off + len(id)
	return true
}

// typeIndex returns the index + 1 in m.types of txnType (0 for ""), adding
// it; -1 if there are too many.
func (m *orderIndex) typeIndex(txnType string) int {
	if txnType == "" {
		return 0
	}
	if m.typ < len(m.types) && m.types[m.typ] == txnType {
		return m.typ + 1
	}
	for k, t := range m.types {
		if t == txnType {
			m.typ = k
			return k + 1
		}
	}
	if len(m.types) == maxTypes {
		return -1
	}
	m.types = append(m.types, txnType)
	m.typ = len(m.types) - 1
	return m.typ + 1
}

// storeTime sets the time of e to t; it reports false if t would not come
// back identical (== on time.Time compares its representation, as reflect
// and testify do) or has too rare a location.
func (m *orderIndex) storeTime(e *orderEntry, t time.Time) bool {
	if t == (time.Time{}) {
		e.loc = 0
		return true
	}
	loc := t.Location()
	k := m.locIndex(loc)
	if k < 0 {
		return false
	}
	sec, nsec := t.Unix(), t.Nanosecond()
	if time.Unix(sec, int64(nsec)).In(loc) != t {
		return false
	}
	e.sec, e.nsec, e.loc = sec, int32(nsec), int8(k+1)
	return true
}

// locIndex returns the index of loc in m.locs, adding it; -1 if there are
// too many.
func (m *orderIndex) locIndex(loc *time.Location) int {
	if m.loc < len(m.locs) && m.locs[m.loc] == loc {
		return m.loc
	}
	for k, l := range m.locs {
		if l == loc {
			m.loc = k
			return k
		}
	}
	if len(m.locs) == maxLocs {
		return -1
	}
	m.locs = append(m.locs, loc)
	m.loc = len(m.locs) - 1
	return m.loc
}

// sizeFor gives the table room for n orders without growing: at most half
// full, as insert keeps it.
func (m *orderIndex) sizeFor(n int) {
	size := len(m.slots)
	for size <= 2*n {
		size *= 2
	}
	if size > len(m.slots) {
		m.slots = make([]uint64, size)
	}
}

func (m *orderIndex) grow() {
	slots := make([]uint64, 2*len(m.slots))
	mask := uint32(len(slots) - 1)
	for _, s := range m.slots {
		if s == 0 {
			continue
		}
		i := uint32(s>>32) & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = s
	}
	m.slots = slots
}

// build puts every order into the table, which holds none yet, for orders
// known to have distinct orderIds (loadOrders found them ascending), at the
// table's final size, matchBatch at a time after touching their slots.
func (m *orderIndex) build() {
	m.built = true
	m.sizeFor(m.n)
	var hs [matchBatch]uint32
	for j0 := 0; j0 < m.n; j0 += matchBatch {
		end := min(j0+matchBatch, m.n)
		for j := j0; j < end; j++ {
			h := m.hash(m.id(j))
			hs[j-j0] = h
			m.touch(h)
		}
		for j := j0; j < end; j++ {
			m.insert(j, hs[j-j0])
		}
	}
}

// touch loads the first slot for hash h, so that a find or add for h soon
// after finds it in the cache; independent touches overlap their misses.
func (m *orderIndex) touch(h uint32) {
	m.sink += m.slots[h&uint32(len(m.slots)-1)]
}

// touchEntry loads the entry the first slot for hash h (touched before)
// points to, which a find for h will most likely compare.
func (m *orderIndex) touchEntry(h uint32) {
	if s := m.slots[h&uint32(len(m.slots)-1)]; s != 0 {
		if e := m.entry(int(uint32(s)) - 1); e.idLen > 0 { // and its orderId, which find compares
			m.sink += uint64(m.ids[e.idOff/idBlock][e.idOff%idBlock])
		}
	}
}

// find returns the position of the order with orderID, or -1.
func (m *orderIndex) find(orderID string) int { return m.findHashed(orderID, m.hash(orderID)) }

func (m *orderIndex) findHashed(orderID string, h uint32) int {
	mask := uint32(len(m.slots) - 1)
	for i := h & mask; m.slots[i] != 0; i = (i + 1) & mask {
		if s := m.slots[i]; uint32(s>>32) == h {
			if j := int(uint32(s)) - 1; m.id(j) == orderID {
				return j
			}
		}
	}
	return -1
}
