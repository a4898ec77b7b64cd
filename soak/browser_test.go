package soak

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// htmlForm is a form as a browser sees it.
type htmlForm struct {
	id, action, method string
	charset            string     // accept-charset, else the page's
	fields             url.Values // inputs with a name (hidden, text, password)
	buttons            url.Values // submit buttons: name -> values
}

// page is what the browser got: its forms and, on the gateway's message page, the respCode.
type page struct {
	url      *url.URL
	charset  string // from Content-Type: a browser decodes the page with it
	forms    []htmlForm
	respCode string
	hasCode  bool
}

// parsePage tokenizes an HTML page the way a browser builds its forms: attribute values are
// unescaped by the tokenizer, so the signed values come back exactly.
func parsePage(base *url.URL, charset string, body io.Reader) (*page, error) {
	p := &page{url: base, charset: charset}
	if isGBK(charset) {
		body = transform.NewReader(body, simplifiedchinese.GBK.NewDecoder())
	}
	z := html.NewTokenizer(body)
	var cur *htmlForm
	for {
		switch z.Next() {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return p, nil
			}
			return nil, z.Err()
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "form" {
				cur = nil
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			attr := map[string]string{}
			for _, a := range tok.Attr {
				attr[a.Key] = a.Val
			}
			switch tok.Data {
			case "form":
				cs := attr["accept-charset"]
				if cs == "" {
					cs = charset
				}
				p.forms = append(p.forms, htmlForm{id: attr["id"], action: attr["action"], charset: cs,
					method: strings.ToUpper(attr["method"]), fields: url.Values{}, buttons: url.Values{}})
				cur = &p.forms[len(p.forms)-1]
			case "input":
				if cur != nil && attr["name"] != "" && attr["type"] != "submit" {
					cur.fields.Add(attr["name"], attr["value"])
				}
			case "button":
				if cur != nil && attr["name"] != "" {
					cur.buttons.Add(attr["name"], attr["value"])
				}
			}
			if code, ok := attr["data-respcode"]; ok {
				p.respCode, p.hasCode = code, true
			}
		}
	}
}

func (p *page) form(id string) *htmlForm {
	for i := range p.forms {
		if id == "" || p.forms[i].id == id {
			return &p.forms[i]
		}
	}
	return nil
}

// browser is a shopper's browser without JavaScript: it follows auto-post forms by submitting
// them, as the script on those pages would.
type browser struct {
	client *http.Client // trusts the gateway's TLS certificate
}

// errBrowser reports a page the shopper could not get past; errFrontURL a return to the
// merchant's frontUrl that failed (paid, but the merchant's page did not take the return).
var (
	errBrowser  = errors.New("browser: stuck")
	errFrontURL = errors.New("browser: frontUrl refused the return")
)

// get loads a page.
func (b *browser) get(ctx context.Context, target string) (*page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	return b.do(req)
}

// submit posts form f of page p with the given extra values (a clicked button, a typed card).
func (b *browser) submit(ctx context.Context, p *page, f *htmlForm, extra url.Values) (*page, error) {
	action, err := p.url.Parse(f.action)
	if err != nil {
		return nil, fmt.Errorf("browser: form action %q: %w", f.action, err)
	}
	vals := url.Values{}
	for k, v := range f.fields {
		vals[k] = append([]string(nil), v...)
	}
	maps.Copy(vals, extra)
	if f.method != "" && f.method != http.MethodPost {
		return nil, fmt.Errorf("browser: form method %q", f.method)
	}
	body, err := encodeForm(vals, f.charset)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, action.String(), strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) do(req *http.Request) (*page, error) {
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return nil, fmt.Errorf("browser: %s answered %d", req.URL.Path, resp.StatusCode)
	}
	_, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return parsePage(req.URL, params["charset"], io.LimitReader(resp.Body, 1<<20))
}

func isGBK(charset string) bool { return strings.EqualFold(charset, "GBK") }

// encodeForm encodes a form submission as a browser does: names and values in the form's
// charset, then percent-encoded.
func encodeForm(vals url.Values, charset string) (string, error) {
	if !isGBK(charset) {
		return vals.Encode(), nil
	}
	enc := url.Values{}
	for k, vs := range vals {
		ek, err := simplifiedchinese.GBK.NewEncoder().String(k)
		if err != nil {
			return "", fmt.Errorf("browser: %q in GBK: %w", k, err)
		}
		for _, v := range vs {
			ev, err := simplifiedchinese.GBK.NewEncoder().String(v)
			if err != nil {
				return "", fmt.Errorf("browser: value of %q in GBK: %w", k, err)
			}
			enc[ek] = append(enc[ek], ev)
		}
	}
	return enc.Encode(), nil
}

// checkoutResult is what happened in the browser.
type checkoutResult struct {
	paid      bool   // the pay button was pressed and the gateway sent the browser back
	returned  bool   // the merchant's frontUrl accepted the return
	respCode  string // respCode of the return or the gateway's message page
	abandoned bool
	retries   int // times the shopper resubmitted the merchant's form after a failure
}

// checkout takes the shopper from the merchant's checkout page through the cashier and back:
// load the page, submit the auto-post form to the gateway (resubmitting, as a shopper
// pressing reload would, when the gateway fails), pay with card or cancel, and follow the
// auto-post form back to frontUrl.
func (b *browser) checkout(ctx context.Context, pageURL, card string, abandon bool) (checkoutResult, error) {
	var res checkoutResult
	merchantPage, err := b.get(ctx, pageURL)
	if err != nil {
		return res, err
	}
	payForm := merchantPage.form("pay_form")
	if payForm == nil {
		return res, fmt.Errorf("%w: no pay_form on the checkout page", errBrowser)
	}
	var cashier *page
	for try := 0; ; try++ {
		cashier, err = b.submit(ctx, merchantPage, payForm, nil)
		if err == nil || try == 4 {
			break
		}
		res.retries++
	}
	if err != nil {
		return res, fmt.Errorf("%w: gateway: %v", errBrowser, err)
	}
	if cashier.hasCode {
		res.respCode = cashier.respCode
		return res, nil // the gateway refused the order
	}
	cf := cashier.form("cashier")
	if cf == nil {
		return res, fmt.Errorf("%w: no cashier form", errBrowser)
	}
	if abandon {
		res.abandoned = true
		_, err := b.submit(ctx, cashier, cf, url.Values{"action": {"cancel"}})
		return res, err
	}
	if cf.buttons.Get("action") != "pay" {
		return res, fmt.Errorf("%w: no pay button", errBrowser)
	}
	back, err := b.submit(ctx, cashier, cf, url.Values{"cardNo": {card}, "action": {"pay"}})
	if err != nil {
		return res, err
	}
	res.paid = true
	rf := back.form("pay_form")
	if rf == nil {
		res.respCode = back.respCode
		return res, nil
	}
	res.respCode = rf.fields.Get("respCode")
	if _, err := b.submit(ctx, back, rf, nil); err != nil {
		return res, fmt.Errorf("%w: %v", errFrontURL, err)
	}
	res.returned = true
	return res, nil
}

// TestGBKFrontReturnVerifies: a GBK merchant's shopper pays on the cashier page and is sent back
// to frontUrl. unionpaytest rendered that auto-post page as UTF-8 (meta charset and
// Content-Type) while the fields were signed with encoding=GBK, so a browser posted them in UTF-8
// and notify.ReadRequest, decoding them as GBK, could not verify them: every GBK browser return
// was refused (the back notification, sent by the gateway itself in GBK, verifies). UnionPay's
// official demo decodes the return in the message's encoding, so the page should be GBK.
// Found by this package and fixed in 1fcd222; kept as a regression test.
func TestGBKFrontReturnVerifies(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, beijing)
	srv := unionpaytest.NewServer(unionpaytest.WithClock(func() time.Time { return now }), unionpaytest.WithReporter(t))
	defer srv.Close()
	v, err := srv.NotifyVerifier()
	require.NoError(t, err)
	m := newMerchant(srv.MerchantID(), v)
	shop := httptest.NewServer(m.routes(&notify.Handler{Verifier: v, OnNotify: m.onNotify}))
	defer shop.Close()
	cfg := srv.Config()
	cfg.Encoding = "GBK"
	client, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: "GBKRETURN0001", Amount: 1000,
		OrderDesc: "测试订单", FrontURL: shop.URL + "/return", BackURL: shop.URL + "/notify"})
	require.NoError(t, err)
	m.register(&entry{orderID: form.OrderID, kind: "01", amount: 1000, txnTime: form.TxnTime, front: true})
	m.forms[form.OrderID] = form
	b := &browser{client: srv.HTTPClient()}
	res, err := b.checkout(context.Background(), shop.URL+"/checkout/"+form.OrderID, unionpaytest.TestCard, false)
	require.NoError(t, err, "the merchant's frontUrl refused the browser return")
	assert.True(t, res.returned)
	assert.Equal(t, "00", m.returns[form.OrderID])
}
