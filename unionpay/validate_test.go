package unionpay_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// The field rules of every request, from an audit of request-field validation. Every case feeds
// one value to one Client method against the in-process fake gateway (unionpaytest) and checks:
//   - reject: a *unionpay.RequestError (or *ConfigError for Config) naming the field, nothing sent
//     (a counting RoundTripper sees no request), no panic;
//   - accept: no RequestError, the request reaches the gateway and the gateway's strictness
//     checks (its Reporter) raise no protocol violation; for forms, the form is posted with
//     Server.Pay and the gateway must not report a violation;
//   - either: refused naming the field, or sent and accepted by the gateway's format checks.

type avCountRT struct {
	base http.RoundTripper
	n    *atomic.Int64
}

func (rt avCountRT) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.n.Add(1)
	return rt.base.RoundTrip(r)
}

// avProbe is a fake gateway, a client whose transport counts requests, and the gateway's
// protocol violations.
type avProbe struct {
	srv  *unionpaytest.Server
	c    *unionpay.Client
	sent atomic.Int64
	mu   sync.Mutex
	viol []string
	seq  atomic.Int64
}

func (p *avProbe) Errorf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.viol = append(p.viol, fmt.Sprintf(format, args...))
}

func (p *avProbe) violations() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.viol...)
}

func newAVProbe(t *testing.T, edit func(*unionpay.Config)) *avProbe {
	t.Helper()
	p := &avProbe{}
	p.srv = unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithReporter(p),
		unionpaytest.WithClock(unionpaytest.BusinessDayClock()), unionpaytest.WithMaxAmount(999999999999),
		unionpaytest.WithNotifySchedule(time.Hour))
	t.Cleanup(p.srv.Close)
	cfg := p.srv.Config()
	hc := *cfg.HTTPClient
	hc.Transport = avCountRT{base: hc.Transport, n: &p.sent}
	cfg.HTTPClient = &hc
	if edit != nil {
		edit(&cfg)
	}
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	p.c = c
	return p
}

// oid returns a fresh valid orderId.
func (p *avProbe) oid() string { return fmt.Sprintf("AV%014d", p.seq.Add(1)) }

type avWant int

const (
	avReject avWant = iota
	avAccept
	avEither
)

type avCase struct {
	name  string
	want  avWant
	field string // with avReject / avEither: the Field the RequestError must name
	// do runs the call; form, when not nil, is a front form to post to the gateway (accept).
	do func(p *avProbe) (form *unionpay.Form, err error)
}

func rej(name, field string, do func(p *avProbe) (*unionpay.Form, error)) avCase {
	return avCase{name: name, want: avReject, field: field, do: do}
}

func acc(name string, do func(p *avProbe) (*unionpay.Form, error)) avCase {
	return avCase{name: name, want: avAccept, do: do}
}

func either(name, field string, do func(p *avProbe) (*unionpay.Form, error)) avCase {
	return avCase{name: name, want: avEither, field: field, do: do}
}

func runAV(t *testing.T, p *avProbe, cases []avCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, nviol := p.sent.Load(), len(p.violations())
			var form *unionpay.Form
			var err error
			panicked := func() (v any) {
				defer func() { v = recover() }()
				form, err = tc.do(p)
				return nil
			}()
			if panicked != nil {
				t.Fatalf("PANIC: %v", panicked)
			}
			if form != nil && err == nil {
				// Post the form as the browser would; the gateway reports what it refuses.
				_, _ = p.srv.Pay(context.Background(), form.Fields, "")
			}
			sent := p.sent.Load() - before
			newViol := p.violations()[nviol:]
			var re *unionpay.RequestError
			var ce *unionpay.ConfigError
			isRE := errors.As(err, &re)
			isCE := errors.As(err, &ce)
			named := ""
			switch {
			case isRE:
				named = re.Field
			case isCE:
				named = ce.Field
			}
			refused := (isRE || isCE) && sent == 0
			switch tc.want {
			case avReject:
				if !refused || named != tc.field {
					t.Errorf("want refusal naming %q before sending; got err=%v (RequestError=%v ConfigError=%v field=%q), "+
						"requests sent=%d, gateway violations=%q", tc.field, err, isRE, isCE, named, sent, newViol)
				}
			case avAccept:
				if isRE || isCE || len(newViol) > 0 || (form == nil && sent == 0) {
					t.Errorf("want accepted; got err=%v, sent=%d, gateway violations=%q", err, sent, newViol)
				}
			case avEither:
				if refused && named == tc.field {
					t.Logf("EITHER: refused naming %q: %v", named, err)
					return
				}
				t.Logf("EITHER: sent=%d err=%v", sent, err)
				if isRE || isCE || len(newViol) > 0 {
					t.Errorf("want refusal naming %q, or a request the gateway accepts; got err=%v field=%q sent=%d "+
						"gateway violations=%q", tc.field, err, named, sent, newViol)
				}
			}
		})
	}
}

const avBack = "https://merchant.example/notify"

var avCtx = context.Background()

func avFollow(p *avProbe, edit func(*unionpay.FollowUpRequest)) (*unionpay.Form, error) {
	r := &unionpay.FollowUpRequest{OrderID: p.oid(), OrigQueryID: "782401051030000000011", Amount: 100, BackURL: avBack}
	edit(r)
	_, err := p.c.Refund(avCtx, r)
	return nil, err
}

func TestAuditValidateFollowUp(t *testing.T) {
	p := newAVProbe(t, nil)
	f := func(edit func(*unionpay.FollowUpRequest)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) { return avFollow(p, edit) }
	}
	cases := []avCase{
		acc("baseline", f(func(r *unionpay.FollowUpRequest) {})),
		// OrderID
		rej("OrderID empty", "OrderID", f(func(r *unionpay.FollowUpRequest) { r.OrderID = "" })),
		rej("OrderID 7", "OrderID", f(func(r *unionpay.FollowUpRequest) { r.OrderID = "A123456" })),
		acc("OrderID 8", f(func(r *unionpay.FollowUpRequest) { r.OrderID = "A" + p.oid()[9:] })),
		acc("OrderID 40", f(func(r *unionpay.FollowUpRequest) { r.OrderID = strings.Repeat("B", 24) + p.oid() })),
		rej("OrderID 41", "OrderID", f(func(r *unionpay.FollowUpRequest) { r.OrderID = strings.Repeat("B", 25) + p.oid() })),
		rej("OrderID dash", "OrderID", f(func(r *unionpay.FollowUpRequest) { r.OrderID = "ORDER-20240001" })),
		rej("OrderID underscore", "OrderID", f(func(r *unionpay.FollowUpRequest) { r.OrderID = "ORDER_20240001" })),
		rej("OrderID ampersand", "OrderID", f(func(r *unionpay.FollowUpRequest) { r.OrderID = "ORDER&txnAmt=1" })),
		rej("OrderID CRLF", "OrderID", f(func(r *unionpay.FollowUpRequest) { r.OrderID = "ORDER2024\r\n0001" })),
		rej("OrderID fullwidth digits", "OrderID", f(func(r *unionpay.FollowUpRequest) { r.OrderID = "ORDER２０２４0001" })),
		rej("OrderID cyrillic O", "OrderID", f(func(r *unionpay.FollowUpRequest) { r.OrderID = "\u041eRDER20240001" })),
		rej("OrderID NUL", "OrderID", f(func(r *unionpay.FollowUpRequest) { r.OrderID = "ORDER2024\x000001" })),
		either("OrderID padded", "OrderID", f(func(r *unionpay.FollowUpRequest) { r.OrderID = " " + p.oid() + " " })),
		// Amount
		rej("Amount zero", "Amount", f(func(r *unionpay.FollowUpRequest) { r.Amount = 0 })),
		rej("Amount negative", "Amount", f(func(r *unionpay.FollowUpRequest) { r.Amount = -1 })),
		rej("Amount 13 digits", "Amount", f(func(r *unionpay.FollowUpRequest) { r.Amount = 1_000_000_000_000 })),
		rej("Amount MaxInt64", "Amount", f(func(r *unionpay.FollowUpRequest) { r.Amount = math.MaxInt64 })),
		rej("Amount MinInt64", "Amount", f(func(r *unionpay.FollowUpRequest) { r.Amount = math.MinInt64 })),
		acc("Amount 1 fen", f(func(r *unionpay.FollowUpRequest) { r.Amount = 1 })),
		acc("Amount max 12 digits", f(func(r *unionpay.FollowUpRequest) { r.Amount = 999_999_999_999 })),
		// OrigQueryID: UnionPay echoes origQryId raw in its answer (the fake refuses a value that
		// would break that answer, code 10).
		rej("OrigQueryID empty", "OrigQueryID", f(func(r *unionpay.FollowUpRequest) { r.OrigQueryID = "" })),
		rej("OrigQueryID blank", "OrigQueryID", f(func(r *unionpay.FollowUpRequest) { r.OrigQueryID = " \t " })),
		rej("OrigQueryID ampersand", "OrigQueryID", f(func(r *unionpay.FollowUpRequest) { r.OrigQueryID = "7824&txnAmt=1" })),
		rej("OrigQueryID brace", "OrigQueryID", f(func(r *unionpay.FollowUpRequest) { r.OrigQueryID = "{782401051030000000011" })),
		rej("OrigQueryID bracket", "OrigQueryID", f(func(r *unionpay.FollowUpRequest) { r.OrigQueryID = "[782401051030000000011" })),
		rej("OrigQueryID inner CRLF", "OrigQueryID", f(func(r *unionpay.FollowUpRequest) { r.OrigQueryID = "7824010510\r\n30000000011" })),
		rej("OrigQueryID letters", "OrigQueryID", f(func(r *unionpay.FollowUpRequest) { r.OrigQueryID = "not-a-query-id" })),
		rej("OrigQueryID fullwidth", "OrigQueryID", f(func(r *unionpay.FollowUpRequest) {
			r.OrigQueryID = "７８２４０１０５１０３００００００００１１"
		})),
		rej("OrigQueryID 200 digits", "OrigQueryID", f(func(r *unionpay.FollowUpRequest) { r.OrigQueryID = strings.Repeat("7", 200) })),
		acc("OrigQueryID padded (sent trimmed)", f(func(r *unionpay.FollowUpRequest) { r.OrigQueryID = " 782401051030000000011 " })),
		// BackURL
		rej("BackURL empty", "BackURL", f(func(r *unionpay.FollowUpRequest) { r.BackURL = "" })),
		rej("BackURL relative", "BackURL", f(func(r *unionpay.FollowUpRequest) { r.BackURL = "/notify" })),
		rej("BackURL ftp", "BackURL", f(func(r *unionpay.FollowUpRequest) { r.BackURL = "ftp://merchant.example/n" })),
		rej("BackURL javascript", "BackURL", f(func(r *unionpay.FollowUpRequest) { r.BackURL = "javascript:alert(1)" })),
		rej("BackURL no host", "BackURL", f(func(r *unionpay.FollowUpRequest) { r.BackURL = "https:///notify" })),
		rej("BackURL CRLF", "BackURL", f(func(r *unionpay.FollowUpRequest) { r.BackURL = "https://merchant.example/n\r\nX: y" })),
		rej("BackURL space in host", "BackURL", f(func(r *unionpay.FollowUpRequest) { r.BackURL = "https://merchant .example/n" })),
		either("BackURL space in path", "BackURL", f(func(r *unionpay.FollowUpRequest) { r.BackURL = "https://merchant.example/a b" })),
		either("BackURL 300 bytes", "BackURL", f(func(r *unionpay.FollowUpRequest) { r.BackURL = avBack + "/" + strings.Repeat("a", 270) })),
		either("BackURL padded", "BackURL", f(func(r *unionpay.FollowUpRequest) { r.BackURL = " " + avBack + " " })),
		acc("BackURL http", f(func(r *unionpay.FollowUpRequest) { r.BackURL = "http://merchant.example/notify" })),
		// Channel
		rej("Channel 09", "Channel", f(func(r *unionpay.FollowUpRequest) { r.Channel = "09" })),
		rej("Channel fullwidth", "Channel", f(func(r *unionpay.FollowUpRequest) { r.Channel = "０７" })),
		either("Channel padded", "Channel", f(func(r *unionpay.FollowUpRequest) { r.Channel = " 08 " })),
		// ReqReserved
		rej("ReqReserved ampersand", "ReqReserved", f(func(r *unionpay.FollowUpRequest) { r.ReqReserved = "a=1&b=2" })),
		rej("ReqReserved brace", "ReqReserved", f(func(r *unionpay.FollowUpRequest) { r.ReqReserved = "{a}" })),
		rej("ReqReserved bracket", "ReqReserved", f(func(r *unionpay.FollowUpRequest) { r.ReqReserved = "[a]" })),
		rej("ReqReserved 1025 bytes", "ReqReserved", f(func(r *unionpay.FollowUpRequest) { r.ReqReserved = strings.Repeat("x", 1025) })),
		acc("ReqReserved 1024 bytes", f(func(r *unionpay.FollowUpRequest) { r.ReqReserved = strings.Repeat("x", 1024) })),
		acc("ReqReserved 341 CJK (1023 bytes)", f(func(r *unionpay.FollowUpRequest) { r.ReqReserved = strings.Repeat("中", 341) })),
		rej("ReqReserved 342 CJK (1026 bytes)", "ReqReserved", f(func(r *unionpay.FollowUpRequest) { r.ReqReserved = strings.Repeat("中", 342) })),
		either("ReqReserved equals", "ReqReserved", f(func(r *unionpay.FollowUpRequest) { r.ReqReserved = "id=42" })),
		either("ReqReserved inner CRLF", "ReqReserved", f(func(r *unionpay.FollowUpRequest) { r.ReqReserved = "a\r\nb" })),
		rej("ReqReserved invalid UTF-8", "ReqReserved", f(func(r *unionpay.FollowUpRequest) { r.ReqReserved = "a\xffb" })),
		// TxnTime
		rej("TxnTime 20 min old", "TxnTime", f(func(r *unionpay.FollowUpRequest) { r.TxnTime = p.srv.Now().Add(-20 * time.Minute) })),
		rej("TxnTime year 10000", "TxnTime", f(func(r *unionpay.FollowUpRequest) { r.TxnTime = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) })),
		rej("TxnTime year 1", "TxnTime", f(func(r *unionpay.FollowUpRequest) { r.TxnTime = time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC) })),
		acc("TxnTime now in UTC+14", f(func(r *unionpay.FollowUpRequest) { r.TxnTime = p.srv.Now().In(time.FixedZone("X", 14*3600)) })),
		// Extra
		rej("Extra collides txnAmt", `Extra["txnAmt"]`, f(func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"txnAmt": "1"} })),
		rej("Extra signature", `Extra["signature"]`, f(func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"signature": "x"} })),
		rej("Extra bad key", `Extra["a..."]`, f(func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"a&b": "x"} })),
		rej("Extra empty key", `Extra[""]`, f(func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"": "x"} })),
		rej("Extra invalid UTF-8", `Extra["termId"]`, f(func(r *unionpay.FollowUpRequest) { r.Extra = sign.Fields{"termId": "\xff"} })),
		rej("nil request", "request", func(p *avProbe) (*unionpay.Form, error) { _, err := p.c.Refund(avCtx, nil); return nil, err }),
		rej("nil ctx", "ctx", func(p *avProbe) (*unionpay.Form, error) {
			var nilCtx context.Context // a nil ctx on purpose
			_, err := p.c.Refund(nilCtx, &unionpay.FollowUpRequest{OrderID: p.oid(), OrigQueryID: "1", Amount: 1, BackURL: avBack})
			return nil, err
		}),
	}
	// The other follow-ups share followUp(): one smoke case each.
	for name, m := range map[string]func(context.Context, *unionpay.FollowUpRequest) (*unionpay.Result, error){
		"CancelConsume": p.c.CancelConsume, "CompletePreAuth": p.c.CompletePreAuth, "CancelPreAuth": p.c.CancelPreAuth,
		"CancelPreAuthCompletion": p.c.CancelPreAuthCompletion,
	} {
		cases = append(cases, rej(name+" OrigQueryID ampersand", "OrigQueryID", func(p *avProbe) (*unionpay.Form, error) {
			_, err := m(avCtx, &unionpay.FollowUpRequest{OrderID: p.oid(), OrigQueryID: "1&2", Amount: 1, BackURL: avBack})
			return nil, err
		}), rej(name+" Amount zero", "Amount", func(p *avProbe) (*unionpay.Form, error) {
			_, err := m(avCtx, &unionpay.FollowUpRequest{OrderID: p.oid(), OrigQueryID: "1", BackURL: avBack})
			return nil, err
		}))
	}
	runAV(t, p, cases)
}

func TestAuditValidateCard(t *testing.T) {
	p := newAVProbe(t, nil)
	base := func(p *avProbe) *unionpay.CardRequest {
		return &unionpay.CardRequest{OrderID: p.oid(), Amount: 100, BackURL: avBack, AccNo: unionpaytest.TestCard,
			Customer: &unionpay.Customer{IDType: "01", IDNumber: "341126197709218366", Name: "互联网"}}
	}
	f := func(edit func(*unionpay.CardRequest)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) {
			r := base(p)
			edit(r)
			_, err := p.c.Collect(avCtx, r)
			return nil, err
		}
	}
	pay := func(edit func(*unionpay.CardRequest)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) {
			r := base(p)
			edit(r)
			_, err := p.c.Payout(avCtx, r)
			return nil, err
		}
	}
	cases := []avCase{
		acc("baseline collect", f(func(r *unionpay.CardRequest) {})),
		acc("baseline payout", pay(func(r *unionpay.CardRequest) {})),
		rej("OrderID short", "OrderID", f(func(r *unionpay.CardRequest) { r.OrderID = "1" })),
		rej("Amount zero", "Amount", f(func(r *unionpay.CardRequest) { r.Amount = 0 })),
		rej("Amount negative payout", "Amount", pay(func(r *unionpay.CardRequest) { r.Amount = -100 })),
		rej("Amount overflow payout", "Amount", pay(func(r *unionpay.CardRequest) { r.Amount = 1e12 })),
		acc("Amount 1 payout", pay(func(r *unionpay.CardRequest) { r.Amount = 1 })),
		acc("Amount max payout", pay(func(r *unionpay.CardRequest) { r.Amount = 999_999_999_999 })),
		rej("BackURL empty", "BackURL", f(func(r *unionpay.CardRequest) { r.BackURL = "" })),
		// AccNo
		rej("AccNo empty", "AccNo", f(func(r *unionpay.CardRequest) { r.AccNo = "" })),
		rej("AccNo 11 digits", "AccNo", f(func(r *unionpay.CardRequest) { r.AccNo = "62162610000" })),
		acc("AccNo 12 digits", f(func(r *unionpay.CardRequest) { r.AccNo = "621626100000" })),
		acc("AccNo 19 digits", f(func(r *unionpay.CardRequest) { r.AccNo = "6216261000000000018" })),
		rej("AccNo 20 digits", "AccNo", f(func(r *unionpay.CardRequest) { r.AccNo = "62162610000000000180" })),
		rej("AccNo spaces", "AccNo", f(func(r *unionpay.CardRequest) { r.AccNo = "6216 2610 0000 0000 018" })),
		rej("AccNo fullwidth digit", "AccNo", f(func(r *unionpay.CardRequest) { r.AccNo = "621626100000000001８" })),
		rej("AccNo arabic-indic digits", "AccNo", f(func(r *unionpay.CardRequest) { r.AccNo = "٦٢١٦٢٦١٠٠٠٠٠٠٠٠٠٠١٨" })),
		either("AccNo padded", "AccNo", f(func(r *unionpay.CardRequest) { r.AccNo = " 6216261000000000018 " })),
		// AccType
		rej("AccType 1", "AccType", pay(func(r *unionpay.CardRequest) { r.AccType = "1" })),
		rej("AccType letters", "AccType", pay(func(r *unionpay.CardRequest) { r.AccType = "ab" })),
		rej("AccType fullwidth", "AccType", pay(func(r *unionpay.CardRequest) { r.AccType = "０１" })),
		acc("AccType padded (sent trimmed)", pay(func(r *unionpay.CardRequest) { r.AccType = " 01 " })),
		// Currency
		rej("Currency 2 digits", "Currency", f(func(r *unionpay.CardRequest) { r.Currency = "15" })),
		rej("Currency CNY", "Currency", f(func(r *unionpay.CardRequest) { r.Currency = "CNY" })),
		rej("Currency fullwidth", "Currency", f(func(r *unionpay.CardRequest) { r.Currency = "１５６" })),
		either("Currency padded", "Currency", f(func(r *unionpay.CardRequest) { r.Currency = " 156 " })),
		// TxnSubType override: sent with no check; the gateway refuses what is not 2 digits.
		rej("TxnSubType 1 digit", "TxnSubType", f(func(r *unionpay.CardRequest) { r.TxnSubType = "2" })),
		rej("TxnSubType letters", "TxnSubType", f(func(r *unionpay.CardRequest) { r.TxnSubType = "ab" })),
		rej("TxnSubType ampersand", "TxnSubType", f(func(r *unionpay.CardRequest) { r.TxnSubType = "0&1" })),
		acc("TxnSubType blank = default", f(func(r *unionpay.CardRequest) { r.TxnSubType = "  " })),
		// ReqReserved
		rej("ReqReserved brace", "ReqReserved", pay(func(r *unionpay.CardRequest) { r.ReqReserved = "{x=1}" })),
		// Customer
		rej("PIN 3 digits", "Customer.PIN", f(func(r *unionpay.CardRequest) { r.Customer.PIN = "123" })),
		rej("PIN 13 digits", "Customer.PIN", f(func(r *unionpay.CardRequest) { r.Customer.PIN = "1234567890123" })),
		rej("PIN letters", "Customer.PIN", f(func(r *unionpay.CardRequest) { r.Customer.PIN = "12a456" })),
		rej("PIN fullwidth", "Customer.PIN", f(func(r *unionpay.CardRequest) { r.Customer.PIN = "１２３４５６" })),
		acc("PIN 4 digits", f(func(r *unionpay.CardRequest) { r.Customer.PIN = "1234" })),
		acc("PIN 12 digits", f(func(r *unionpay.CardRequest) { r.Customer.PIN = "123456789012" })),
		rej("Expiry month 13", "Customer.Expiry", f(func(r *unionpay.CardRequest) { r.Customer.Expiry = "2513" })),
		rej("Expiry month 00", "Customer.Expiry", f(func(r *unionpay.CardRequest) { r.Customer.Expiry = "2500" })),
		rej("Expiry MMYY", "Customer.Expiry", f(func(r *unionpay.CardRequest) { r.Customer.Expiry = "1225" })),
		rej("Expiry 3 digits", "Customer.Expiry", f(func(r *unionpay.CardRequest) { r.Customer.Expiry = "251" })),
		rej("Expiry slash", "Customer.Expiry", f(func(r *unionpay.CardRequest) { r.Customer.Expiry = "25/12" })),
		acc("Expiry 2512", f(func(r *unionpay.CardRequest) { r.Customer.Expiry = "2512" })),
		rej("CVN2 2 digits", "Customer.CVN2", f(func(r *unionpay.CardRequest) { r.Customer.CVN2 = "12" })),
		rej("CVN2 4 digits", "Customer.CVN2", f(func(r *unionpay.CardRequest) { r.Customer.CVN2 = "1234" })),
		rej("Phone 33 chars", "Customer.Phone", f(func(r *unionpay.CardRequest) { r.Customer.Phone = strings.Repeat("1", 33) })),
		acc("Phone 32 chars", f(func(r *unionpay.CardRequest) { r.Customer.Phone = strings.Repeat("1", 32) })),
		rej("Phone equals", "Customer.Phone", f(func(r *unionpay.CardRequest) { r.Customer.Phone = "135=1" })),
		rej("Phone LF", "Customer.Phone", f(func(r *unionpay.CardRequest) { r.Customer.Phone = "1355253\n5506" })),
		rej("Name ampersand", "Customer.Name", f(func(r *unionpay.CardRequest) { r.Customer.Name = "张&三" })),
		rej("Name brace", "Customer.Name", f(func(r *unionpay.CardRequest) { r.Customer.Name = "张}三" })),
		rej("Name invalid UTF-8", "Customer.Name", f(func(r *unionpay.CardRequest) { r.Customer.Name = "\xff" })),
		rej("Name CRLF", "Customer.Name", f(func(r *unionpay.CardRequest) { r.Customer.Name = "张三\r\nX" })),
		rej("Name NUL", "Customer.Name", f(func(r *unionpay.CardRequest) { r.Customer.Name = "张\x00三" })),
		rej("IDNumber LF", "Customer.IDNumber", f(func(r *unionpay.CardRequest) { r.Customer.IDNumber = "341126\n197709218366" })),
		rej("IDType 3 digits", "Customer.IDType", f(func(r *unionpay.CardRequest) { r.Customer.IDType = "001" })),
		rej("SMSCode LF", "Customer.SMSCode", f(func(r *unionpay.CardRequest) { r.Customer.SMSCode = "123\n456" })),
		either("Name blank", "Customer.Name", f(func(r *unionpay.CardRequest) { r.Customer.Name = "   " })),
		rej("nil request", "request", func(p *avProbe) (*unionpay.Form, error) { _, err := p.c.Payout(avCtx, nil); return nil, err }),
		rej("BackConsume AccNo letters", "AccNo", func(p *avProbe) (*unionpay.Form, error) {
			r := base(p)
			r.AccNo = "abcdefabcdefabcd"
			_, err := p.c.BackConsume(avCtx, r)
			return nil, err
		}),
	}
	runAV(t, p, cases)
}

func TestAuditValidateAccount(t *testing.T) {
	p := newAVProbe(t, nil)
	base := func(p *avProbe) *unionpay.AccountRequest {
		return &unionpay.AccountRequest{OrderID: p.oid(), AccNo: unionpaytest.TestCard,
			Customer: &unionpay.Customer{Phone: "13552535506"}}
	}
	sms := func(edit func(*unionpay.AccountRequest)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) {
			r := base(p)
			edit(r)
			_, err := p.c.SendSMS(avCtx, r)
			return nil, err
		}
	}
	cases := []avCase{
		acc("baseline", sms(func(r *unionpay.AccountRequest) {})),
		acc("consume SMS with Amount", sms(func(r *unionpay.AccountRequest) { r.TxnSubType = "02"; r.Amount = 100 })),
		rej("consume SMS without Amount", "Amount", sms(func(r *unionpay.AccountRequest) { r.TxnSubType = "02" })),
		// A TxnSubType is sent trimmed, but the SDK compares it untrimmed: " 02 " is sent as 02
		// without the amount the consume SMS requires.
		rej("consume SMS padded TxnSubType without Amount", "Amount", sms(func(r *unionpay.AccountRequest) { r.TxnSubType = " 02 " })),
		rej("Amount negative", "Amount", sms(func(r *unionpay.AccountRequest) { r.Amount = -1 })),
		rej("Amount overflow", "Amount", sms(func(r *unionpay.AccountRequest) { r.Amount = 1e12 })),
		rej("Currency without Amount", "Currency", sms(func(r *unionpay.AccountRequest) { r.Currency = "156" })),
		rej("AccNo empty", "AccNo", sms(func(r *unionpay.AccountRequest) { r.AccNo = "" })),
		rej("BackURL bad", "BackURL", sms(func(r *unionpay.AccountRequest) { r.BackURL = "notify" })),
		rej("BizType 5 digits", "BizType", sms(func(r *unionpay.AccountRequest) { r.BizType = "00030" })),
		rej("BizType letters", "BizType", sms(func(r *unionpay.AccountRequest) { r.BizType = "abcdef" })),
		rej("BizType ampersand", "BizType", sms(func(r *unionpay.AccountRequest) { r.BizType = "000301&x" })),
		rej("BizType fullwidth", "BizType", sms(func(r *unionpay.AccountRequest) { r.BizType = "０００３０１" })),
		rej("TxnSubType 1 digit", "TxnSubType", sms(func(r *unionpay.AccountRequest) { r.TxnSubType = "2" })),
		rej("TxnSubType brace", "TxnSubType", sms(func(r *unionpay.AccountRequest) { r.TxnSubType = "{0" })),
		rej("RealNameAuth OrderID dash", "OrderID", func(p *avProbe) (*unionpay.Form, error) {
			r := base(p)
			r.OrderID = "ORD-00000001"
			_, err := p.c.RealNameAuth(avCtx, r)
			return nil, err
		}),
		rej("OpenCard CVN2 letters", "Customer.CVN2", func(p *avProbe) (*unionpay.Form, error) {
			r := base(p)
			r.Customer.CVN2 = "1a3"
			_, err := p.c.OpenCard(avCtx, r)
			return nil, err
		}),
		rej("TxnTime old", "TxnTime", sms(func(r *unionpay.AccountRequest) { r.TxnTime = p.srv.Now().Add(-time.Hour) })),
	}
	runAV(t, p, cases)
}

func TestAuditValidateConsume(t *testing.T) {
	p := newAVProbe(t, func(c *unionpay.Config) { c.PlainCardData = true })
	base := func(p *avProbe) *unionpay.ConsumeRequest {
		return &unionpay.ConsumeRequest{OrderID: p.oid(), Amount: 100, FrontURL: "https://merchant.example/return",
			BackURL: avBack}
	}
	front := func(edit func(*unionpay.ConsumeRequest)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) {
			r := base(p)
			edit(r)
			return p.c.FrontConsume(r)
		}
	}
	app := func(edit func(*unionpay.ConsumeRequest)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) {
			r := base(p)
			edit(r)
			_, err := p.c.AppConsume(avCtx, r)
			return nil, err
		}
	}
	cases := []avCase{
		acc("baseline front", front(func(r *unionpay.ConsumeRequest) {})),
		acc("baseline app", app(func(r *unionpay.ConsumeRequest) {})),
		acc("front Amount 1", front(func(r *unionpay.ConsumeRequest) { r.Amount = 1 })),
		acc("front Amount max", front(func(r *unionpay.ConsumeRequest) { r.Amount = 999_999_999_999 })),
		rej("front Amount 0", "Amount", front(func(r *unionpay.ConsumeRequest) { r.Amount = 0 })),
		rej("app Amount overflow", "Amount", app(func(r *unionpay.ConsumeRequest) { r.Amount = 1e12 })),
		rej("front OrderID 41", "OrderID", front(func(r *unionpay.ConsumeRequest) { r.OrderID = strings.Repeat("9", 41) })),
		rej("front FrontURL empty", "FrontURL", front(func(r *unionpay.ConsumeRequest) { r.FrontURL = "" })),
		rej("front FrontURL javascript", "FrontURL", front(func(r *unionpay.ConsumeRequest) { r.FrontURL = "javascript:alert(1)" })),
		rej("app FrontURL bad when given", "FrontURL", app(func(r *unionpay.ConsumeRequest) { r.FrontURL = "data:text/html,x" })),
		rej("front BackURL empty", "BackURL", front(func(r *unionpay.ConsumeRequest) { r.BackURL = "" })),
		rej("front Channel 09", "Channel", front(func(r *unionpay.ConsumeRequest) { r.Channel = "09" })),
		rej("front Currency 1560", "Currency", front(func(r *unionpay.ConsumeRequest) { r.Currency = "1560" })),
		// PayTimeout
		rej("PayTimeout before txnTime", "PayTimeout", front(func(r *unionpay.ConsumeRequest) { r.PayTimeout = p.srv.Now().Add(-time.Minute) })),
		rej("PayTimeout equal txnTime", "PayTimeout", front(func(r *unionpay.ConsumeRequest) { r.TxnTime = p.srv.Now(); r.PayTimeout = r.TxnTime })),
		rej("PayTimeout year 10000", "PayTimeout", front(func(r *unionpay.ConsumeRequest) { r.PayTimeout = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) })),
		acc("PayTimeout +15 min", front(func(r *unionpay.ConsumeRequest) { r.PayTimeout = p.srv.Now().Add(15 * time.Minute) })),
		acc("app PayTimeout +15 min", app(func(r *unionpay.ConsumeRequest) { r.PayTimeout = p.srv.Now().Add(15 * time.Minute) })),
		// TxnTime
		rej("app TxnTime 1h old", "TxnTime", app(func(r *unionpay.ConsumeRequest) { r.TxnTime = p.srv.Now().Add(-time.Hour) })),
		rej("front TxnTime year 0", "TxnTime", front(func(r *unionpay.ConsumeRequest) { r.TxnTime = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) })),
		// Reserved / RiskRateInfo
		rej("Reserved ampersand", "Reserved", front(func(r *unionpay.ConsumeRequest) { r.Reserved = sign.Fields{"cardNumberLock": "1&x=2"} })),
		rej("Reserved equals in key", "Reserved", front(func(r *unionpay.ConsumeRequest) { r.Reserved = sign.Fields{"a=b": "1"} })),
		rej("Reserved empty key", "Reserved", front(func(r *unionpay.ConsumeRequest) { r.Reserved = sign.Fields{"": "1"} })),
		rej("RiskRateInfo brace", "RiskRateInfo", front(func(r *unionpay.ConsumeRequest) { r.RiskRateInfo = sign.Fields{"commodityName": "T {red}"} })),
		rej("front Reserved LF", "Reserved", front(func(r *unionpay.ConsumeRequest) { r.Reserved = sign.Fields{"x": "a\nb"} })),
		rej("app RiskRateInfo LF", "RiskRateInfo", app(func(r *unionpay.ConsumeRequest) { r.RiskRateInfo = sign.Fields{"commodityName": "a\nb"} })),
		rej("RiskRateInfo invalid UTF-8", "RiskRateInfo", app(func(r *unionpay.ConsumeRequest) { r.RiskRateInfo = sign.Fields{"commodityName": "\xff"} })),
		acc("RiskRateInfo CJK", front(func(r *unionpay.ConsumeRequest) { r.RiskRateInfo = sign.Fields{"commodityName": "测试商品"} })),
		// Text fields
		rej("front OrderDesc NUL", "OrderDesc", front(func(r *unionpay.ConsumeRequest) { r.OrderDesc = "a\x00b" })),
		rej("front OrderDesc LF", "OrderDesc", front(func(r *unionpay.ConsumeRequest) { r.OrderDesc = "a\nb" })),
		either("app OrderDesc LF", "OrderDesc", app(func(r *unionpay.ConsumeRequest) { r.OrderDesc = "a\nb" })),
		acc("front OrderDesc CJK", front(func(r *unionpay.ConsumeRequest) { r.OrderDesc = "测试订单" })),
		rej("front ReqReserved ampersand", "ReqReserved", front(func(r *unionpay.ConsumeRequest) { r.ReqReserved = "a&b" })),
		rej("IssInsCode ampersand", "IssInsCode", front(func(r *unionpay.ConsumeRequest) { r.IssInsCode = "ICBC&x={" })),
		// AccNo (card lock)
		rej("AccNo letters", "AccNo", front(func(r *unionpay.ConsumeRequest) { r.AccNo = "abc" })),
		acc("AccNo locked", front(func(r *unionpay.ConsumeRequest) {
			r.AccNo = unionpaytest.TestCard
			r.Reserved = sign.Fields{"cardNumberLock": "1"}
		})),
		rej("FrontPreAuth Installments", "Installments", func(p *avProbe) (*unionpay.Form, error) {
			r := base(p)
			r.Installments = true
			return p.c.FrontPreAuth(r)
		}),
		rej("FrontConsume nil", "request", func(p *avProbe) (*unionpay.Form, error) { return p.c.FrontConsume(nil) }),
		rej("Extra collides frontUrl", `Extra["frontUrl"]`, front(func(r *unionpay.ConsumeRequest) { r.Extra = sign.Fields{"frontUrl": "https://x"} })),
	}
	runAV(t, p, cases)
}

func TestAuditValidateConsumeGBK(t *testing.T) {
	p := newAVProbe(t, func(c *unionpay.Config) { c.Encoding = "GBK" })
	front := func(edit func(*unionpay.ConsumeRequest)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) {
			r := &unionpay.ConsumeRequest{OrderID: p.oid(), Amount: 100, FrontURL: "https://merchant.example/return", BackURL: avBack}
			edit(r)
			return p.c.FrontConsume(r)
		}
	}
	refund := func(edit func(*unionpay.FollowUpRequest)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) { return avFollow(p, edit) }
	}
	cases := []avCase{
		acc("baseline", front(func(r *unionpay.ConsumeRequest) {})),
		rej("OrderDesc emoji", "OrderDesc", front(func(r *unionpay.ConsumeRequest) { r.OrderDesc = "pay 😀" })),
		rej("OrderDesc euro", "OrderDesc", front(func(r *unionpay.ConsumeRequest) { r.OrderDesc = "5€" })),
		acc("ReqReserved 512 CJK = 1024 GBK bytes", refund(func(r *unionpay.FollowUpRequest) { r.ReqReserved = strings.Repeat("中", 512) })),
		rej("ReqReserved 513 CJK", "ReqReserved", refund(func(r *unionpay.FollowUpRequest) { r.ReqReserved = strings.Repeat("中", 513) })),
	}
	runAV(t, p, cases)
}

func TestAuditValidateQuery(t *testing.T) {
	p := newAVProbe(t, nil)
	q := func(edit func(*unionpay.QueryRequest)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) {
			r := &unionpay.QueryRequest{OrderID: p.oid(), TxnTime: p.srv.Now().Add(-time.Hour)}
			edit(r)
			_, err := p.c.Query(avCtx, r)
			return nil, err
		}
	}
	cases := []avCase{
		acc("baseline", q(func(r *unionpay.QueryRequest) {})),
		acc("by QueryID", q(func(r *unionpay.QueryRequest) { *r = unionpay.QueryRequest{QueryID: "782401051030000000011"} })),
		acc("TxnTime a year ago", q(func(r *unionpay.QueryRequest) { r.TxnTime = p.srv.Now().AddDate(-1, 0, 0) })),
		rej("empty request names OrderID", "OrderID", q(func(r *unionpay.QueryRequest) { *r = unionpay.QueryRequest{} })),
		rej("OrderID without TxnTime", "TxnTime", q(func(r *unionpay.QueryRequest) { r.TxnTime = time.Time{} })),
		rej("OrderID bad", "OrderID", q(func(r *unionpay.QueryRequest) { r.OrderID = "ab" })),
		rej("TxnTime 1h ahead", "TxnTime", q(func(r *unionpay.QueryRequest) { r.TxnTime = p.srv.Now().Add(time.Hour) })),
		rej("TxnType 1 digit", "TxnType", q(func(r *unionpay.QueryRequest) { r.TxnType = "1" })),
		rej("Amount negative", "Amount", q(func(r *unionpay.QueryRequest) { r.Amount = -1 })),
		rej("QueryID ampersand", "QueryID", q(func(r *unionpay.QueryRequest) { *r = unionpay.QueryRequest{QueryID: "7824&orderId=x"} })),
		rej("QueryID brace", "QueryID", q(func(r *unionpay.QueryRequest) { *r = unionpay.QueryRequest{QueryID: "{7824"} })),
		rej("QueryID inner LF", "QueryID", q(func(r *unionpay.QueryRequest) { *r = unionpay.QueryRequest{QueryID: "7824\n0105"} })),
		either("QueryID letters", "QueryID", q(func(r *unionpay.QueryRequest) { *r = unionpay.QueryRequest{QueryID: "ORDER20240001"} })),
		rej("BizType 1 digit", "BizType", q(func(r *unionpay.QueryRequest) { r.BizType = "1" })),
		rej("BizType ampersand", "BizType", q(func(r *unionpay.QueryRequest) { r.BizType = "000401&a" })),
		acc("BizType payout", q(func(r *unionpay.QueryRequest) { r.BizType = unionpay.BizTypePayout })),
		rej("Extra reqReserved brace", `Extra["reqReserved"]`, q(func(r *unionpay.QueryRequest) { r.Extra = sign.Fields{"reqReserved": "{"} })),
		rej("nil", "request", func(p *avProbe) (*unionpay.Form, error) { _, err := p.c.Query(avCtx, nil); return nil, err }),
		rej("QueryUntilFinal bad OrderID", "OrderID", func(p *avProbe) (*unionpay.Form, error) {
			_, err := p.c.QueryUntilFinal(avCtx, &unionpay.QueryRequest{OrderID: "x", TxnTime: p.srv.Now()}, unionpay.BackBackoff())
			return nil, err
		}),
	}
	runAV(t, p, cases)
}

func TestAuditValidateBatch(t *testing.T) {
	p := newAVProbe(t, nil)
	rec := func(p *avProbe) unionpay.BatchRecord {
		return unionpay.BatchRecord{OrderID: p.oid(), Amount: 100, AccType: "01", AccNo: unionpaytest.TestCard,
			CustomerName: "互联网"}
	}
	var batchNo atomic.Int64
	b := func(edit func(*unionpay.BatchRequest)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) {
			r := &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: fmt.Sprintf("%04d", batchNo.Add(1)),
				Records: []unionpay.BatchRecord{rec(p)}}
			edit(r)
			_, err := p.c.SubmitBatch(avCtx, r)
			return nil, err
		}
	}
	cases := []avCase{
		acc("baseline", b(func(r *unionpay.BatchRequest) {})),
		acc("record Amount 1", b(func(r *unionpay.BatchRequest) { r.Records[0].Amount = 1 })),
		acc("record Amount max", b(func(r *unionpay.BatchRequest) { r.Records[0].Amount = 999_999_999_999 })),
		rej("Type 04", "Type", b(func(r *unionpay.BatchRequest) { r.Type = "04" })),
		rej("BatchNo 3 digits", "BatchNo", b(func(r *unionpay.BatchRequest) { r.BatchNo = "123" })),
		rej("BatchNo 5 digits", "BatchNo", b(func(r *unionpay.BatchRequest) { r.BatchNo = "12345" })),
		rej("BatchNo fullwidth", "BatchNo", b(func(r *unionpay.BatchRequest) { r.BatchNo = "１２３４" })),
		rej("no Records no File", "Records", b(func(r *unionpay.BatchRequest) { r.Records = nil })),
		rej("Records and File", "File", b(func(r *unionpay.BatchRequest) { r.File = []byte("x") })),
		rej("BatchRefund Records", "Records", b(func(r *unionpay.BatchRequest) { r.Type = unionpay.BatchRefund })),
		rej("File without totals", "TotalQty", b(func(r *unionpay.BatchRequest) { r.Records = nil; r.File = []byte("x") })),
		rej("File TotalAmount overflow", "TotalAmount", b(func(r *unionpay.BatchRequest) {
			r.Records, r.File, r.TotalQty, r.TotalAmount = nil, []byte("x"), 1, 1e12
		})),
		rej("TotalQty control total mismatch", "TotalQty", b(func(r *unionpay.BatchRequest) { r.TotalQty = 2 })),
		rej("TotalAmount control total mismatch", "TotalAmount", b(func(r *unionpay.BatchRequest) { r.TotalAmount = 99 })),
		rej("TotalAmount negative with Records", "TotalAmount", b(func(r *unionpay.BatchRequest) { r.TotalAmount = -100 })),
		rej("TxnTime old", "TxnTime", b(func(r *unionpay.BatchRequest) { r.TxnTime = p.srv.Now().Add(-time.Hour) })),
		rej("record OrderID short", "Records[0].OrderID", b(func(r *unionpay.BatchRequest) { r.Records[0].OrderID = "1" })),
		rej("record duplicate OrderID", "Records[1].OrderID", b(func(r *unionpay.BatchRequest) { r.Records = append(r.Records, r.Records[0]) })),
		rej("record Amount 0", "Records[0].Amount", b(func(r *unionpay.BatchRequest) { r.Records[0].Amount = 0 })),
		rej("record Amount negative", "Records[0].Amount", b(func(r *unionpay.BatchRequest) { r.Records[0].Amount = -5 })),
		rej("records total over 12 digits", "Records", b(func(r *unionpay.BatchRequest) {
			r2 := rec(p)
			r.Records[0].Amount, r2.Amount = 999_999_999_999, 1
			r.Records = append(r.Records, r2)
		})),
		rej("record AccNo letters", "Records[0].AccNo", b(func(r *unionpay.BatchRequest) { r.Records[0].AccNo = "abc" })),
		rej("record Postscript pipe", "Records[0].Postscript", b(func(r *unionpay.BatchRequest) { r.Records[0].Postscript = "a|b" })),
		rej("record Postscript LF", "Records[0].Postscript", b(func(r *unionpay.BatchRequest) { r.Records[0].Postscript = "a\nb" })),
		rej("record Postscript U+2028", "Records[0].Postscript", b(func(r *unionpay.BatchRequest) { r.Records[0].Postscript = "a\u2028b" })),
		rej("record CustomerName NUL", "Records[0].CustomerName", b(func(r *unionpay.BatchRequest) { r.Records[0].CustomerName = "a\x00b" })),
		rej("record Currency 2 digits", "Records[0].Currency", b(func(r *unionpay.BatchRequest) { r.Records[0].Currency = "15" })),
		rej("record AccType 1 digit", "Records[0].AccType", b(func(r *unionpay.BatchRequest) { r.Records[0].AccType = "1" })),
		rej("record IDType 3 digits", "Records[0].IDType", b(func(r *unionpay.BatchRequest) { r.Records[0].IDType = "001" })),
		rej("record BizType letters", "Records[0].BizType", b(func(r *unionpay.BatchRequest) { r.Records[0].BizType = "abc" })),
		rej("nil", "request", func(p *avProbe) (*unionpay.Form, error) { _, err := p.c.SubmitBatch(avCtx, nil); return nil, err }),
		// Batch query
		rej("query Type", "Type", func(p *avProbe) (*unionpay.Form, error) {
			_, err := p.c.QueryBatch(avCtx, &unionpay.BatchQueryRequest{Type: "9", BatchNo: "0001", TxnTime: p.srv.Now()})
			return nil, err
		}),
		rej("query BatchNo", "BatchNo", func(p *avProbe) (*unionpay.Form, error) {
			_, err := p.c.QueryBatch(avCtx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "1", TxnTime: p.srv.Now()})
			return nil, err
		}),
		rej("query TxnTime zero", "TxnTime", func(p *avProbe) (*unionpay.Form, error) {
			_, err := p.c.QueryBatch(avCtx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001"})
			return nil, err
		}),
		rej("query TxnTime year 10000", "TxnTime", func(p *avProbe) (*unionpay.Form, error) {
			_, err := p.c.QueryBatch(avCtx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001",
				TxnTime: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
			return nil, err
		}),
	}
	runAV(t, p, cases)
}

func TestAuditValidateFile(t *testing.T) {
	p := newAVProbe(t, nil)
	fr := func(edit func(*unionpay.FileRequest)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) {
			r := &unionpay.FileRequest{SettleDate: p.srv.Now().AddDate(0, 0, -1)}
			edit(r)
			_, err := p.c.DownloadFile(avCtx, r)
			return nil, err
		}
	}
	cases := []avCase{
		acc("baseline", fr(func(r *unionpay.FileRequest) {})),
		acc("FileType padded (sent trimmed)", fr(func(r *unionpay.FileRequest) { r.FileType = " 00 " })),
		rej("SettleDate zero", "SettleDate", fr(func(r *unionpay.FileRequest) { r.SettleDate = time.Time{} })),
		rej("SettleDate next week", "SettleDate", fr(func(r *unionpay.FileRequest) { r.SettleDate = p.srv.Now().AddDate(0, 0, 7) })),
		rej("SettleDate 2 years ago", "SettleDate", fr(func(r *unionpay.FileRequest) { r.SettleDate = p.srv.Now().AddDate(-2, 0, 0) })),
		rej("FileType ampersand", "FileType", fr(func(r *unionpay.FileRequest) { r.FileType = "0&1" })),
		rej("FileType brace", "FileType", fr(func(r *unionpay.FileRequest) { r.FileType = "{00" })),
		rej("FileType letters", "FileType", fr(func(r *unionpay.FileRequest) { r.FileType = "zz" })),
		rej("TxnTime year 10000", "TxnTime", fr(func(r *unionpay.FileRequest) { r.TxnTime = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) })),
		rej("nil", "request", func(p *avProbe) (*unionpay.Form, error) { _, err := p.c.DownloadFile(avCtx, nil); return nil, err }),
	}
	runAV(t, p, cases)
}

func TestAuditValidateConfig(t *testing.T) {
	p := newAVProbe(t, nil)
	nc := func(edit func(*unionpay.Config)) func(*avProbe) (*unionpay.Form, error) {
		return func(p *avProbe) (*unionpay.Form, error) {
			cfg := p.srv.Config()
			edit(&cfg)
			_, err := unionpay.NewClient(cfg)
			return nil, err
		}
	}
	// NewClient does no I/O: "accept" is checked here as "no error".
	cases := []struct {
		name, field string
		edit        func(*unionpay.Config)
	}{
		{"baseline", "", func(c *unionpay.Config) {}},
		{"MerchantID empty", "Config.MerchantID", func(c *unionpay.Config) { c.MerchantID = "" }},
		{"MerchantID 14", "Config.MerchantID", func(c *unionpay.Config) { c.MerchantID = "77729005811004" }},
		{"MerchantID 16", "Config.MerchantID", func(c *unionpay.Config) { c.MerchantID = "7772900581100480" }},
		{"MerchantID fullwidth", "Config.MerchantID", func(c *unionpay.Config) { c.MerchantID = "77729005811004８" }},
		{"MerchantID padded", "Config.MerchantID", func(c *unionpay.Config) { c.MerchantID = " 77729005811004" }},
		{"MerchantID letters (accepted, as documented: 15 letters or digits)", "", func(c *unionpay.Config) { c.MerchantID = "ABCDEFGHIJKLMNO" }},
		{"AccessType 3", "Config.AccessType", func(c *unionpay.Config) { c.AccessType = "3" }},
		{"Acquirer without code", "Config.AcquirerCode", func(c *unionpay.Config) { c.AccessType = unionpay.AccessAcquirer }},
		{"Acquirer code 12 digits", "Config.AcquirerCode", func(c *unionpay.Config) {
			c.AccessType, c.AcquirerCode = unionpay.AccessAcquirer, "123456789012"
		}},
		{"AcquirerCode without acquirer", "Config.AcquirerCode", func(c *unionpay.Config) { c.AcquirerCode = "12345678" }},
		{"Platform without sub-merchant", "Config.SubMerchant", func(c *unionpay.Config) { c.AccessType = unionpay.AccessPlatform }},
		{"SubMerchant Name ampersand", "Config.SubMerchant.Name", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S1", Name: "a&b", Abbr: "ab"}
		}},
		{"SubMerchant Name CRLF", "Config.SubMerchant.Name", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S1", Name: "a\r\nb", Abbr: "ab"}
		}},
		{"SubMerchant Abbr CRLF (ZM file is CRLF-delimited)", "Config.SubMerchant.Abbr", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S1", Name: "n", Abbr: "a\r\nb"}
		}},
		{"SubMerchant ID 16", "Config.SubMerchant.ID", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: strings.Repeat("1", 16), Name: "n", Abbr: "a"}
		}},
		{"SubMerchant Abbr 17 CJK", "Config.SubMerchant.Abbr", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S1", Name: "n", Abbr: strings.Repeat("中", 17)}
		}},
		{"SubMerchant Abbr 16 CJK", "", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S1", Name: "n", Abbr: strings.Repeat("中", 16)}
		}},
		{"Version 6.0.0", "Config.Version", func(c *unionpay.Config) { c.Version = "6.0.0" }},
		{"Encoding latin1", "Config.Encoding", func(c *unionpay.Config) { c.Encoding = "ISO-8859-1" }},
		{"Encoding utf-8 lower", "", func(c *unionpay.Config) { c.Encoding = "utf-8" }},
		{"Back endpoint remote http", "Config.Endpoints.Back", func(c *unionpay.Config) { c.Endpoints.Back = "http://gateway.example/back" }},
		{"Front endpoint empty", "Config.Endpoints.Front", func(c *unionpay.Config) { c.Endpoints.Front = "" }},
		{"MaxResponseBytes negative", "Config.MaxResponseBytes", func(c *unionpay.Config) { c.MaxResponseBytes = -1 }},
		{"Signer nil", "Config.Signer", func(c *unionpay.Config) { c.Signer = nil }},
		{"Verifier nil", "Config.Verifier", func(c *unionpay.Config) { c.Verifier = nil }},
	}
	var avc []avCase
	for _, tc := range cases {
		do := nc(tc.edit)
		if tc.field == "" {
			avc = append(avc, avCase{name: tc.name, want: avEither, field: "-", do: func(p *avProbe) (*unionpay.Form, error) {
				_, err := do(p)
				if err != nil {
					return nil, err
				}
				p.sent.Add(1) // nothing to send: count it as accepted
				return nil, nil
			}})
			continue
		}
		avc = append(avc, rej(tc.name, tc.field, do))
	}
	runAV(t, p, avc)
}

// TestAuditValidateEchoedOrigQryIdReadsPending: UnionPay echoes origQryId raw in its answer
// (PROTOCOL §1). A refund whose OrigQueryID holds '&' is sent, the gateway refuses it (10, as
// unionpaytest does), and its raw answer, echoing the value, no longer parses as it was signed:
// the refusal reads as a *PendingError (unverified) on a refund that nothing happened to, and
// the caller is told to query, never to correct the request. Refusing the value before sending
// (the fix) avoids it.
func TestAuditValidateEchoedOrigQryIdReadsPending(t *testing.T) {
	g := newGateway(t, func(req sign.Fields) reply {
		return reply{fields: answerTo(req, "10", sign.Fields{"origQryId": req["origQryId"]})} // echoed as received
	})
	c := newTestClient(t, g)
	r := followUp()
	r.OrigQueryID = "782401051030000000011&txnAmt=1"
	_, err := c.Refund(context.Background(), r)
	var re *unionpay.RequestError
	if !errors.As(err, &re) || re.Field != "OrigQueryID" {
		t.Fatalf("want a RequestError naming OrigQueryID, nothing sent; got %v (pending: %v), requests sent: %d",
			err, errors.Is(err, unionpay.ErrPending), g.count())
	}
}
