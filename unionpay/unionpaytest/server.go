package unionpaytest

import (
	"context"
	"crypto/rsa"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
)

// Endpoint names one of the gateway's request URLs.
type Endpoint string

// The gateway's endpoints, with the paths the real gateway uses under https://gateway.95516.com
// (the file host serves at /filedownload/ here).
const (
	EndpointFront Endpoint = "/gateway/api/frontTransReq.do"
	EndpointBack  Endpoint = "/gateway/api/backTransReq.do"
	EndpointQuery Endpoint = "/gateway/api/queryTrans.do"
	EndpointBatch Endpoint = "/gateway/api/batchTrans.do"
	EndpointApp   Endpoint = "/gateway/api/appTransReq.do"
	EndpointCard  Endpoint = "/gateway/api/cardTransReq.do"
	EndpointFile  Endpoint = "/filedownload/"
)

// known reports whether ep is one of the Endpoint constants.
func (ep Endpoint) known() bool {
	switch ep {
	case EndpointFront, EndpointBack, EndpointQuery, EndpointBatch, EndpointApp, EndpointCard, EndpointFile:
		return true
	}
	return false
}

const (
	pathPay        = "/cashier/pay"
	maxRequestBody = 1 << 20  // 1 MiB for ordinary requests
	maxBatchBody   = 32 << 20 // batch files
)

// Server is a fake UnionPay full-channel gateway listening on a loopback address. It is safe for
// concurrent use. Close it when done; Close also stops notification deliveries in flight.
type Server struct {
	// URL is the base URL of the gateway, e.g. https://127.0.0.1:40123.
	URL string

	ts   *httptest.Server
	opts options
	pki  *pki
	loc  *time.Location

	notifier *http.Client    // sends notifications
	browser  *http.Client    // Pay's shopper
	ctx      context.Context // cancelled by Close; parent of every delivery
	cancel   context.CancelFunc
	wg       sync.WaitGroup // deliveries in flight

	// rotMu serializes the certificate rotations, which generate keys outside mu and then swap
	// the new identities in under it: a rotation reads pki's chain under rotMu alone.
	rotMu sync.Mutex

	mu           sync.Mutex
	closed       bool // set by Close: no delivery starts after it
	seq          uint64
	finals       uint64          // transactions that became final, for txn.finalSeq
	orders       map[string]*txn // by orderId
	byQueryID    map[string]*txn
	qrNos        map[string]*txn // the last consume by each payer's payment code (qrNo), see usedQRNo
	sessions     map[string]*txn // cashier sessions by session id
	batches      map[string]*batch
	scripts      map[string][]Outcome
	scriptSent   map[string]bool      // orderIds of Scripts a request came for (Close reports the others)
	queryScript  map[string][]Outcome // ScriptQuery: the queries' own respCodes, by orderId
	orderFaults  map[string][]Fault
	epFaults     map[Endpoint][]Fault
	orderNotif   map[string][]Fault
	epNotif      map[Endpoint][]Fault
	draws        drawCounts                // random fault draws made per key, by subject (WithFaults)
	drawOrder    history[drawSubjectEntry] // the subjects of draws, oldest first, with WithLedgerLimit only
	faultLog     history[FaultEvent]       // faults shown, in order (FaultLog)
	requests     history[Request]          // the merchant's requests, in the order decided (Requests)
	dropKeys     droppedKeys               // orderId and txnType of the requests dropped (Received)
	deliveries   history[Delivery]
	ledger       history[*txn]       // transactions recorded, oldest first, with WithLedgerLimit only
	batchKeys    history[string]     // the keys of batches, oldest first, with WithLedgerLimit only
	inFlight     int                 // background deliveries started and not finished (WaitNotifications)
	parked       int                 // of them, those waiting for the test clock (WithTestClock)
	idle         chan struct{}       // closed when inFlight-parked drops to 0; replaced when it leaves 0
	retries      map[*retry]struct{} // background deliveries in flight, for WaitNotifications' error
	holding      bool                // HoldNotifications is in force: deliveries are held, not started
	held         []heldNotification  // the notifications held, in the order they were due
	failedURLs   map[string]struct{} // backUrls whose first failed attempt was told of (logFailure)
	failedOrder  history[string]     // the same, oldest first, limited to maxFailedURLs
	rotations    int
	afterAnswer  func(req sign.Fields)                   // tests: runs between an answer and its notification's delivery
	afterFault   func(req sign.Fields)                   // tests: runs between taking a request's response fault and processing the request
	errorRecords map[string][]reconcile.ErrorRecord      // ZME lines by settle date yyyyMMdd
	extraRecords map[string][]reconcile.Record           // AddRecord's ZM lines by settle date yyyyMMdd
	alterations  map[string]func(*reconcile.Record) bool // AlterRecord's edits by queryId
	encKeys      map[string]*rsa.PrivateKey              // encryption keys by certId, current and rotated out
	tokenDeletes map[string]int                          // deletes (74) of a card's token, by trId|card: tokenFor
	sm2          *sm2PKI                                 // WithSM2; nil otherwise
}

// NewServer generates the gateway's certificates and starts it on a loopback address, over TLS
// unless WithPlainHTTP is given (like httptest.NewTLSServer). It panics only if the loopback
// listener or key generation fails, as httptest.NewServer does, or if an option is unusable (a
// zero Keys, a clock or merId out of range, an empty secure key, an unknown fault or a rate not
// from 0 to 1), with an error naming each such option. The zero Server is not usable.
func NewServer(opts ...Option) *Server {
	o := defaultOptions()
	for _, opt := range opts {
		if opt != nil { // a nil Option changes nothing
			opt(&o)
		}
	}
	s, err := newServer(o)
	if err != nil {
		panic(err)
	}
	return s
}

func newServer(o options) (*Server, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	p, err := newPKI(o.now(), o.sha1, o.merchantID, o.keys)
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts: o, pki: p, loc: reconcile.Beijing(), // the settlement files' zone, the gateway's
		orders: map[string]*txn{}, byQueryID: map[string]*txn{}, qrNos: map[string]*txn{}, sessions: map[string]*txn{},
		batches: map[string]*batch{}, scripts: map[string][]Outcome{}, scriptSent: map[string]bool{}, queryScript: map[string][]Outcome{}, orderFaults: map[string][]Fault{},
		epFaults:   map[Endpoint][]Fault{},
		orderNotif: map[string][]Fault{}, epNotif: map[Endpoint][]Fault{},
		errorRecords: map[string][]reconcile.ErrorRecord{}, extraRecords: map[string][]reconcile.Record{},
		alterations:  map[string]func(*reconcile.Record) bool{},
		encKeys:      map[string]*rsa.PrivateKey{certID(p.encryption.cert): p.encryption.key},
		draws:        drawCounts{},
		tokenDeletes: map[string]int{},
		faultLog:     history[FaultEvent]{limit: o.historyLimit},
		requests:     history[Request]{limit: o.historyLimit},
		deliveries:   history[Delivery]{limit: o.historyLimit},
		ledger:       history[*txn]{limit: o.ledgerLimit},
		batchKeys:    history[string]{limit: o.ledgerLimit},
		drawOrder:    history[drawSubjectEntry]{limit: o.ledgerLimit},
	}
	if o.sm2 {
		if s.sm2, err = newSM2PKI(o.now(), o.merchantID); err != nil {
			return nil, err
		}
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.ts = httptest.NewUnstartedServer(s.routes())
	// net/http logs connection errors (TLS handshakes cut by Close, say) to the standard logger:
	// noise in a test's output, and package-level state. Clients see their own errors.
	s.ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	if o.plainHTTP {
		s.ts.Start()
	} else {
		s.ts.StartTLS()
	}
	s.URL = s.ts.URL
	s.notifier = s.newNotifyClient()
	s.browser = s.HTTPClient()
	return s, nil
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, ep := range []Endpoint{EndpointBack, EndpointQuery, EndpointBatch, EndpointApp, EndpointCard, EndpointFile} {
		mux.Handle(string(ep), s.apiHandler(ep))
	}
	mux.HandleFunc(string(EndpointFront), s.serveFront)
	mux.HandleFunc(pathPay, s.servePay)
	return mux
}

// Close stops the gateway: it cancels notification deliveries, waits for them to return, and
// shuts the listener down. The first Close then reports to the Reporter ([WithReporter]), one
// line each, what the test queued and the gateway never used: a [Server.Script] of an orderId no
// request came with, and [Server.FailOrder] and [Server.FailEndpoint] faults (FaultNone
// aside) that no request or notification took, so that a test cannot silently test less than it
// meant to (the shop made another orderId, a second notification never came).
func (s *Server) Close() {
	s.mu.Lock()
	first := !s.closed
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	s.ts.Close()
	s.notifier.CloseIdleConnections()
	s.browser.CloseIdleConnections()
	if first && s.opts.reporter != nil {
		for _, line := range s.untaken() {
			s.report("Close: %s", line)
		}
	}
}

// URLFor returns the full URL of an endpoint.
func (s *Server) URLFor(ep Endpoint) string { return s.URL + string(ep) }

// MerchantID returns the merId of the test merchant.
func (s *Server) MerchantID() string { return s.opts.merchantID }

// Now returns the gateway's current time (its injected clock) in Beijing time.
func (s *Server) Now() time.Time { return s.opts.now().In(s.loc) }

// HTTPClient returns a new *http.Client that trusts the gateway's TLS certificate, with a 30 s
// timeout and no cookie jar.
func (s *Server) HTTPClient() *http.Client {
	var tr *http.Transport
	if t, ok := s.ts.Client().Transport.(*http.Transport); ok {
		tr = t.Clone()
	} else {
		tr = &http.Transport{}
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

func (s *Server) report(format string, args ...any) {
	if s.opts.reporter != nil {
		s.opts.reporter.Errorf("unionpaytest: "+format, args...)
	}
}

// nextSeq returns the next value of the gateway's counter. Callers hold s.mu.
func (s *Server) nextSeq() uint64 {
	s.seq++
	return s.seq
}

// newQueryID returns a deterministic 21-digit queryId: yyMMddHHmmss of the gateway clock and a
// 9-digit counter. Callers hold s.mu.
func (s *Server) newQueryID(now time.Time) string {
	return fmt.Sprintf("%s%09d", now.Format("060102150405"), s.nextSeq())
}
