package reconcile

import (
	"hash/maphash"
	"iter"
)

// orderIndex holds the merchant's orders of one day and finds them by orderId.
// It is an open-addressing hash table of 8-byte slots (32 bits of the
// orderId's hash, which also place the slot, and the order's position), with
// the orders themselves in fixed-size blocks that never move: smaller and
// cheaper than a map[string] (no pointers for the collector to scan in the
// table, no rehashing of strings on growth) and exact, since a slot whose hash
// bits match is confirmed by comparing the orderIds.
type orderIndex struct {
	seed   maphash.Seed
	slots  []uint64 // hash<<32 | position+1; 0 is empty; len is a power of two
	n      int
	seen   int // orders marked seen by Match
	blocks []*[orderBlock]orderEntry
	sink   uint64 // keeps the loads of touch
}

type orderEntry struct {
	order Order
	seen  bool
}

const orderBlock = 4096

func newOrderIndex() *orderIndex {
	return &orderIndex{seed: maphash.MakeSeed(), slots: make([]uint64, 1024)}
}

func (m *orderIndex) hash(orderID string) uint32 {
	return uint32(maphash.String(m.seed, orderID) >> 32)
}

func (m *orderIndex) entry(j int) *orderEntry {
	return &m.blocks[j/orderBlock][j%orderBlock]
}

// add stores o; it reports false, storing nothing, for a duplicate orderId.
func (m *orderIndex) add(o Order) bool { return m.addHashed(&o, m.hash(o.OrderID)) }

// addHashed is add for an order whose orderId hashes to h; o is copied.
func (m *orderIndex) addHashed(o *Order, h uint32) bool {
	mask := uint32(len(m.slots) - 1)
	i := h & mask
	for ; m.slots[i] != 0; i = (i + 1) & mask {
		if s := m.slots[i]; uint32(s>>32) == h && m.entry(int(uint32(s))-1).order.OrderID == o.OrderID {
			return false
		}
	}
	if m.n%orderBlock == 0 {
		m.blocks = append(m.blocks, new([orderBlock]orderEntry))
	}
	m.entry(m.n).order = *o // the block is new: seen is false
	m.n++
	m.slots[i] = uint64(h)<<32 | uint64(m.n)
	if 2*m.n > len(m.slots) {
		m.grow()
	}
	return true
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

// touch loads the first slot for hash h, so that a find or add for h soon
// after finds it in the cache; independent touches overlap their misses.
func (m *orderIndex) touch(h uint32) {
	m.sink += m.slots[h&uint32(len(m.slots)-1)]
}

// find returns the order with orderID, or nil.
func (m *orderIndex) find(orderID string) *orderEntry { return m.findHashed(orderID, m.hash(orderID)) }

func (m *orderIndex) findHashed(orderID string, h uint32) *orderEntry {
	mask := uint32(len(m.slots) - 1)
	for i := h & mask; m.slots[i] != 0; i = (i + 1) & mask {
		if s := m.slots[i]; uint32(s>>32) == h {
			if e := m.entry(int(uint32(s)) - 1); e.order.OrderID == orderID {
				return e
			}
		}
	}
	return nil
}

// entries yields the orders in input order.
func (m *orderIndex) entries() iter.Seq[*orderEntry] {
	return func(yield func(*orderEntry) bool) {
		for j := range m.n {
			if !yield(m.entry(j)) {
				return
			}
		}
	}
}
