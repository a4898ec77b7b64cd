package apicheck_test

import (
	"bytes"
	"errors"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

const certDir = "../../testdata/acp-test-certs/"

func TestPublicCertErrors(t *testing.T) {
	_, err := cert.LoadPFXFile(certDir+"acp_test_sign.pfx", "wrong")
	if !errors.Is(err, cert.ErrPassword) || !errors.Is(err, pkcs12.ErrIncorrectPassword) {
		t.Errorf("wrong password: %v", err)
	}
	_, err = cert.ParseCertificate([]byte("not a cert"))
	var ie *cert.InvalidError
	if !errors.As(err, &ie) || ie.Reason != cert.Malformed {
		t.Errorf("ParseCertificate: %v", err)
	}
	_, err = cert.PINBlock("12", "6216261000000000018")
	var in *cert.InputError
	if !errors.As(err, &in) || in.Field != "pin" {
		t.Errorf("PINBlock: %v", err)
	}
	root, _ := cert.LoadCertificateFile(certDir + "acp_test_root.cer")
	mid, _ := cert.LoadCertificateFile(certDir + "acp_test_middle.cer")
	at := func() time.Time { return time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC) }
	v, err := cert.NewVerifier(cert.VerifierConfig{Root: root, Middle: mid, Now: at, AcceptTestOwner: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(sign.Fields{"version": "5.1.0", "signMethod": "11", "signature": "x"})
	if !errors.Is(err, cert.ErrMethod) {
		t.Errorf("method: %v", err)
	}
	_, err = v.Verify(sign.Fields{"version": "5.1.0", "signMethod": "01"})
	if !errors.Is(err, cert.ErrMissingField) || !errors.Is(err, sign.ErrSignature) {
		t.Errorf("missing signature: %v", err)
	}
	_, err = v.Verify(sign.Fields{"version": "5.1.0", "signMethod": "01", "signature": "x"})
	if !errors.Is(err, cert.ErrMissingField) {
		t.Errorf("missing signPubKeyCert: %v", err)
	}
	enc, _ := cert.LoadCertificateFile(certDir + "acp_test_enc.cer")
	lv, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("88888888")})
	if err != nil {
		t.Fatal(err)
	}
	if err := lv.ValidateEncryptionCertificate(enc); !errors.Is(err, cert.ErrNoChain) {
		t.Errorf("ErrNoChain: %v", err)
	}
	if err := lv.CheckLegacyValidity("01"); !errors.Is(err, cert.ErrNoCertificate) {
		t.Errorf("ErrNoCertificate: %v", err)
	}
	var zero cert.Verifier
	if err := zero.Check(); !errors.Is(err, cert.ErrMethod) {
		t.Errorf("zero verifier: %v", err)
	}
}

func TestPublicSignErrors(t *testing.T) {
	_, err := sign.ParseForm("a=%zz")
	var pe *sign.ParseError
	if !errors.Is(err, sign.ErrMalformed) || !errors.As(err, &pe) {
		t.Errorf("ParseForm: %v", err)
	}
	_, err = sign.ParseForm("a=1%262")
	if !errors.Is(err, sign.ErrMalformed) || !errors.Is(err, sign.ErrAmbiguous) {
		t.Errorf("ambiguous: %v", err)
	}
	_, err = sign.Canonical(sign.Fields{"encoding": "latin1", "a": "b"})
	if !errors.Is(err, sign.ErrCharset) {
		t.Errorf("charset: %v", err)
	}
	if err := sign.VerifySecureKey("11", []byte("k"), []byte("a=b"), "zz"); !errors.Is(err, sign.ErrSignature) {
		t.Errorf("sig: %v", err)
	}
}

func TestPublicNotifyErrors(t *testing.T) {
	srv := unionpaytest.NewServer(unionpaytest.WithKeys(keys(t)))
	defer srv.Close()
	v, err := srv.NotifyVerifier()
	if err != nil {
		t.Fatal(err)
	}
	fields := sign.Fields{"merId": srv.MerchantID(), "orderId": "ORDER0000001", "txnTime": srv.Now().Format("20060102150405"),
		"txnType": "01", "txnSubType": "01", "bizType": "000201", "accessType": "0", "respCode": "00", "respMsg": "ok",
		"txnAmt": "100", "currencyCode": "156", "queryId": "123456789012345678901", "settleDate": "0105"}
	vals, err := srv.SignNotification(fields)
	if err != nil {
		t.Fatal(err)
	}
	body := vals.Encode()

	if _, err := notify.Parse(nil, []byte(body)); !errors.Is(err, notify.ErrNoVerifier) || !errors.Is(err, cert.ErrMethod) || notify.HTTPStatus(err) != 500 {
		t.Errorf("nil verifier: %v", err)
	}
	if _, err := notify.Parse(v, []byte(strings.Replace(body, "txnAmt=100", "txnAmt=101", 1))); !errors.Is(err, sign.ErrSignature) || notify.HTTPStatus(err) != 400 {
		t.Errorf("forged: %v", err)
	}
	if _, err := notify.Parse(v, []byte("")); !errors.Is(err, sign.ErrMalformed) {
		t.Errorf("empty: %v", err)
	}
	// FieldError: a verified message with a bad amount
	bad := fields.Clone()
	bad["txnAmt"] = "1.00"
	bv, _ := srv.SignNotification(bad)
	_, err = notify.Parse(v, []byte(bv.Encode()))
	var fe *notify.FieldError
	if !errors.As(err, &fe) || !errors.Is(err, sign.ErrMalformed) {
		t.Errorf("field: %v", err)
	}
	// ReadRequest: method, size
	r := httptest.NewRequest(http.MethodGet, "/n", nil)
	if _, err := notify.ReadRequest(nil, r, v, 0); !errors.Is(err, notify.ErrMethodNotAllowed) || notify.HTTPStatus(err) != 405 {
		t.Errorf("GET: %v", err)
	}
	r = httptest.NewRequest(http.MethodPost, "/n", bytes.NewReader(bytes.Repeat([]byte("a"), 200)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, err := notify.ReadRequest(nil, r, v, 100); !errors.Is(err, notify.ErrTooLarge) || notify.HTTPStatus(err) != 413 {
		t.Errorf("large: %v", err)
	}
	n, err := notify.Parse(v, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.DecryptAccNo(nil); !errors.Is(err, notify.ErrNoAccNo) {
		t.Errorf("no accNo: %v", err)
	}
	if _, err := notify.VerifyValues(v, url.Values{"a": {"1", "2"}}); !errors.Is(err, sign.ErrMalformed) {
		t.Errorf("repeated: %v", err)
	}
}

func seq[T any](xs ...T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, x := range xs {
			if !yield(x, nil) {
				return
			}
		}
	}
}

func TestPublicReconcileErrors(t *testing.T) {
	day := time.Date(2024, 1, 5, 0, 0, 0, 0, reconcile.Beijing())
	for _, err := range reconcile.ZM(strings.NewReader("garbage line\r\n"), day) {
		var le *reconcile.LineError
		if !errors.Is(err, reconcile.ErrMalformed) || !errors.As(err, &le) {
			t.Errorf("ZM: %v", err)
		}
	}
	for _, err := range reconcile.ZM(nil, day) {
		if !errors.Is(err, reconcile.ErrNilArgument) {
			t.Errorf("nil: %v", err)
		}
	}
	if _, err := reconcile.Open([]byte("not a zip")); !errors.Is(err, reconcile.ErrMalformed) {
		t.Errorf("Open: %v", err)
	}
	s := reconcile.Settlement{MerID: "777290058110048", SettleDate: day, Records: []reconcile.Record{
		{TxnTime: day.Add(10 * time.Hour), TxnAmt: 100, OrderID: "A0000001", TxnType: "01", SettleAmt: 100, QueryID: "1"},
		{TxnTime: day.Add(10 * time.Hour), TxnAmt: 100, OrderID: "A0000002", TxnType: "01", SettleAmt: 100, QueryID: "2"},
	}}
	zb, err := s.Zip()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reconcile.Open(zb, reconcile.WithMaxMembers(1)); !errors.Is(err, reconcile.ErrTooLarge) {
		t.Errorf("limits: %v", err)
	}
	// RD mismatch
	a, err := reconcile.Open(zb)
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := a.First(reconcile.KindRD).Open()
	sum, err := reconcile.ParseRD(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	var tl reconcile.Tally
	tl.Add(&s.Records[0])
	err = sum.Check(&tl)
	var me *reconcile.MismatchError
	if !errors.Is(err, reconcile.ErrMismatch) || !errors.As(err, &me) {
		t.Errorf("mismatch: %v", err)
	}
	if err := sum.Check(nil); !errors.Is(err, reconcile.ErrNilArgument) {
		t.Errorf("nil tally: %v", err)
	}
	// order errors
	orders := seq(
		reconcile.Order{OrderID: "A0000001", Amount: 100, State: reconcile.StateSucceeded},
		reconcile.Order{OrderID: "A0000001", Amount: 100, State: reconcile.StateSucceeded},
		reconcile.Order{OrderID: "", Amount: 100, State: reconcile.StateSucceeded},
		reconcile.Order{OrderID: "A0000003", Amount: 100},
		reconcile.Order{OrderID: strings.Repeat("9", 33), Amount: 100, State: reconcile.StateSucceeded},
	)
	want := map[error]bool{reconcile.ErrDuplicateOrder: false, reconcile.ErrNoOrderID: false, reconcile.ErrNoState: false, reconcile.ErrOrderIDTooLong: false}
	for _, err := range reconcile.Match(a.Records(day, ""), orders) {
		var oe *reconcile.OrderError
		if err != nil && errors.As(err, &oe) {
			for w := range want {
				if errors.Is(err, w) {
					want[w] = true
				}
			}
		}
	}
	for w, seen := range want {
		if !seen {
			t.Errorf("no *OrderError matching %v", w)
		}
	}
	var rep reconcile.Report
	rep.Add(reconcile.Result{Class: reconcile.Class(42)})
	if len(rep.Errors) != 1 || !errors.Is(rep.Errors[0], reconcile.ErrUnknownClass) {
		t.Errorf("unknown class: %v", rep.Errors)
	}
	var big reconcile.Tally
	big.Add(&reconcile.Record{TxnAmt: 1 << 62, SettleAmt: 1 << 62})
	big.Add(&reconcile.Record{TxnAmt: 1 << 62, SettleAmt: 1 << 62})
	if err := big.Err(); !errors.Is(err, reconcile.ErrOverflow) {
		t.Errorf("overflow: %v", err)
	}
}
