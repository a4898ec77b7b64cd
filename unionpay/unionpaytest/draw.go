package unionpaytest

import (
	"encoding/binary"
	"hash/fnv"
	"strconv"

	"github.com/goacp/unionpay/sign"
)

// Random faults (WithFaults) are drawn per key, not from one generator: the n-th draw for a key
// is a hash of the seed, the key and n. A request's key names its endpoint, txnType and what it
// is about; a notification's, its order. Concurrent clients interleave their requests
// differently from run to run, but each order's own requests come in the same sequence, so
// each gets the same faults.

// responseKey names the request a response fault is drawn for: its endpoint and txnType, and
// its orderId; for a request without one, the order its queryId names (or the queryId), its
// batch (batchNo and the day of txnTime) or its settlement file (settleDate and fileType).
// Callers hold s.mu.
func (s *Server) responseKey(ep Endpoint, req sign.Fields) string {
	switch {
	case req["orderId"] != "":
		return drawKey("response", string(ep), req["txnType"], "order", req["orderId"])
	case req["queryId"] != "":
		if t := s.byQueryID[req["queryId"]]; t != nil {
			return drawKey("response", string(ep), req["txnType"], "order", t.orderID)
		}
		return drawKey("response", string(ep), req["txnType"], "queryId", req["queryId"])
	case req["batchNo"] != "":
		day := req["txnTime"]
		if len(day) > 8 {
			day = day[:8]
		}
		return drawKey("response", string(ep), req["txnType"], "batch", req["batchNo"], day)
	case req["settleDate"] != "":
		return drawKey("response", string(ep), req["txnType"], "file", req["settleDate"], req["fileType"])
	}
	return drawKey("response", string(ep), req["txnType"])
}

// drawOwner is what the draws of a request or notification are about, and kept with under
// WithLedgerLimit: an order (orderID), a bulk batch (batch, its batchKey) or, both "", nothing
// the ledger keeps.
type drawOwner struct {
	orderID, batch string
}

// subject returns what the counts of draws about o are kept under (see drawCounts): o's order's,
// o's batch's, or, for neither, key's own.
func (o drawOwner) subject(key string) string {
	switch {
	case o.orderID != "":
		return orderSubject(o.orderID)
	case o.batch != "":
		return batchSubject(o.batch)
	}
	return key
}

// drawOwner returns what the draws of a request are kept with under WithLedgerLimit: the order
// it is about (its orderId, or that of the transaction its queryId names) or its batch; neither
// for the others (a file, an unknown queryId, a request about nothing), whose counts are each
// kept under their own key and bounded apart (see listDrawSubject). Callers hold s.mu.
func (s *Server) drawOwner(req sign.Fields) drawOwner {
	switch {
	case req["orderId"] != "":
		return drawOwner{orderID: req["orderId"]}
	case req["queryId"] != "":
		if t := s.byQueryID[req["queryId"]]; t != nil {
			return drawOwner{orderID: t.orderID}
		}
	case req["batchNo"] != "" && len(req["txnTime"]) >= 8:
		return drawOwner{batch: batchKey(req["batchNo"], req["txnTime"])}
	}
	return drawOwner{}
}

// orderSubject is the draws' subject of the requests and notifications of orderID.
func orderSubject(orderID string) string { return drawKey("order", orderID) }

// batchSubject is the draws' subject of the requests of the batch with the key batchKey gives.
func batchSubject(key string) string { return drawKey("batch", key) }

// notificationKey names the notifications of orderID, whatever request triggered them.
func notificationKey(orderID string) string { return drawKey("notification", "order", orderID) }

// drawKey joins parts, each prefixed with its length, so that different parts make different keys.
func drawKey(parts ...string) string {
	var b []byte
	for _, p := range parts {
		b = strconv.AppendInt(b, int64(len(p)), 10)
		b = append(b, ':')
		b = append(b, p...)
	}
	return string(b)
}

// drawCounts counts the draws made for each key, by the subject the key is about (see
// drawOwner): WithLedgerLimit forgets a subject's counts with its order or batch, and bounds
// those of the others (listDrawSubject).
type drawCounts map[string]*keyCounts

// keyCounts is one subject's counts of draws, by key. A new subject gets a new one, so that
// listDrawSubject can tell the counts it listed from those of the same subject made again.
type keyCounts struct {
	byKey map[string]uint64
}

// drawSubjectEntry is a subject whose counts were made, in the order drawOrder lists them
// (WithLedgerLimit only): its counts, and what they are about.
type drawSubjectEntry struct {
	subject string
	counts  *keyCounts
	owner   drawOwner
}

// draw picks at most one fault of the given class for key, from the key's next uniform number.
// The count of draws of key is kept under the subject of owner (see drawOwner.subject).
// Callers hold s.mu.
func (s *Server) draw(notification bool, owner drawOwner, key string) Fault {
	subject := owner.subject(key)
	counts := s.draws[subject]
	if counts == nil {
		counts = &keyCounts{byKey: map[string]uint64{}}
		s.draws[subject] = counts
		s.listDrawSubject(drawSubjectEntry{subject: subject, counts: counts, owner: owner})
	}
	n := counts.byKey[key]
	counts.byKey[key] = n + 1
	x := uniform(s.opts.faultSeed, key, n) // one draw: each fault gets its own rate, not what the earlier ones leave
	for f := Fault5xx; f < faultEnd; f++ {
		if f.isNotification() != notification {
			continue
		}
		r := s.opts.faultRates[f]
		if r <= 0 {
			continue
		}
		if x < r {
			return f
		}
		x -= r
	}
	return FaultNone
}

// listDrawSubject adds e, a subject's new counts, to drawOrder under WithLedgerLimit, and
// forgets those of the subject listed longest ago, once as many subjects as the limit are
// listed, unless a transaction or batch the gateway keeps is about it (the limit forgets those
// counts with it: see forgotten). So the counts of what no kept transaction is about (a refused
// request's orderId, an unknown queryId, a file, a request about nothing) are bounded: the
// latest limit subjects' are kept, and a test that draws for fewer subjects than its limit sees
// every count kept. Callers hold s.mu.
func (s *Server) listDrawSubject(e drawSubjectEntry) {
	if s.drawOrder.limit == 0 {
		return
	}
	old, dropped := s.drawOrder.add(e)
	if !dropped || s.draws[old.subject] != old.counts {
		return // nothing listed dropped, or its counts were forgotten already (and made again since)
	}
	if o := old.owner; o.orderID != "" && s.orders[o.orderID] != nil || o.batch != "" && s.batches[o.batch] != nil {
		return // a kept transaction or batch holds them: they go with it
	}
	delete(s.draws, old.subject)
}

// uniform returns a number in [0, 1) that depends only on seed, key and n: FNV-1a (64 bits) of
// the three, fixed by its definition and so the same in every process and on every machine
// (unlike hash/maphash), then SplitMix64's finaliser, so that every bit of the result depends on
// every bit of the input. The 53 high bits make the float64.
func uniform(seed uint64, key string, n uint64) float64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	_, _ = h.Write(b[:]) // a hash.Hash never fails
	_, _ = h.Write([]byte(key))
	binary.LittleEndian.PutUint64(b[:], n)
	_, _ = h.Write(b[:])
	z := h.Sum64()
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	return float64(z>>11) / (1 << 53)
}
