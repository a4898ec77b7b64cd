package unionpaytest

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/sign"
)

// rejection is a request the gateway refuses, with the respCode it answers.
type rejection struct {
	code     string
	reason   string
	protocol bool // a protocol violation (reported to the Reporter), not a business refusal
	readBody bool // the body could not be read (the connection failed or was closed under it)
}

func (r *rejection) Error() string { return r.code + " " + r.reason }

// violation is a refusal caused by a malformed request: it is also reported.
func violation(code, format string, args ...any) *rejection {
	return &rejection{code: code, reason: fmt.Sprintf(format, args...), protocol: true}
}

// refuse is a business refusal (duplicate, over-refund, unknown original ...).
func refuse(code, format string, args ...any) *rejection {
	return &rejection{code: code, reason: fmt.Sprintf(format, args...)}
}

// readRequest reads a form-encoded POST body (bounded by limit) and decodes it in its charset.
func readRequest(r *http.Request, limit int64) (sign.Fields, *rejection) {
	if r.Method != http.MethodPost {
		return nil, violation(CodeMalformed, "method %s, want POST", r.Method)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		rej := violation(CodeMalformed, "read body: %v", err)
		rej.readBody = true
		return nil, rej
	}
	if int64(len(body)) > limit {
		return declaredGBK(body), violation(CodeMalformed, "body over %d bytes", limit)
	}
	f, err := sign.ParseRequestForm(string(body))
	if err != nil {
		return declaredGBK(body), violation(CodeMalformed, "parse body: %v", err)
	}
	if !strings.EqualFold(f["encoding"], sign.CharsetGBK) {
		// UnionPay decodes the body in the declared charset: bytes that are not valid UTF-8
		// (GBK sent as UTF-8, say) come out as U+FFFD, and the signature no longer holds.
		for _, k := range slices.Sorted(maps.Keys(f)) {
			if !utf8.ValidString(f[k]) {
				return nil, violation(CodeBadSignature, "field %q is not valid UTF-8, the declared encoding", k)
			}
		}
	}
	return f, nil
}

// declaredGBK returns {encoding: GBK} when a body that could not be parsed declares
// encoding=GBK, nil otherwise: its refusal then comes in GBK, the charset the merchant's SDK
// decodes answers with (it decodes them in the request's charset), not in UTF-8, which it would
// read as garbled text under a signature that does not verify.
func declaredGBK(body []byte) sign.Fields {
	for kv := range strings.SplitSeq(string(body), "&") {
		k, v, _ := strings.Cut(kv, "=")
		// Percent-decoded as the form parser decodes them (encoding=%47BK is GBK to it too); a
		// pair that does not decode is taken as it is.
		if dk, err := url.QueryUnescape(k); err == nil {
			k = dk
		}
		if dv, err := url.QueryUnescape(v); err == nil {
			v = dv
		}
		if k == "encoding" && strings.EqualFold(v, sign.CharsetGBK) {
			return sign.Fields{"encoding": sign.CharsetGBK}
		}
	}
	return nil
}

// endpointAccepts reports whether endpoint ep accepts the txnType of f.
func endpointAccepts(ep Endpoint, f sign.Fields) bool {
	t := f["txnType"]
	switch ep {
	case EndpointFront:
		return t == "01" || t == "02" || t == "79" // 79: the front open (开通) of 认证支付 and Token
	case EndpointApp:
		return t == "01" || t == "02"
	case EndpointBack, EndpointCard:
		switch t {
		case "31", "04", "03", "32", "33", "11", "12", "72", "77", "78", "79", "95":
			return true
		case "74": // 解除标记: the token product's delete of a card's token
			return f["bizType"] == tokenBizType
		case "01":
			return f["bizType"] != "000201" // back-end consume (e.g. 000301 authenticated payment)
		}
	case EndpointQuery:
		return t == "00"
	case EndpointBatch:
		return t == "21" || t == "22"
	case EndpointFile:
		return t == "76"
	}
	return false
}

// requiredFields lists the fields each txnType needs beyond the common ones.
func requiredFields(ep Endpoint, f sign.Fields) []string {
	switch f["txnType"] {
	case "01", "02":
		if qr := qrRequired(ep, f); qr != nil {
			return qr
		}
		if ep == EndpointBack || ep == EndpointCard {
			card := "accNo"
			if f["bizType"] == tokenBizType && f["accNo"] == "" { // the token product pays by the card's token
				card = "tokenPayData"
			}
			return []string{"orderId", "txnAmt", "currencyCode", "channelType", "backUrl", card}
		}
		return []string{"orderId", "txnAmt", "currencyCode", "channelType", "backUrl"}
	case "31", "04", "03", "32", "33":
		return []string{"orderId", "origQryId", "txnAmt", "channelType", "backUrl"}
	case "11", "12":
		return []string{"orderId", "txnAmt", "currencyCode", "channelType", "accNo"}
	case "77":
		if f["txnSubType"] == "02" { // the consume SMS carries the consume's amount
			return []string{"orderId", "channelType", "txnAmt", "currencyCode"}
		}
		return []string{"orderId", "channelType"}
	case "79":
		if f["bizType"] == tokenBizType && f["txnSubType"] == tokenUpdateSubType { // the card's new details
			return []string{"orderId", "channelType", "tokenPayData", "customerInfo"}
		}
		if f["bizType"] == tokenBizType { // the token product names its requestor, on the page or not
			return []string{"orderId", "channelType", "tokenPayData"}
		}
		return []string{"orderId", "channelType"}
	case "74": // the token product's delete names the token
		return []string{"orderId", "channelType", "tokenPayData"}
	case "72":
		return []string{"orderId", "channelType"}
	case "78":
		if f["txnSubType"] == "00" { // 认证支付 2.0 asks by card
			return []string{"orderId", "channelType", "accNo"}
		}
		return []string{"orderId", "channelType"}
	case "95":
		return []string{"orderId", "certType"}
	case "00":
		if f["queryId"] != "" {
			return nil
		}
		return []string{"orderId"}
	case "76":
		return []string{"settleDate", "fileType"}
	case "21":
		return []string{"batchNo", "totalQty", "totalAmt", "fileContent"}
	case "22":
		return []string{"batchNo"}
	}
	return nil
}

// commonFields lists the fields every request needs.
func commonFields() []string {
	return []string{"version", "encoding", "signMethod", "txnType", "txnSubType", "bizType",
		"accessType", "merId", "txnTime", "signature"}
}

// checkRequest applies every strictness rule to a parsed request received on ep.
func (s *Server) checkRequest(ep Endpoint, f sign.Fields) *rejection {
	for _, k := range commonFields() {
		if f[k] == "" {
			return violation(CodeMissingField, "missing %s", k)
		}
	}
	if rej := s.checkSignature(f); rej != nil {
		return rej
	}
	if f["merId"] != s.opts.merchantID {
		return violation(CodeBadMerchant, "merId %q is not the test merchant", f["merId"])
	}
	if !endpointAccepts(ep, f) {
		return violation(CodeNotAllowed, "txnType %s bizType %s not accepted at %s", f["txnType"], f["bizType"], ep)
	}
	for _, k := range requiredFields(ep, f) {
		if f[k] == "" {
			return violation(CodeMissingField, "txnType %s: missing %s", f["txnType"], k)
		}
	}
	if rej := checkKinds(ep, f); rej != nil {
		return rej
	}
	if rej := checkAccess(f); rej != nil {
		return rej
	}
	late := ep == EndpointFront && s.pastPayTimeout(f)
	if rej := s.checkTxnTime(f, late); rej != nil {
		return rej
	}
	if rej := s.checkValues(f); rej != nil {
		return rej
	}
	if late {
		// A form the browser posted after its payTimeout (the shopper clicked late) is refused
		// as the cashier refuses a late payment: the shopper's timing, not the merchant's
		// mistake. Only there: a server-to-server request is sent when it is made, so a stale
		// txnTime is the merchant's clock, and is reported.
		return refuse(CodeExpired, "payTimeout %s has passed (gateway time %s)", f["payTimeout"],
			s.Now().Format("20060102150405"))
	}
	return nil
}

// pastPayTimeout reports whether f carries a payTimeout that has passed on the gateway clock.
func (s *Server) pastPayTimeout(f sign.Fields) bool {
	pt, err := s.parseTxnTime(f["payTimeout"])
	return err == nil && s.opts.now().After(pt)
}

func (s *Server) checkSignature(f sign.Fields) *rejection {
	v := f["version"]
	if v != sign.Version500 && v != sign.Version510 {
		return violation(CodeMalformed, "version %q", v)
	}
	if enc := strings.ToUpper(f["encoding"]); enc != "UTF-8" && enc != "GBK" {
		return violation(CodeMalformed, "encoding %q", f["encoding"])
	}
	canonical, err := sign.Canonical(f)
	if err != nil {
		return violation(CodeMalformed, "string to sign: %v", err)
	}
	switch m := f["signMethod"]; m {
	case sign.MethodRSA:
		pub, rej := s.merchantKey(f["certId"])
		if rej != nil {
			return rej
		}
		err = sign.VerifyRSA(pub, v, canonical, f["signature"])
	case sign.MethodSHA256Key, sign.MethodSM3Key:
		if s.opts.secureKey == nil {
			return violation(CodeBadSignature, "signMethod %s not enabled for this merchant", m)
		}
		err = sign.VerifySecureKey(m, s.opts.secureKey, canonical, f["signature"])
	case sign.MethodSM2:
		var rej *rejection
		if rej, err = s.checkSM2(f, canonical); rej != nil {
			return rej
		}
	default:
		return violation(CodeMalformed, "signMethod %q", m)
	}
	if errors.Is(err, sign.ErrSignature) {
		return violation(CodeBadSignature, "signature does not verify")
	}
	if err != nil {
		return violation(CodeBadSignature, "verify: %v", err)
	}
	return nil
}

// subTypes lists the txnSubType values each txnType accepts (UnionPay's interface specification); types not
// listed (nil) accept any two digits (product-specific).
func subTypes(txnType string) []string {
	switch txnType {
	case "01":
		return []string{"01", "03", qrSubTypeConsume, qrSubTypeApply}
	case "02", "76":
		return []string{"01"}
	case "31", "04", "03", "32", "33", "00", "95", "12":
		return []string{"00"}
	case "21", "22":
		return []string{"01", "02", "03"}
	case "11":
		return []string{"00", "02"}
	case "78": // by card, by mobile number, by the open's orderId
		return []string{"00", "01", "02"}
	}
	return nil
}

// checkKinds checks txnSubType against txnType and the shape of bizType.
func checkKinds(ep Endpoint, f sign.Fields) *rejection {
	sub := f["txnSubType"]
	if len(sub) != 2 || !isDigits(sub) {
		return violation(CodeMalformed, "txnSubType %q", sub)
	}
	if want := subTypes(f["txnType"]); want != nil && !slices.Contains(want, sub) {
		return violation(CodeMalformed, "txnType %s with txnSubType %s (want one of %v)", f["txnType"], sub, want)
	}
	if f["txnType"] == "01" && sub == "03" && (ep == EndpointBack || ep == EndpointCard) {
		return violation(CodeMalformed, "installments (txnSubType 03) only for front and app consume")
	}
	if b := f["bizType"]; len(b) != 6 || !isDigits(b) {
		return violation(CodeMalformed, "bizType %q", b)
	}
	if rej := checkQR(ep, f); rej != nil {
		return rej
	}
	if rej := checkB2B(ep, f); rej != nil {
		return rej
	}
	if v, ok := f["payTimeout"]; ok && (len(v) != 14 || !isDigits(v) || !validTime(v)) {
		return violation(CodeMalformed, "payTimeout %q: want yyyyMMddHHmmss", v)
	}
	return nil
}

// merchantKey returns the public key of the merchant certificate named by certId: the generated
// one or one given with WithMerchantCertificates, valid at the gateway clock.
func (s *Server) merchantKey(id string) (*rsa.PublicKey, *rejection) {
	if id == s.MerchantCertID() {
		return &s.pki.merchant.key.PublicKey, nil
	}
	for _, c := range s.opts.merchantCerts {
		if certID(c) != id {
			continue
		}
		if now := s.opts.now(); now.Before(c.NotBefore) || now.After(c.NotAfter) {
			return nil, violation(CodeBadSignature, "merchant certificate %s not valid at %s", id, now.Format(time.RFC3339))
		}
		if pub, ok := c.PublicKey.(*rsa.PublicKey); ok {
			return pub, nil
		}
		return nil, violation(CodeBadSignature, "merchant certificate %s has no RSA key", id)
	}
	return nil, violation(CodeBadSignature, "certId %q is not a merchant certificate (%s)", id, s.MerchantCertID())
}

func checkAccess(f sign.Fields) *rejection {
	switch f["accessType"] {
	case "0":
	case "1":
		if f["acqInsCode"] == "" {
			return violation(CodeMissingField, "accessType 1: missing acqInsCode")
		}
	case "2":
		for _, k := range []string{"subMerId", "subMerName", "subMerAbbr"} {
			if f[k] == "" {
				return violation(CodeMissingField, "accessType 2: missing %s", k)
			}
		}
	default:
		return violation(CodeMalformed, "accessType %q", f["accessType"])
	}
	return nil
}

// checkTxnTime checks the format of txnTime and, for new transactions, that it is within the
// freshness window of the gateway clock. Queries (00), batch queries (22) and open queries (78)
// name an earlier transaction by its txnTime, so only the format is checked for them.
func (s *Server) checkTxnTime(f sign.Fields, late bool) *rejection {
	t, err := s.parseTxnTime(f["txnTime"])
	if err != nil {
		return violation(CodeMalformed, "txnTime %q: %v", f["txnTime"], err)
	}
	if tt := f["txnType"]; tt == "00" || tt == "22" || tt == "78" {
		return nil
	}
	if late {
		return nil // a front form posted late: refused 39 after the other checks (checkRequest)
	}
	if d := s.opts.now().Sub(t); d > s.opts.freshness || d < -s.opts.freshness {
		when := fmt.Sprintf("%v behind", d.Round(time.Second))
		if d < 0 {
			when = fmt.Sprintf("%v ahead of", -d.Round(time.Second))
		}
		return violation(CodeMalformed, "txnTime %s is %s gateway time %s, more than the %v the gateway accepts "+
			"(a txnTime is Beijing time: give a current time.Time, and read a stored one with unionpay.ParseTxnTime, "+
			"not time.Parse, which reads it as UTC)", f["txnTime"], when, s.Now().Format("20060102150405"), s.opts.freshness)
	}
	return nil
}

func (s *Server) parseTxnTime(v string) (time.Time, error) {
	if len(v) != 14 || !isDigits(v) {
		return time.Time{}, errors.New("want yyyyMMddHHmmss")
	}
	return time.ParseInLocation("20060102150405", v, s.loc)
}

// charsetLen is the length of v in bytes of the message charset: v has been decoded to UTF-8,
// but a GBK message carried it in GBK.
func charsetLen(v, encoding string) int {
	if strings.EqualFold(encoding, sign.CharsetGBK) {
		if b, err := javagbk.NewEncoder().String(v); err == nil {
			return len(b)
		}
	}
	return len(v)
}

func orUTF8(encoding string) string {
	if encoding == "" {
		return "UTF-8"
	}
	return encoding
}

// rawSafe reports whether v survives UnionPay's raw response format when echoed: a value with an
// unbalanced '{' or '[' or a stray '&' would spill into the next fields. UnionPay tells merchants
// to avoid & = { } [ ] in reqReserved; this gateway refuses values that would break its answer.
func rawSafe(v string) bool {
	f, err := sign.ParseRaw("x=" + v + "&y=")
	return err == nil && len(f) == 2 && f["x"] == v && f["y"] == ""
}

// inCharset returns v with each character an answer in encoding cannot carry written as \uXXXX:
// a GBK answer cannot carry every character, and a refusal's reason may quote a request's key
// as the parser read it (a UTF-8 key in a body declared GBK, say).
func inCharset(v, encoding string) string {
	if !strings.EqualFold(encoding, sign.CharsetGBK) || gbkEncodable(v) {
		return v
	}
	var b strings.Builder
	for _, r := range v {
		if gbkEncodable(string(r)) {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "\\u%04X", r)
		}
	}
	return b.String()
}

// gbkEncodable reports whether Java's GBK encoder, which UnionPay's answers are written with,
// encodes s.
func gbkEncodable(s string) bool {
	_, err := javagbk.NewEncoder().String(s)
	return err == nil
}

func (s *Server) checkValues(f sign.Fields) *rejection {
	if n := charsetLen(f["reqReserved"], f["encoding"]); n > 1024 {
		return violation(CodeMalformed, "reqReserved is %d bytes in %s, over 1024", n, orUTF8(f["encoding"]))
	}
	for _, k := range echoed() {
		if v, ok := f[k]; ok && !rawSafe(v) {
			return violation(CodeMalformed, "%s %q would break the raw answer (unbalanced {} [] or '&')", k, v)
		}
	}
	// A token open's answer quotes the trId and tokenType sent in its own tokenPayData.
	if v, ok := f["tokenPayData"]; ok && f["bizType"] == tokenBizType && !rawSafe(openTokenPayData("0", v)) {
		return violation(CodeMalformed, "tokenPayData %q: its trId or tokenType would break the answer's tokenPayData", v)
	}
	if v, ok := f["orderId"]; ok && !validOrderID(v) {
		return violation(CodeMalformed, "orderId %q: want 8-40 letters and digits", v)
	}
	if v, ok := f["txnAmt"]; ok {
		n, err := parseAmount(v)
		if err != nil {
			return violation(CodeMalformed, "txnAmt %q: %v", v, err)
		}
		if n > s.opts.maxAmount {
			return refuse(CodeOverLimit, "txnAmt %d over the limit %d", n, s.opts.maxAmount)
		}
	}
	if v, ok := f["currencyCode"]; ok && v != "156" {
		return violation(CodeMalformed, "currencyCode %q, want 156", v)
	}
	if v, ok := f["channelType"]; ok && v != "07" && v != "08" {
		return violation(CodeMalformed, "channelType %q", v)
	}
	for _, k := range []string{"backUrl", "frontUrl"} {
		if v, ok := f[k]; ok {
			if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return violation(CodeMalformed, "%s %q is not an absolute http(s) URL", k, v)
			}
		}
	}
	return nil
}

func validOrderID(v string) bool {
	if len(v) < 8 || len(v) > 40 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// parseAmount parses a txnAmt: 1 to 12 digits, no sign, no leading zero, more than zero.
func parseAmount(v string) (int64, error) {
	if v == "" || len(v) > 12 || !isDigits(v) {
		return 0, errors.New("want 1-12 digits of fen")
	}
	if v[0] == '0' {
		return 0, errors.New("leading zero or zero amount")
	}
	return strconv.ParseInt(v, 10, 64)
}

func isDigits(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return v != ""
}

// validTime reports whether v (14 digits) is a date and time yyyyMMddHHmmss.
func validTime(v string) bool {
	_, err := time.Parse("20060102150405", v)
	return err == nil
}
