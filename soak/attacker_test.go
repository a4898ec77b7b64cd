package soak

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// forgedHeader marks the attacker's requests so the merchant's sniffer does not capture them.
// notify.Handler ignores headers.
const forgedHeader = "X-Soak-Forged"

// attack is one kind of forged request and the status notify.Handler must answer it with.
type attack struct {
	name string
	want int
	make func(a *attacker, i int) (method string, body []byte, ok bool)
}

// attacker posts forged notifications to the merchant's backUrl while the soak runs.
type attacker struct {
	url    string
	client *http.Client
	m      *merchant
	evil   *unionpaytest.Server // another CA's look-alike UnionPay chain
	key    *rsa.PrivateKey      // the attacker's key
	self   string               // PEM of a self-signed certificate named like UnionPay's
	certID string               // certId of the gateway's real signing certificate

	mu      sync.Mutex
	results map[string]map[int]int // attack -> status -> count
}

func newAttacker(url string, m *merchant, evil *unionpaytest.Server, gatewayCertID string, now time.Time) (*attacker, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(69026616395),
		Subject:      pkix.Name{CommonName: unionpaytest.SigningCN, Organization: []string{"China UnionPay"}},
		NotBefore:    now.Add(-48 * time.Hour), NotAfter: now.Add(48 * time.Hour), // valid on the soak's clock
		KeyUsage: x509.KeyUsageDigitalSignature, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	self := strings.ReplaceAll(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), "\n", "\r\n")
	return &attacker{url: url, client: &http.Client{Timeout: 10 * time.Second}, m: m, evil: evil, key: key,
		self: self, certID: gatewayCertID, results: map[string]map[int]int{}}, nil
}

// template returns the fields of a captured genuine notification, or a plausible one for an
// order of the merchant before anything was captured.
func (a *attacker) template(i int) (sign.Fields, bool) {
	if body := a.m.capturedBody(i); body != nil {
		f, err := sign.ParseForm(string(body))
		return f, err == nil
	}
	e := a.m.someOrder(i)
	if e == nil {
		return nil, false
	}
	return sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "merId": a.m.merID, "orderId": e.orderID,
		"txnTime": e.txnTime.Format("20060102150405"), "txnType": e.kind, "txnSubType": "01",
		"bizType": "000201", "accessType": "0", "currencyCode": "156", "txnAmt": strconv.FormatInt(e.amount, 10),
		"queryId": "261125100000999999999", "respCode": "00", "respMsg": "成功[0000000]"}, true
}

// claim turns a template into a claim of success for some order of the merchant (a different
// one from the template's when possible), for a different amount.
func (a *attacker) claim(i int) (sign.Fields, bool) {
	f, ok := a.template(i)
	if !ok {
		return nil, false
	}
	f = f.Clone()
	for _, k := range []string{"signature", "signPubKeyCert", "certId", "signMethod"} {
		delete(f, k)
	}
	if e := a.m.someOrder(i * 7919); e != nil {
		f["orderId"], f["txnTime"], f["txnType"] = e.orderID, e.txnTime.Format("20060102150405"), e.kind
		f["txnAmt"] = strconv.FormatInt(e.amount+1+int64(i%1000), 10)
	}
	f["respCode"], f["respMsg"] = "00", "成功[0000000]"
	return f, true
}

func encode(f sign.Fields) ([]byte, bool) {
	s, err := sign.Encode(f)
	return []byte(s), err == nil
}

// tamper changes one field of a captured genuine notification and keeps its signature.
func (a *attacker) tamper(i int, change func(f sign.Fields)) (string, []byte, bool) {
	body := a.m.capturedBody(i)
	if body == nil {
		return "", nil, false
	}
	f, err := sign.ParseForm(string(body))
	if err != nil {
		return "", nil, false
	}
	change(f)
	b, ok := encode(f)
	return http.MethodPost, b, ok
}

var attacks = []attack{
	{"self-signed certificate named like UnionPay", http.StatusBadRequest, func(a *attacker, i int) (string, []byte, bool) {
		f, ok := a.claim(i)
		if !ok {
			return "", nil, false
		}
		f["signPubKeyCert"] = a.self
		s, err := sign.NewRSASigner(a.key, "69026616395")
		if err != nil || sign.Sign(s, f) != nil {
			return "", nil, false
		}
		b, ok := encode(f)
		return http.MethodPost, b, ok
	}},
	{"look-alike chain from another CA", http.StatusBadRequest, func(a *attacker, i int) (string, []byte, bool) {
		f, ok := a.claim(i)
		if !ok {
			return "", nil, false
		}
		v, err := a.evil.SignNotification(f)
		if err != nil {
			return "", nil, false
		}
		return http.MethodPost, []byte(v.Encode()), true
	}},
	{"genuine with txnAmt changed", http.StatusBadRequest, func(a *attacker, i int) (string, []byte, bool) {
		return a.tamper(i, func(f sign.Fields) {
			n, _ := strconv.ParseInt(f["txnAmt"], 10, 64)
			f["txnAmt"] = strconv.FormatInt(n+100, 10)
		})
	}},
	{"genuine with respCode changed", http.StatusBadRequest, func(a *attacker, i int) (string, []byte, bool) {
		return a.tamper(i, func(f sign.Fields) {
			if f["respCode"] == "00" {
				f["respCode"] = "01"
			} else {
				f["respCode"] = "00"
			}
		})
	}},
	{"genuine with orderId changed", http.StatusBadRequest, func(a *attacker, i int) (string, []byte, bool) {
		e := a.m.someOrder(i * 31)
		if e == nil {
			return "", nil, false
		}
		return a.tamper(i, func(f sign.Fields) {
			if f["orderId"] == e.orderID {
				f["orderId"] += "0"
			} else {
				f["orderId"] = e.orderID
			}
		})
	}},
	{"genuine with a field added", http.StatusBadRequest, func(a *attacker, i int) (string, []byte, bool) {
		return a.tamper(i, func(f sign.Fields) { f["settleAmt"] = "1" + f["txnAmt"]; f["reserved"] = "{x=1}" })
	}},
	{"genuine with CRLF to LF in signPubKeyCert", http.StatusBadRequest, func(a *attacker, i int) (string, []byte, bool) {
		return a.tamper(i, func(f sign.Fields) {
			f["signPubKeyCert"] = strings.ReplaceAll(f["signPubKeyCert"], "\r\n", "\n")
		})
	}},
	{"genuine without signature", http.StatusBadRequest, func(a *attacker, i int) (string, []byte, bool) {
		return a.tamper(i, func(f sign.Fields) { delete(f, "signature") })
	}},
	{"downgrade to signMethod 11 (secure key 88888888)", http.StatusBadRequest, func(a *attacker, i int) (string, []byte, bool) {
		f, ok := a.claim(i)
		if !ok {
			return "", nil, false
		}
		s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
		if err != nil || sign.Sign(s, f) != nil {
			return "", nil, false
		}
		b, ok := encode(f)
		return http.MethodPost, b, ok
	}},
	{"downgrade to 5.0.0 with the gateway's certId", http.StatusBadRequest, func(a *attacker, i int) (string, []byte, bool) {
		f, ok := a.claim(i)
		if !ok {
			return "", nil, false
		}
		f["version"] = sign.Version500
		s, err := sign.NewRSASigner(a.key, a.certID)
		if err != nil || sign.Sign(s, f) != nil {
			return "", nil, false
		}
		b, ok := encode(f)
		return http.MethodPost, b, ok
	}},
	{"duplicate key", http.StatusBadRequest, func(a *attacker, i int) (string, []byte, bool) {
		body := a.m.capturedBody(i)
		if body == nil {
			return "", nil, false
		}
		return http.MethodPost, append(append([]byte(nil), body...), "&respCode=00"...), true
	}},
	{"garbage", http.StatusBadRequest, func(_ *attacker, i int) (string, []byte, bool) {
		b := make([]byte, 64+i%512)
		_, _ = rand.Read(b)
		return http.MethodPost, b, true
	}},
	{"oversized body", http.StatusRequestEntityTooLarge, func(_ *attacker, i int) (string, []byte, bool) {
		return http.MethodPost, []byte("orderId=" + strings.Repeat("A", notify.DefaultMaxBytes+i%100)), true
	}},
	{"GET", http.StatusMethodNotAllowed, func(_ *attacker, _ int) (string, []byte, bool) {
		return http.MethodGet, nil, true
	}},
	{"verbatim replay of a genuine notification", http.StatusOK, func(a *attacker, i int) (string, []byte, bool) {
		body := a.m.capturedBody(i)
		return http.MethodPost, body, body != nil
	}},
}

// run posts forged requests, cycling through the attacks, until ctx ends.
func (a *attacker) run(ctx context.Context) {
	for i := 0; ctx.Err() == nil; i++ {
		at := attacks[i%len(attacks)]
		method, body, ok := at.make(a, i/len(attacks))
		if !ok {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		status := 0
		for try := 0; try < 3 && status == 0 && ctx.Err() == nil; try++ {
			status = a.post(ctx, method, body) // 0: no answer (a loaded machine), not a verdict
		}
		if status == 0 {
			continue
		}
		a.mu.Lock()
		if a.results[at.name] == nil {
			a.results[at.name] = map[int]int{}
		}
		a.results[at.name][status]++
		a.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
}

func (a *attacker) post(ctx context.Context, method string, body []byte) int {
	req, err := http.NewRequestWithContext(ctx, method, a.url, strings.NewReader(string(body)))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
	req.Header.Set(forgedHeader, "1")
	resp, err := a.client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// report checks every attack was answered as it must be and renders the counts.
func (a *attacker) report() (text string, wrong []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var b strings.Builder
	for _, at := range attacks {
		got := a.results[at.name]
		total := 0
		for _, n := range got {
			total += n
		}
		fmt.Fprintf(&b, "  %-50s %5d sent, %5d answered %d\n", at.name, total, got[at.want], at.want)
		for status, n := range got {
			if status != at.want {
				wrong = append(wrong, fmt.Sprintf("%s: %d answered %d, want %d", at.name, n, status, at.want))
			}
		}
		if total == 0 {
			wrong = append(wrong, at.name+": never sent")
		}
	}
	return b.String(), wrong
}
