package reconcile

import (
	"hash/maphash"
	"iter"
)

// orderIndex holds the merchant's orders of one day and finds them by orderId.
// It is an open-addressing hash table of (64-bit hash, position) slots, with
// the orders themselves in fixed-size blocks that never move: cheaper than a
// map[string] (no pointers for the collector to scan in the table, no string
// hashing on growth) and exact, since a slot whose hash matches is confirmed
// by comparing the orderIds.
type orderIndex struct {
	seed   maphash.Seed
	slots  []slot // len is a power of two; h == 0 marks an empty slot
	n      int
	blocks [][orderBlock]orderEntry
}

type slot struct {
	h uint64
	j int32
}

type orderEntry struct {
	order Order
	seen  bool
}

const orderBlock = 4096

func newOrderIndex() *orderIndex {
	return &orderIndex{seed: maphash.MakeSeed(), slots: make([]slot, 1024)}
}

func (m *orderIndex) hash(orderID string) uint64 {
	h := maphash.String(m.seed, orderID)
	if h == 0 {
		h = 1
	}
	return h
}

func (m *orderIndex) entry(j int32) *orderEntry {
	return &m.blocks[j/orderBlock][j%orderBlock]
}

// add stores o; it reports false, storing nothing, for a duplicate orderId.
func (m *orderIndex) add(o Order) bool { return m.addHashed(o, m.hash(o.OrderID)) }

func (m *orderIndex) addHashed(o Order, h uint64) bool {
	mask := uint64(len(m.slots) - 1)
	i := h & mask
	for ; m.slots[i].h != 0; i = (i + 1) & mask {
		if m.slots[i].h == h && m.entry(m.slots[i].j).order.OrderID == o.OrderID {
			return false
		}
	}
	j := int32(m.n)
	if m.n%orderBlock == 0 {
		m.blocks = append(m.blocks, [orderBlock]orderEntry{})
	}
	*m.entry(j) = orderEntry{order: o}
	m.slots[i] = slot{h, j}
	m.n++
	if 2*m.n > len(m.slots) {
		m.grow()
	}
	return true
}

func (m *orderIndex) grow() {
	slots := make([]slot, 2*len(m.slots))
	mask := uint64(len(slots) - 1)
	for _, s := range m.slots {
		if s.h == 0 {
			continue
		}
		i := s.h & mask
		for slots[i].h != 0 {
			i = (i + 1) & mask
		}
		slots[i] = s
	}
	m.slots = slots
}

// find returns the order with orderID, or nil.
func (m *orderIndex) find(orderID string) *orderEntry { return m.findHashed(orderID, m.hash(orderID)) }

func (m *orderIndex) findHashed(orderID string, h uint64) *orderEntry {
	mask := uint64(len(m.slots) - 1)
	for i := h & mask; m.slots[i].h != 0; i = (i + 1) & mask {
		if m.slots[i].h == h {
			if e := m.entry(m.slots[i].j); e.order.OrderID == orderID {
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
			if !yield(m.entry(int32(j))) {
				return
			}
		}
	}
}
