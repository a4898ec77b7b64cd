package unionpaytest

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
)

// certless hides the certId of a signer: 5.1.0 responses and notifications carry signPubKeyCert
// instead of certId, as captures of the real gateway show.
type certless struct{ sign.Signer }

func (certless) CertID() string { return "" }

// echoed lists the request fields a response repeats.
func echoed() []string {
	return []string{"version", "encoding", "bizType", "txnType", "txnSubType", "accessType", "merId",
		"orderId", "txnTime", "txnAmt", "currencyCode", "reqReserved", "acqInsCode", "subMerId", "subMerAbbr",
		"subMerName", "batchNo", "settleDate", "fileType", "certType", "origQryId"}
}

// baseResponse starts a response to req: the echoed fields, then respCode and respMsg.
func baseResponse(req sign.Fields, code, detail string) sign.Fields {
	resp := make(sign.Fields, 24)
	for _, k := range echoed() {
		if v := req[k]; v != "" && rawSafe(v) {
			resp[k] = v
		}
	}
	if v := resp["version"]; v != sign.Version500 && v != sign.Version510 {
		resp["version"] = sign.Version510
	}
	if e := strings.ToUpper(resp["encoding"]); e != "UTF-8" && e != "GBK" {
		resp["encoding"] = "UTF-8"
	}
	resp["respCode"] = code
	resp["respMsg"] = respMsg(code, detail)
	return resp
}

// canSign returns an error, naming the calling method, unless the server can sign with method
// ("" means 01): signAs falls back to 01 for the answers to requests it refuses, but a caller
// asking for a method must get it.
func (s *Server) canSign(caller, method string) error {
	switch {
	case method == "" || method == sign.MethodRSA:
		return nil
	case method == sign.MethodSHA256Key || method == sign.MethodSM3Key:
		if s.opts.secureKey == nil {
			return fmt.Errorf("unionpaytest: %s: signMethod %s needs a server started WithSecureKey", caller, method)
		}
		return nil
	case method == sign.MethodSM2:
		if s.sm2 == nil {
			return fmt.Errorf("unionpaytest: %s: signMethod %s needs a server started WithSM2", caller, method)
		}
		return nil
	}
	return fmt.Errorf("unionpaytest: %s: unknown signMethod %q (01, 11, 12 or 21)", caller, method)
}

// signAs signs f in place as UnionPay would: with the secure key when the request used a
// secure-key method (method 11 or 12), otherwise with the signing certificate (5.1.0: the PEM in
// signPubKeyCert, no certId; 5.0.0: certId only). fault may swap the key or the certificate.
func (s *Server) signAs(f sign.Fields, method string, fault Fault) error {
	if f["version"] == "" {
		f["version"] = sign.Version510
	}
	if f["encoding"] == "" {
		f["encoding"] = "UTF-8"
	}
	delete(f, "signPubKeyCert")
	if (method == sign.MethodSHA256Key || method == sign.MethodSM3Key) && s.opts.secureKey != nil {
		key := s.opts.secureKey
		switch fault {
		case FaultWrongKey, FaultExpiredCert, FaultWrongName: // a secure key has no certificate to fault
			key = append([]byte("wrong"), key...)
		}
		ks, err := sign.NewSecureKeySigner(method, key)
		if err != nil {
			return fmt.Errorf("unionpaytest: %w", err)
		}
		return sign.Sign(ks, f)
	}
	if method == sign.MethodSM2 && s.sm2 != nil {
		return s.signSM2(f, fault)
	}
	s.mu.Lock() // a rotation may replace the signing identities
	key, c := s.pki.signing.key, s.pki.signing.cert
	switch fault {
	case FaultWrongKey:
		key = s.pki.merchant.key // any key but the one in the certificate
	case FaultExpiredCert:
		c = s.pki.expired.cert
	case FaultWrongName:
		c = s.pki.wrongName.cert
	}
	s.mu.Unlock()
	rs, err := sign.NewRSASigner(key, certID(c))
	if err != nil {
		return fmt.Errorf("unionpaytest: %w", err)
	}
	if f["version"] == sign.Version500 {
		return sign.Sign(rs, f)
	}
	f["signPubKeyCert"] = pemCRLF(c)
	return sign.Sign(certless{rs}, f)
}

// rawBody renders f in UnionPay's synchronous response format: k=v pairs joined by '&', values
// not URL-encoded, sorted by key with signPubKeyCert and signature last, in the message charset.
func rawBody(f sign.Fields) ([]byte, error) {
	keys := make([]string, 0, len(f))
	for k := range f {
		if k != "signature" && k != "signPubKeyCert" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range []string{"signPubKeyCert", "signature"} {
		if _, ok := f[k]; ok {
			keys = append(keys, k)
		}
	}
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(f[k])
	}
	if !strings.EqualFold(f["encoding"], "GBK") {
		return []byte(b.String()), nil
	}
	out, err := javagbk.NewEncoder().String(b.String())
	if err != nil {
		return nil, fmt.Errorf("unionpaytest: encode response as GBK: %w", err)
	}
	return []byte(out), nil
}

// writeRaw sends body as the synchronous answer, applying a response fault. It reports whether
// it sent nothing because the client gave up or the server is closing while FaultDelay held the
// answer: the caller then finishes its work (the notification of the transaction, which was
// processed) and aborts the response with panic(http.ErrAbortHandler).
func (s *Server) writeRaw(w http.ResponseWriter, r *http.Request, body []byte, charset string, fault Fault) (abort bool) {
	switch fault {
	case FaultDrop:
		hijackClose(w, nil)
		return
	case FaultTruncate:
		hijackClose(w, func(c *strings.Builder) {
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain;charset=%s\r\nContent-Length: %d\r\n\r\n",
				charset, len(body))
			c.Write(body[:len(body)/2])
		})
		return
	case FaultBadGateway:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, badGatewayPage)
		return false
	case FaultDelay:
		t := time.NewTimer(s.opts.faultDelay)
		defer t.Stop()
		select {
		case <-r.Context().Done():
			// The client gave up: send nothing, as the gateway would not. Returning normally
			// from the handler would send an empty 200, which a client that has just closed the
			// connection can still read (net/http returns a response that races the cancel).
			return true
		case <-s.ctx.Done():
			return true // the server is closing
		case <-t.C:
		}
	}
	w.Header().Set("Content-Type", "text/plain;charset="+charset)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
	return false
}

// badGatewayPage is FaultBadGateway's body: a proxy's error page, as nginx writes one.
const badGatewayPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
	"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// hijackClose takes the connection over, writes what write produces (if anything) and closes it.
func hijackClose(w http.ResponseWriter, write func(*strings.Builder)) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // HTTP/2: abort the stream instead
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	if write != nil {
		var b strings.Builder
		write(&b)
		_, _ = conn.Write([]byte(b.String()))
	}
}

// Sign returns a copy of f signed by the fake UnionPay: version 5.1.0, encoding UTF-8 and
// signMethod 01 unless f sets them, the signing certificate in signPubKeyCert. Use it to build
// responses or notifications for handler unit tests without a network. A signMethod the server
// cannot sign with is an error: one that is none of 01, 11, 12 and 21, 11 or 12 without
// [WithSecureKey], 21 without [WithSM2].
func (s *Server) Sign(f sign.Fields) (sign.Fields, error) {
	if err := s.canSign("Sign", f["signMethod"]); err != nil {
		return nil, err
	}
	out := f.Clone()
	if err := s.signAs(out, out["signMethod"], FaultNone); err != nil {
		return nil, err
	}
	return out, nil
}

// SignWithFault signs a copy of f like Sign, but as a faulty gateway would: with a key that does
// not match the certificate (FaultWrongKey), under an expired certificate (FaultExpiredCert) or
// under a certificate whose owner is not UnionPay (FaultWrongName), or as their notification
// counterparts (FaultNotifyWrongKey ...) sign a notification. Other faults sign normally.
// Use it to check that a handler rejects such messages. A signMethod Sign refuses, or a fault
// that is not one of the constants, is an error.
func (s *Server) SignWithFault(f sign.Fields, fault Fault) (sign.Fields, error) {
	if err := s.canSign("SignWithFault", f["signMethod"]); err != nil {
		return nil, err
	}
	if fault < FaultNone || fault >= faultEnd {
		return nil, fmt.Errorf("unionpaytest: SignWithFault: %v is not a Fault", fault)
	}
	if sf := fault.signatureFault(); sf != FaultNone {
		fault = sf
	}
	out := f.Clone()
	if err := s.signAs(out, out["signMethod"], fault); err != nil {
		return nil, err
	}
	return out, nil
}

// SignNotification signs f like Sign and returns it as form values, ready to be POSTed to a
// notification handler: url.Values.Encode gives the body UnionPay sends, in the message charset
// (f["encoding"]). The values are the body's bytes as url.ParseQuery leaves them, as
// notify.VerifyValues takes them: UTF-8 text, or for a GBK notification GBK bytes (a value GBK
// cannot encode is an error). Fields of f with an empty value are left out, before signing:
// UnionPay sends none, and a receiver drops them before verifying (as package notify and the
// official SDK do), so a notification signed with one would not verify. f is signed as given:
// give a success of a transaction that moves money the queryId and settleDate UnionPay's
// notifications carry, or notify.Notification.Status reads it as Pending (as it reads a
// synchronous answer posted to backUrl).
func (s *Server) SignNotification(f sign.Fields) (url.Values, error) {
	nonEmpty := make(sign.Fields, len(f))
	for k, x := range f {
		if x != "" {
			nonEmpty[k] = x
		}
	}
	signed, err := s.Sign(nonEmpty)
	if err != nil {
		return nil, err
	}
	gbk := strings.EqualFold(signed["encoding"], sign.CharsetGBK)
	v := make(url.Values, len(signed))
	for k, x := range signed {
		if gbk {
			b, err := javagbk.NewEncoder().String(x)
			if err != nil { // Sign refuses such a value first; kept so that none goes out wrong
				return nil, fmt.Errorf("unionpaytest: SignNotification: field %s not representable in GBK", k)
			}
			x = b
		}
		v.Set(k, x)
	}
	return v, nil
}
