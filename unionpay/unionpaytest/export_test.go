package unionpaytest

// FilePAN and MessagePAN give the external tests the gateway's masks.
var (
	FilePAN    = filePAN
	MessagePAN = messagePAN
)

// KeptSizes returns how many entries the maps that WithLedgerLimit bounds besides the ledger
// hold: the counts of the fault draws (of every subject) and the token deletes.
func KeptSizes(s *Server) (draws, tokenDeletes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, counts := range s.draws {
		draws += len(counts.byKey)
	}
	return draws, len(s.tokenDeletes)
}

// QueuedSizes returns how many orderIds the gateway holds a Script, a mark that a request came
// for a Script, and a FailOrder queue (of response or notification faults) for.
func QueuedSizes(s *Server) (scripts, scriptSent, orderQueues int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.scripts), len(s.scriptSent), len(s.orderFaults) + len(s.orderNotif)
}
