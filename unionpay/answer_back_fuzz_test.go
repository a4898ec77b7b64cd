package unionpay_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// FuzzBackAnswer is FuzzAnswer for the answer readers it leaves out: a refund's (a call that
// moves money), a QR code application's (which moves money and carries qrCode), an open query's
// (activateStatus, tokenPayData) and an encryption certificate update's (encryptPubKeyCert). A
// verified answer, whatever its fields, gives a result or an error, never both and never a
// panic. A call that moves money is accepted only on respCode 00 or A6, and is refused (an
// *Error not matching ErrPending) only on the answer's own respCode, one that says that nothing
// happened: never on 03, 04, 05, 12, 83 or none, nor on an answer about another transaction or
// one that does not verify, which are pending. An open query's State is what its respCode and
// activateStatus say, its Token the token of its tokenPayData. A certificate update installs
// only a certificate the answer carries, other than the one in use. An answer whose fields
// Unambiguous refuses (a value holding "{&"...) reads otherwise, with the same string to sign:
// only a result or an error is asked of it. extra holds the answer's other fields in the raw
// format ("k=v&..."; a key "-k" removes k).
func FuzzBackAnswer(f *testing.F) {
	enc, err := os.ReadFile(filepath.Join(testCerts, "acp_test_enc.cer"))
	if err != nil {
		f.Fatal(err)
	}
	sig, err := os.ReadFile(filepath.Join(testCerts, "unipayCertPublicKey.cer"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(byte(0), "00", "", "")
	f.Add(byte(0), "A6", "", "txnAmt=100&origQryId=782401051030000000011")
	f.Add(byte(0), "03", "", "")
	f.Add(byte(0), "12", "", "")
	f.Add(byte(0), "", "", "")
	f.Add(byte(0), "00", "", "orderId=ORDER20240105002")
	f.Add(byte(0), "00", "", "txnAmt=99")
	f.Add(byte(0), "94", "", "")
	f.Add(byte(0), "9{", "", "respMsg=}") // read as respCode "9{&respMsg=}", which the signature covers too
	f.Add(byte(1), "00", "https://qr.95516.com/00010000/01234567890123456789", "")
	f.Add(byte(1), "00", "", "")
	f.Add(byte(1), "05", "x", "")
	f.Add(byte(2), "00", "1", "tokenPayData={token=6235240000020757&trId=62000000001&tokenLevel=40}")
	f.Add(byte(2), "00", "0", "")
	f.Add(byte(2), "00", "", "tokenPayData={token=a&b}}")
	f.Add(byte(2), "00", "2", "")
	f.Add(byte(2), "77", "", "")
	f.Add(byte(2), "34", "", "")
	f.Add(byte(2), "00", "1", "tokenPayData=token=1")
	f.Add(byte(3), "00", "01", "encryptPubKeyCert="+string(enc))
	f.Add(byte(3), "00", "01", "encryptPubKeyCert="+string(sig))
	f.Add(byte(3), "00", "02", "encryptPubKeyCert="+string(enc))
	f.Add(byte(3), "00", "01", "encryptPubKeyCert=-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
	f.Add(byte(3), "00", "01", "")
	cfg := testConfig(f, "http://127.0.0.1:1")
	tr := &answerTransport{}
	cfg.HTTPClient = &http.Client{Transport: tr}
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		f.Fatal(err)
	}
	inUse := cfg.Encrypter.CertID()
	f.Fuzz(func(t *testing.T, op byte, respCode, value, extra string) {
		var extras sign.Fields
		if e, err := sign.ParseRaw(extra); err == nil {
			extras = e
		}
		var sent sign.Fields // the last answer
		tr.build = func(req sign.Fields) sign.Fields {
			a := answerTo(req, respCode, nil)
			switch op % 4 {
			case 1:
				a["qrCode"] = value
			case 2:
				a["activateStatus"] = value
			case 3:
				a["certType"] = value
			}
			applyExtras(a, extras)
			sent = a
			return a
		}
		ctx := context.Background()
		txnTime := testNow.Add(-time.Minute)
		switch op % 4 {
		case 0:
			res, err := c.Refund(ctx, &unionpay.FollowUpRequest{OrderID: testOrder, OrigQueryID: "782401051030000000011",
				Amount: 100, TxnTime: txnTime, BackURL: "https://merchant.example.com/notify"})
			checkMoves(t, sent, res != nil, err)
			if err == nil && (res.OrderID != testOrder || res.RespCode != sent["respCode"]) {
				t.Fatalf("result %+v to an answer %v", res, sent)
			}
		case 1:
			res, err := c.ApplyQRCode(ctx, &unionpay.QRCodeRequest{OrderID: testOrder, Amount: 100, TxnTime: txnTime,
				BackURL: "https://merchant.example.com/notify"})
			checkMoves(t, sent, res != nil, err)
			if err == nil && (res.QRCode == "" || res.QRCode != sent["qrCode"] || res.OrderID != testOrder) {
				t.Fatalf("QR code result %+v to an answer %v", res, sent)
			}
		case 2:
			st, err := c.QueryOpen(ctx, &unionpay.OpenQueryRequest{OrderID: testOrder, TxnTime: txnTime})
			if (st == nil) == (err == nil) {
				t.Fatalf("open status %v and error %v", st, err)
			}
			if sign.Unambiguous(sent) != nil {
				return // the client reads other fields than sent, with the same string to sign
			}
			if err != nil {
				if e, ok := errors.AsType[*unionpay.Error](err); ok && e.RespCode != sent["respCode"] {
					t.Fatalf("error %v for respCode %q", err, sent["respCode"])
				}
				return
			}
			code, status := sent["respCode"], sent["activateStatus"]
			want := map[unionpay.OpenState]bool{
				unionpay.CardOpened:    code == "00" && (status == "" || status == "1"),
				unionpay.CardNotOpened: code == "00" && status == "0" || code == "77",
				unionpay.OpenNotFound:  code == "34",
			}
			if !want[st.State] || st.OrderID != testOrder || st.RespCode != code {
				t.Fatalf("open status %+v from respCode %q activateStatus %q", st, code, status)
			}
			if (st.TokenData != nil) != (sent["tokenPayData"] != "") || st.Token != st.TokenData["token"] {
				t.Fatalf("token %q, data %v from tokenPayData %q", st.Token, st.TokenData, sent["tokenPayData"])
			}
		case 3:
			updated, err := c.UpdateEncryptionCertificate(ctx)
			if updated && err != nil {
				t.Fatalf("updated, with the error %v", err)
			}
			if !updated {
				return
			}
			crt, err := cert.ParseCertificate([]byte(sent["encryptPubKeyCert"]))
			if err != nil || cert.CertID(crt) == inUse || sent["respCode"] != "00" && sent["respCode"] != "A6" ||
				sent["certType"] != "01" {
				t.Fatalf("updated from an answer %v (%v)", sent, err)
			}
			t.Fatalf("updated to certificate %s: the corpus holds no other valid one", cert.CertID(crt))
		}
	})
}

// checkMoves checks the outcome of a call that moves money against the answer sent.
func checkMoves(t *testing.T, sent sign.Fields, ok bool, err error) {
	t.Helper()
	if ok == (err != nil) {
		t.Fatalf("result %v and error %v", ok, err)
	}
	if sign.Unambiguous(sent) != nil {
		return // the client reads other fields than sent, with the same string to sign
	}
	code := sent["respCode"]
	if err == nil {
		if code != "00" && code != "A6" {
			t.Fatalf("accepted on respCode %q", code)
		}
		return
	}
	if errors.Is(err, unionpay.ErrPending) {
		return
	}
	e, isErr := errors.AsType[*unionpay.Error](err)
	if !isErr || e.RespCode != code || slices.Contains([]string{"", "00", "A6", "03", "04", "05", "12", "83"}, code) ||
		sent["orderId"] != testOrder {
		t.Fatalf("refused (%T %v), not pending, on an answer %v", err, err, sent)
	}
}
