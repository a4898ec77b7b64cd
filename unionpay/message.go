package unionpay

import (
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goacp/unionpay/internal/ascii"
	"github.com/goacp/unionpay/internal/javagbk"
	"github.com/goacp/unionpay/internal/mask"
	"github.com/goacp/unionpay/sign"
)

const timeLayout = "20060102150405" // txnTime, payTimeout

// Channel is the channelType field. A WAP payment is a front form as a PC one is, with the same
// fields, posted to the same frontTransReq.do ([Client.FrontConsume]); only channelType differs
// (08). The app control's consume and pre-authorisation ([Client.AppConsume], [Client.AppPreAuth])
// send 08 too.
type Channel string

// Channels.
const (
	ChannelPC     Channel = "07" // internet: PC or tablet browser (the PC gateway)
	ChannelMobile Channel = "08" // mobile: WAP pages and the app control
)

// newFields starts a request with the fields every request carries. Every key a request models is
// present, even empty (sign.Prepare drops blanks), so that Extra cannot collide with it unnoticed.
func (c *Client) newFields(txnType, txnSubType, bizType string) sign.Fields {
	return sign.Fields{
		"version":    c.cfg.Version,
		"encoding":   c.cfg.Encoding,
		"txnType":    txnType,
		"txnSubType": txnSubType,
		"bizType":    bizType,
		"accessType": string(c.cfg.AccessType),
		"merId":      c.cfg.MerchantID,
		"acqInsCode": c.cfg.AcquirerCode,
		"subMerId":   c.cfg.SubMerchant.ID,
		"subMerName": c.cfg.SubMerchant.Name,
		"subMerAbbr": c.cfg.SubMerchant.Abbr,
	}
}

// finish checks that every value of f and extra is valid UTF-8 (the text a Go string must hold,
// whatever the message charset: UnionPay would decode invalid bytes as U+FFFD and fail the
// signature), and the rest as complete does, then signs them. A front form is checked by
// browserSafe instead.
func (c *Client) finish(op string, f, extra sign.Fields) (sign.Fields, error) {
	if err := c.complete(op, f, extra); err != nil {
		return nil, err
	}
	p := sign.Prepare(f)
	if err := sign.Sign(c.cfg.Signer, p); err != nil {
		return nil, fmt.Errorf("unionpay: %s: %w", op, err)
	}
	return p, nil
}

// complete is finish without the signing: it checks f and extra as finish does and adds extra's
// fields to f.
func (c *Client) complete(op string, f, extra sign.Fields) error {
	if err := validUTF8(op, f, extra); err != nil {
		return err
	}
	if c.gbk() {
		if err := representable(op, f, extra); err != nil {
			return err
		}
	}
	if err := c.reqReservedLength(op, f, extra); err != nil {
		return err
	}
	if err := c.reachableBackURL(op, f, extra); err != nil {
		return err
	}
	return addExtra(op, f, extra)
}

// reachableBackURL refuses, when the Endpoints are on UnionPay's production hosts, a backUrl
// (BackURL, or Extra's) that UnionPay's gateway can never reach: localhost, or a literal loopback,
// link-local or unspecified address, however written (unreachableHost). Its notifications would
// never arrive, and a shop that ships on them would never see the payments. A private address (10.0.0.0/8...) is taken: a merchant
// connected to UnionPay by a leased line (专线) may be reached at one. UnionPay's test environment
// takes one (a developer's machine trying the cashier, its return and queries, as
// examples/quickstart -live does), and so do other Endpoints: a fake gateway or a proxy of the
// merchant's own may be on the same host or network.
func (c *Client) reachableBackURL(op string, f, extra sign.Fields) error {
	if !c.prod { // parsed once, by NewClient: not per request
		return nil
	}
	for _, s := range []struct{ field, v string }{{"BackURL", f["backUrl"]}, {`Extra["backUrl"]`, extra["backUrl"]}} {
		u, err := url.Parse(strings.TrimSpace(s.v))
		if err != nil {
			continue // refused elsewhere, or not given
		}
		if host := u.Hostname(); unreachableHost(host) {
			return &RequestError{Op: op, Field: s.field, Reason: fmt.Sprintf("host %q cannot be reached by UnionPay's "+
				"production gateway (Config.Endpoints): notifications would never arrive; give the address UnionPay reaches "+
				"from the internet", host)}
		}
	}
	return nil
}

// unreachableHost reports whether host, a URL's Hostname, is one UnionPay's gateway can never
// reach: localhost or a name under it, or a loopback, link-local or unspecified address, however
// written: a name with its final dot (localhost.), an IPv6 address with a zone (fe80::1%eth0),
// one mapping IPv4 ([::ffff:127.0.0.1]), an IPv4 address in a form inet_aton, resolvers and
// browsers read (127.1, 0x7f.1, 0177.0.0.1, 2130706433).
func unreachableHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i]
	}
	ip := net.ParseIP(h)
	if ip == nil {
		ip = inetAton(h)
	}
	return ip != nil && (ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsUnspecified())
}

// inetAton reads s as inet_aton does an IPv4 address: one to four parts separated by dots, each
// decimal, octal (a leading 0) or hexadecimal (0x), the last filling the bytes the others leave
// (127.1 is 127.0.0.1, 2130706433 too); nil when s is not one.
func inetAton(s string) net.IP {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return nil
	}
	var addr uint64
	for i, p := range parts {
		base, digits := uint64(10), p
		switch {
		case len(p) > 2 && p[:2] == "0x":
			base, digits = 16, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, digits = 8, p[1:]
		}
		if digits == "" || len(digits) > 11 { // 11 digits cannot overflow, and are more than an address needs
			return nil
		}
		var n uint64
		for _, c := range []byte(digits) {
			d := strings.IndexByte("0123456789abcdef", c)
			if d < 0 || uint64(d) >= base {
				return nil
			}
			n = n*base + uint64(d)
		}
		bits := 8
		if i == len(parts)-1 {
			bits = 8 * (5 - len(parts))
		}
		if n >= 1<<bits {
			return nil
		}
		addr = addr<<bits | n
	}
	return net.IPv4(byte(addr>>24), byte(addr>>16), byte(addr>>8), byte(addr))
}

// gbk reports whether messages are sent in GBK (Config.Encoding).
func (c *Client) gbk() bool { return strings.EqualFold(c.cfg.Encoding, sign.CharsetGBK) }

// notGBK is the reason of a *RequestError for a value GBK cannot encode.
const notGBK = "not representable in GBK, the message charset (Config.Encoding)"

// representable refuses a key or value GBK cannot encode (an emoji, say) as validUTF8 refuses
// invalid UTF-8.
func representable(op string, f, extra sign.Fields) error {
	return refuseFirst(op, f, extra, inGBK, notGBK)
}

// inGBK reports whether GBK can encode s.
func inGBK(s string) bool {
	if ascii.Is(s) {
		return true
	}
	_, err := javagbk.NewEncoder().String(s)
	return err == nil
}

// gbkWidth returns the bytes s takes in GBK, where a character other than ASCII takes two (a
// character GBK lacks counts as two as well).
func gbkWidth(s string) int {
	n := 0
	for _, r := range s {
		n += 1 + min(utf8.RuneLen(r)-1, 1)
	}
	return n
}

// validUTF8 refuses a value that is not valid UTF-8 with a *RequestError naming its Go field
// (Extra's first, then the modelled fields', each the first in key order).
func validUTF8(op string, f, extra sign.Fields) error {
	return refuseFirst(op, f, extra, utf8.ValidString, "not valid UTF-8")
}

// refuseFirst returns a *RequestError with reason for the first key or value for which ok is
// false, naming its Go field: Extra's first, then the modelled fields', each the first in key
// order; nil if there is none.
func refuseFirst(op string, f, extra sign.Fields, ok func(string) bool, reason string) error {
	if k, bad := firstRefused(extra, ok); bad {
		return &RequestError{Op: op, Field: extraField(k), Reason: reason}
	}
	if k, bad := firstRefused(f, ok); bad {
		return &RequestError{Op: op, Field: goField(k), Reason: reason}
	}
	return nil
}

// firstRefused returns the first key, in byte order, whose key or value ok refuses.
func firstRefused(m sign.Fields, ok func(string) bool) (key string, found bool) {
	for k, v := range m {
		if (!ok(k) || !ok(v)) && (!found || k < key) {
			key, found = k, true
		}
	}
	return key, found
}

// goField names the request field (or Config field) a modelled message field is set from, for
// errors; a field set from no caller input keeps its own name.
func goField(key string) string {
	switch key {
	case "orderId":
		return "OrderID"
	case "origQryId":
		return "OrigQueryID"
	case "queryId":
		return "QueryID"
	case "backUrl":
		return "BackURL"
	case "frontUrl":
		return "FrontURL"
	case "reqReserved":
		return "ReqReserved"
	case "orderDesc":
		return "OrderDesc"
	case "issInsCode":
		return "IssInsCode"
	case "txnSubType":
		return "TxnSubType"
	case "bizType":
		return "BizType"
	case "fileType":
		return "FileType"
	case "reserved":
		return "Reserved"
	case "riskRateInfo":
		return "RiskRateInfo"
	case "accNo":
		return "AccNo"
	case "accType":
		return "AccType"
	case "customerInfo":
		return "Customer"
	case "currencyCode":
		return "Currency"
	case "batchNo":
		return "BatchNo"
	case "subMerId":
		return "Config.SubMerchant.ID"
	case "subMerName":
		return "Config.SubMerchant.Name"
	case "subMerAbbr":
		return "Config.SubMerchant.Abbr"
	}
	return key
}

// extraField names Extra's key k as a *RequestError's Field does: Extra["k"], k cut by mask.Key
// when it does not read as a field name ("accNo=6216261000000000018" as Extra["accNo..."]), as
// cert's errors show a customerInfo key: such a key is most likely key=value text given whole as a
// key, whose value must not reach a log.
func extraField(k string) string { return fmt.Sprintf("Extra[%q]", mask.Key(k, 0)) }

// addExtra adds extra's fields to f, refusing a name that is not one, a modelled or signature
// field, and an Extra["reqReserved"] that could not be echoed.
func addExtra(op string, f, extra sign.Fields) error {
	for k, v := range extra {
		if k == "" || !ascii.IsAlnum(k) {
			return &RequestError{Op: op, Field: extraField(k), Reason: "not a field name"}
		}
		if _, modelled := f[k]; modelled || isSignatureField(k) {
			return &RequestError{Op: op, Field: fmt.Sprintf("Extra[%q]", k), Reason: "collides with a modelled field"}
		}
		if k == "reqReserved" { // requests that do not model it (queries) still have it echoed
			ch := checker{op: op}
			if ch.echoed(`Extra["reqReserved"]`, v); ch.err != nil {
				return ch.err
			}
		}
		f[k] = v
	}
	return nil
}

func isSignatureField(k string) bool {
	switch k {
	case sign.FieldSignature, "signMethod", "certId", "encryptCertId", "signPubKeyCert":
		return true
	}
	return false
}

// braced renders m as UnionPay's {k=v&k=v} (keys sorted), leaving out the pairs whose value is
// blank, as a blank field is left out of a message (see "Amounts, times and blank values" in the package doc); ""
// when none is left.
func braced(op, field string, m sign.Fields) (string, error) {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if sign.Blank(k) || strings.ContainsAny(k+v, "&={}[]") {
			return "", &RequestError{Op: op, Field: field, Reason: "keys must not be blank, and keys and values must not contain & = { } [ ]"}
		}
		if sign.Blank(v) {
			continue
		}
		if hasControl(k + v) {
			return "", &RequestError{Op: op, Field: field, Reason: "keys and values must not contain control characters"}
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return "", nil
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + m[k])
	}
	b.WriteByte('}')
	return b.String(), nil
}

// checker collects the first invalid request field of one operation.
type checker struct {
	op  string
	err error
}

func (ch *checker) fail(field, reason string) {
	if ch.err == nil {
		ch.err = &RequestError{Op: ch.op, Field: field, Reason: reason}
	}
}

func (ch *checker) orderID(field, id string) {
	if len(id) < 8 || len(id) > 40 || !ascii.IsAlnum(id) {
		ch.fail(field, "must be 8 to 40 letters or digits")
	}
}

func (ch *checker) amount(field string, a int64) {
	if a <= 0 || a > maxAmount {
		ch.fail(field, "must be between 1 and 999999999999 fen")
	}
}

// maxAmount is the largest amount in fen: txnAmt and totalAmt have 12 digits.
const maxAmount = 999999999999

func (ch *checker) url(field, u string, required bool) {
	if sign.Blank(u) { // blank: not given
		if required {
			ch.fail(field, "required")
		}
		return
	}
	if err := checkURL(u, false); err != nil {
		ch.fail(field, err.Error())
	}
}

// echoed checks a value UnionPay echoes in its raw answers (reqReserved, the sub-merchant's
// name): '&', '{', '}', '[' and ']' would break the parsing of every answer about the transaction
// (and a notification holding '&' there is refused as ambiguous, see sign.ParseForm). The length
// of reqReserved is checked when the message is finished (see reqReservedLength).
func (ch *checker) echoed(field, v string) {
	if reason := echoedReason(v); reason != "" {
		ch.fail(field, reason)
	}
}

// echoedReason is why v cannot be echoed in UnionPay's raw answers, or "".
func echoedReason(v string) string {
	if strings.ContainsAny(v, "&{}[]") {
		return "must not contain & { } [ ] (UnionPay echoes it unencoded; base64 it)"
	}
	return ""
}

// maxReqReserved is the longest reqReserved UnionPay takes (its specification: 1 to 1024 bytes),
// in bytes of the message charset: 341 Chinese characters in UTF-8, 512 in GBK.
const maxReqReserved = 1024

// reqReservedLength refuses a reqReserved (modelled, or in Extra for requests that do not model
// it) longer than maxReqReserved bytes as sent: trimmed, in the message charset.
func (c *Client) reqReservedLength(op string, f, extra sign.Fields) error {
	for _, s := range []struct {
		field string
		v     string
	}{{"ReqReserved", f["reqReserved"]}, {`Extra["reqReserved"]`, extra["reqReserved"]}} {
		v := sentTrimmed(s.v)
		n := len(v)
		if c.gbk() && !ascii.Is(v) {
			if b, err := javagbk.NewEncoder().String(v); err == nil {
				n = len(b)
			}
		}
		if n > maxReqReserved {
			charset := "UTF-8"
			if c.gbk() {
				charset = "GBK"
			}
			return &RequestError{Op: op, Field: s.field,
				Reason: fmt.Sprintf("must be at most %d bytes in %s, the message charset (it is %d)", maxReqReserved, charset, n)}
		}
	}
	return nil
}

// accType checks an accType as it is sent (trimmed of what Java's String.trim drops; a blank one
// is not sent): two digits.
func (ch *checker) accType(field, v string) {
	if acc := sentTrimmed(v); !sign.Blank(acc) && (len(acc) != 2 || !isDigits(acc)) {
		ch.fail(field, "must be two digits (01 bank card, 04 corporate account)")
	}
}

func (ch *checker) required(field, v string) {
	if sign.Blank(v) {
		ch.fail(field, "required")
	}
}

// serial checks a UnionPay serial number the caller passes back (origQryId, queryId), as it is
// sent (trimmed): letters and digits only, as UnionPay writes them. UnionPay echoes these raw in
// its answers, where '&', '{', '[' or a line break would corrupt the answer (its signature then
// fails, and a money-moving call reads as pending although the gateway refused it).
func (ch *checker) serial(field, v string) {
	if !utf8.ValidString(v) {
		return // refused as such when the message is finished (validUTF8)
	}
	if v := sentTrimmed(v); v != "" && (len(v) > 64 || !ascii.IsAlnum(v)) {
		ch.fail(field, "must be UnionPay's serial number: up to 64 letters or digits")
	}
}

// digitsOverride checks an override of a code field (txnSubType, bizType, fileType) as it is sent
// (trimmed), when given: n digits, as the gateway requires (it answers 10 otherwise).
func (ch *checker) digitsOverride(field, v string, n int) {
	if sign.Blank(v) || !utf8.ValidString(v) { // invalid UTF-8: refused as such by validUTF8
		return
	}
	if v := sentTrimmed(v); len(v) != n || !isDigits(v) {
		ch.fail(field, fmt.Sprintf("must be %d digits", n))
	}
}

// hasControl reports whether s holds a control character (C0, DEL, C1) or a Unicode line or
// paragraph separator.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return isControl(r) || r == '\u2028' || r == '\u2029' })
}

// isControl reports whether r is a C0 or C1 control character or DEL.
func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 }

// currency returns the currencyCode: "" or blank means 156 (CNY).
func (ch *checker) currency(field, cur string) string {
	if sign.Blank(cur) {
		return "156"
	}
	if len(cur) != 3 || !isDigits(cur) {
		ch.fail(field, "must be a 3-digit ISO 4217 code")
	}
	return cur
}

// channel returns the channelType: "" or blank means def.
func (ch *checker) channel(field string, c, def Channel) string {
	switch c := Channel(orDefault(string(c), string(def))); c {
	case ChannelPC, ChannelMobile:
		return string(c)
	}
	ch.fail(field, "must be ChannelPC (07) or ChannelMobile (08)")
	return ""
}

// sentTrimmed returns v as it is sent: trimmed of what Java's String.trim drops (U+0000 to
// U+0020), as sign.Prepare trims every value.
func sentTrimmed(v string) string {
	return strings.TrimFunc(v, func(c rune) bool { return c <= ' ' })
}

// orDefault returns v, or def when v is empty or blank (white space only): a blank override is
// not given (see "Amounts, times and blank values" in the package doc).
func orDefault(v, def string) string {
	if sign.Blank(v) {
		return def
	}
	return sentTrimmed(v) // as it is sent: a comparison with a code sees what the gateway sees
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validAccNo reports whether s is a card number as accNo takes it: 12 to 19 digits.
func validAccNo(s string) bool { return len(s) >= 12 && len(s) <= 19 && isDigits(s) }

func fen(a int64) string { return strconv.FormatInt(a, 10) }

// parseFen reads the amount field of answer f: 0 when f has none; otherwise 1 to 12 digits, as
// UnionPay writes an amount (N1..12), leading zeros read as such. An empty value ("txnAmt="),
// a sign ("+100", "-0"), white space or more than 12 digits is an error naming the field, never
// 0 or an amount UnionPay cannot have moved (notify reads a notification's amounts so too).
func parseFen(f sign.Fields, field string) (int64, error) {
	s, ok := f[field]
	if !ok {
		return 0, nil
	}
	if len(s) > 12 || !isDigits(s) { // isDigits: not empty either
		return 0, fmt.Errorf("answer field %s is not an amount in fen (1 to 12 digits)", field)
	}
	return strconv.ParseInt(s, 10, 64) // 12 digits at most: no overflow
}
