// Package apicheck_test checks the public API as a caller meets it: every documented error
// matched with errors.Is and As in the situation the docs give, nil options, and every method of
// the exported types called on their zero values (an API review before v1).
package apicheck_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

var (
	ctxType    = reflect.TypeFor[context.Context]()
	writerType = reflect.TypeFor[http.ResponseWriter]()
)

// args returns the arguments of method type m from the skip-th on: zero values, but a live
// context, a response recorder and pointers to zero values, so that a method is tried on its
// receiver's zero value, not on nil arguments (which are programmer errors).
func args(m reflect.Type, skip int) []reflect.Value {
	var a []reflect.Value
	for i := skip; i < m.NumIn(); i++ {
		t := m.In(i)
		switch {
		case m.IsVariadic() && i == m.NumIn()-1:
		case t == ctxType:
			a = append(a, reflect.ValueOf(context.Background()))
		case t == writerType:
			a = append(a, reflect.ValueOf(httptest.NewRecorder()))
		case t == reflect.TypeFor[*http.Request]():
			a = append(a, reflect.ValueOf(httptest.NewRequest(http.MethodPost, "/", nil)))
		case t.Kind() == reflect.Pointer:
			a = append(a, reflect.New(t.Elem()))
		default:
			a = append(a, reflect.Zero(t))
		}
	}
	return a
}

func call(recv reflect.Value, name string) (panicked string) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprint(r)
		}
	}()
	m := recv.MethodByName(name)
	if m.Type().IsVariadic() {
		m.CallSlice(append(args(m.Type(), 0), reflect.Zero(m.Type().In(m.Type().NumIn()-1))))
	} else {
		m.Call(args(m.Type(), 0))
	}
	return ""
}

func TestZeroValuesDoNotPanic(t *testing.T) {
	types := []any{
		// sign
		sign.Fields(nil), sign.ParseError{}, sign.RSASigner{}, sign.SM2Signer{}, sign.SecureKeySigner{}, sign.ValueCache{},
		// cert
		cert.Decrypter{}, cert.Encrypter{}, cert.InputError{}, cert.InvalidError{}, cert.PFX{}, cert.Pair{}, cert.Reason(0),
		cert.SM2Credential{}, cert.Signed{}, cert.Verifier{}, cert.VerifierConfig{},
		// notify
		notify.FieldError{}, notify.Handler{}, notify.Notification{}, notify.Status(0),
		// reconcile
		reconcile.Archive{}, reconcile.ArchiveWriter{}, reconcile.Class(0), reconcile.Diff{}, reconcile.ErrorRecord{},
		reconcile.Kind(0), reconcile.LineError{}, reconcile.Member{}, reconcile.MismatchError{}, reconcile.Order{},
		reconcile.OrderError{}, reconcile.Record{}, reconcile.Report{}, reconcile.Result{}, reconcile.Settlement{},
		reconcile.State(0), reconcile.Summary{}, reconcile.SummaryRow{}, reconcile.Tally{}, reconcile.Totals{},
		reconcile.ZMEWriter{}, reconcile.ZMWriter{}, reconcile.CSVError{}, reconcile.OrdersCSVReader{},
		// unionpay
		unionpay.AccountRequest{}, unionpay.AppResult{}, unionpay.Backoff{}, unionpay.BatchQueryRequest{},
		unionpay.BatchRecord{}, unionpay.BatchRequest{}, unionpay.BatchResult{}, unionpay.BatchStatus{},
		unionpay.CardRequest{}, unionpay.Client{}, unionpay.Config{}, unionpay.ConfigError{}, unionpay.ConsumeRequest{},
		unionpay.Customer{}, unionpay.Endpoints{}, unionpay.Error{}, unionpay.File{}, unionpay.FileRequest{},
		unionpay.FollowUpRequest{}, unionpay.Form{}, unionpay.PendingError{}, unionpay.QueryRequest{},
		unionpay.RequestError{}, unionpay.Result{}, unionpay.StatusError{}, unionpay.SubMerchant{},
		unionpay.Transaction{}, unionpay.VerifyError{}, unionpay.CallInfo{}, unionpay.JavaConfig{},
		unionpay.JavaConfigError{}, unionpay.JavaKey{}, unionpay.OpenQueryRequest{}, unionpay.OpenStatus{},
		unionpay.OpenResult{}, unionpay.QRCodeRequest{}, unionpay.QRConsumeRequest{}, unionpay.QRCodeResult{},
		// unionpaytest
		unionpaytest.Delivery{}, unionpaytest.Fault(0), unionpaytest.FaultEvent{}, unionpaytest.Keys{},
	}
	for _, z := range types {
		typ := reflect.TypeOf(z)
		ptr := reflect.PointerTo(typ)
		for method := range ptr.Methods() {
			name := method.Name
			// The zero value (addressable), with zero arguments: an error or a zero result, never
			// a panic. (A nil pointer panics in a value-receiver method, as in any Go code.)
			if p := call(reflect.New(typ), name); p != "" {
				t.Errorf("the zero %v's %s panics: %s", typ, name, firstLine(p))
			}
		}
	}
}

func firstLine(s string) string {
	if before, _, ok := strings.Cut(s, "\n"); ok {
		return before
	}
	return s
}
