package notify_test

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
)

// A payout notification (txnType 12 or bizType 000401) reads 01, 12, 34 and 60
// as pending, as UnionPay's payout samples do; other transactions do not.
func TestPayoutNotificationStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		txnType, bizType, code string
		want                   notify.Status
	}{
		{"12", "000401", "01", notify.Pending},
		{"12", "000401", "12", notify.Pending},
		{"12", "000401", "34", notify.Pending},
		{"12", "000401", "60", notify.Pending},
		{"12", "", "60", notify.Pending},
		{"00", "000401", "01", notify.Pending},
		{"", "000401", "60", notify.Pending},
		{"72", "000401", "01", notify.Failed}, // a real-name check under the payout product
		{"12", "000401", "61", notify.Failed},
		{"12", "000401", "00", notify.Succeeded},
		{"12", "000401", "05", notify.Pending},
		{"11", "000501", "01", notify.Failed},
		{"01", "000201", "60", notify.Failed},
		{"04", "000201", "34", notify.Failed},
	}
	for _, tt := range tests {
		t.Run(tt.txnType+"/"+tt.bizType+"/"+tt.code, func(t *testing.T) {
			t.Parallel()
			n := &notify.Notification{TxnType: tt.txnType, BizType: tt.bizType, RespCode: tt.code,
				QueryID: "772611251000000000001", SettleDate: "1125"}
			assert.Equal(t, tt.want, n.Status())
		})
	}
}

func TestStatusOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code string
		want notify.Status
	}{
		{"00", notify.Succeeded},
		{"A6", notify.Succeeded},
		{"03", notify.Pending},
		{"04", notify.Pending},
		{"05", notify.Pending},
		{"83", notify.Pending},
		{"", notify.Pending},
		{"01", notify.Failed},
		{"12", notify.Failed},
		{"34", notify.Failed},
		{"84", notify.Failed},
		{"61", notify.Failed},
		{"a6", notify.Failed},
		{"000", notify.Failed},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.code), func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, notify.StatusOf(tt.code))
		})
	}
	var zero notify.Status
	assert.Equal(t, notify.Pending, zero, "the zero Status must not read as success")
	assert.Equal(t, "succeeded", notify.Succeeded.String())
	assert.Equal(t, "failed", notify.Failed.String())
	assert.Equal(t, "pending", notify.Pending.String())
}

// TestParseKinds: back notifications of each transaction family and a front
// return, success and failure, decode and classify as documented.
func TestParseKinds(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	back := func(txnType, txnSubType, respCode string, extra sign.Fields) sign.Fields {
		f := consumeFields("KIND" + txnType + respCode)
		f["txnType"], f["txnSubType"], f["respCode"] = txnType, txnSubType, respCode
		for k, x := range extra {
			if x == "" {
				delete(f, k)
			} else {
				f[k] = x
			}
		}
		return f
	}
	orig := sign.Fields{"origQryId": "772605311200000000009", "accNo": ""}
	tests := []struct {
		name   string
		f      sign.Fields
		status notify.Status
	}{
		{"front consume succeeded", back("01", "01", "00", nil), notify.Succeeded},
		{"front consume succeeded with defect", back("01", "01", "A6", nil), notify.Succeeded},
		{"front return, payment failed", back("01", "01", "61", sign.Fields{"settleAmt": "", "settleDate": ""}), notify.Failed},
		{"refund succeeded", back("04", "00", "00", orig), notify.Succeeded},
		{"refund failed", back("04", "00", "35", orig), notify.Failed},
		{"refund pending", back("04", "00", "05", orig), notify.Pending},
		{"consume cancel succeeded", back("31", "00", "00", orig), notify.Succeeded},
		{"consume cancel failed", back("31", "00", "34", orig), notify.Failed},
		{"pre-auth completion succeeded", back("03", "00", "00", orig), notify.Succeeded},
		{"pre-auth completion processing", back("03", "00", "03", orig), notify.Pending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			signed := signWith(t, p.leaf, tt.f)
			n, err := notify.Parse(v, []byte(encode(t, signed)))
			require.NoError(t, err)
			assert.Equal(t, tt.status, n.Status())
			assert.Equal(t, tt.f["txnType"], n.TxnType)
			assert.Equal(t, tt.f["txnSubType"], n.TxnSubType)
			assert.Equal(t, tt.f["respCode"], n.RespCode)
			assert.Equal(t, tt.f["origQryId"], n.OrigQueryID)
			assert.Equal(t, signed, n.Raw)
		})
	}
}

func TestParseFields(t *testing.T) {
	t.Parallel()
	p := testPKI()
	f := consumeFields("ORDER0001")
	f["origRespCode"], f["origRespMsg"] = "00", "成功"
	n, err := notify.Parse(p.verifier(t), []byte(encode(t, signWith(t, p.leaf, f))))
	require.NoError(t, err)

	assert.Equal(t, sign.Version510, n.Version)
	assert.Equal(t, "777290058110048", n.MerchantID)
	assert.Equal(t, "ORDER0001", n.OrderID)
	assert.True(t, n.TxnTime.Equal(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)), "txnTime is Beijing time: %v", n.TxnTime)
	_, offset := n.TxnTime.Zone()
	assert.Equal(t, 8*60*60, offset)
	assert.Equal(t, "01", n.TxnType)
	assert.Equal(t, "01", n.TxnSubType)
	assert.Equal(t, "000201", n.BizType)
	assert.Equal(t, "0", n.AccessType)
	assert.Equal(t, "772606010800000000001", n.QueryID)
	assert.Equal(t, int64(1000), n.TxnAmt)
	assert.Equal(t, "156", n.CurrencyCode)
	assert.Equal(t, int64(1000), n.SettleAmt)
	assert.Equal(t, "156", n.SettleCurrency)
	assert.Equal(t, "0601", n.SettleDate)
	assert.Equal(t, "000001", n.TraceNo)
	assert.Equal(t, "0601080000", n.TraceTime)
	assert.Equal(t, "00", n.RespCode)
	assert.Equal(t, "成功[0000000]", n.RespMsg)
	assert.Equal(t, "00", n.OrigRespCode)
	assert.Equal(t, "成功", n.OrigRespMsg)
	assert.Equal(t, "{cart=42&note=a b}", n.ReqReserved)
	assert.Equal(t, "6216***********0018", n.AccNo)
	assert.Equal(t, "ORDER0001@20260601080000", n.Key())
	assert.Equal(t, n.Key(), notify.KeyOf(n.OrderID, n.TxnTime))
	assert.Equal(t, n.Key(), notify.KeyOf("ORDER0001", n.TxnTime.UTC().Add(900*time.Millisecond)),
		"any zone, to the second")
	require.NotNil(t, n.Signed)
	assert.Equal(t, cert.CertID(p.leaf.cert), n.Signed.CertID)
	assert.Equal(t, sign.Version510, n.Signed.Version)

	s := n.String()
	assert.Contains(t, s, "ORDER0001")
	assert.Contains(t, s, "succeeded")
	assert.NotContains(t, s, "0018")
	// However it is printed or logged, by pointer or by value: no card number.
	var logged bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logged, logtest.Untimed()))
	log.Info("n", "ptr", n, "val", *n)
	for _, out := range []string{fmt.Sprint(n), fmt.Sprint(*n), fmt.Sprintf("%+v", *n), fmt.Sprintf("%#v", n), fmt.Sprintf("%#v", *n), logged.String()} {
		assert.Contains(t, out, "ORDER0001")
		assert.NotContains(t, out, "6216***********0018")
	}
}

// TestParseBadFields: a verified message whose typed fields cannot be read
// is rejected with a *FieldError (a malformed message), not half-decoded.
func TestParseBadFields(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	tests := []struct{ field, value string }{
		{"txnAmt", "10.00"},
		{"txnAmt", "-1"},
		{"txnAmt", "99999999999999999999"},
		{"settleAmt", "1e3"},
		{"txnTime", "2026-06-01 08:00:00"},
		{"txnTime", "20261301080000"},
		{"txnTime", "20260601080000.5"},
		{"txnTime", "20260601080000,123456789"},
		{"orderId", ""},
		{"txnTime", ""},
		{"txnType", ""},
		{"respCode", ""},
	}
	for _, tt := range tests {
		t.Run(tt.field+"="+tt.value, func(t *testing.T) {
			t.Parallel()
			f := consumeFields("BAD0001")
			if tt.value == "" {
				delete(f, tt.field)
			} else {
				f[tt.field] = tt.value
			}
			_, err := notify.Parse(v, []byte(encode(t, signWith(t, p.leaf, f))))
			require.Error(t, err)
			assert.ErrorIs(t, err, sign.ErrMalformed)
			fe, ok := errors.AsType[*notify.FieldError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tt.field, fe.Field)
		})
	}
}

func TestVerifyAndVerifyValues(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	signed := signWith(t, p.leaf, consumeFields("VALUES0001"))

	n, err := notify.Verify(v, signed)
	require.NoError(t, err)
	signed["orderId"] = "CHANGED"
	assert.Equal(t, "VALUES0001", n.Raw["orderId"], "Raw must be a copy of the fields")
	signed["orderId"] = "VALUES0001"

	form, err := url.ParseQuery(encode(t, signed))
	require.NoError(t, err)
	form.Set("empty", "")
	n, err = notify.VerifyValues(v, form)
	require.NoError(t, err)
	assert.Equal(t, "VALUES0001", n.OrderID)
	assert.NotContains(t, n.Raw, "empty")

	form.Add("respCode", "00")
	_, err = notify.VerifyValues(v, form)
	assert.ErrorIs(t, err, sign.ErrMalformed)

	_, err = notify.VerifyValues(v, url.Values{})
	assert.ErrorIs(t, err, sign.ErrMalformed)
	_, err = notify.Verify(nil, signed)
	assert.Error(t, err)
}

func TestDecryptAccNo(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	d, err := cert.NewDecrypter(key)
	require.NoError(t, err)
	//lint:ignore SA1019 UnionPay encrypts accNo with RSA PKCS #1 v1.5.
	ct, err := rsa.EncryptPKCS1v15(rand.Reader, &key.PublicKey, []byte("6216***********0018"))
	require.NoError(t, err)
	encrypted := base64.StdEncoding.EncodeToString(ct)

	tests := []struct {
		name  string
		accNo string
		d     *cert.Decrypter
		want  string
		isErr error
		err   bool
	}{
		{name: "encrypted", accNo: encrypted, d: d, want: "6216***********0018"},
		{name: "already masked", accNo: "6216***********0018", want: "6216***********0018"},
		{name: "absent", isErr: notify.ErrNoAccNo, err: true},
		{name: "encrypted without decrypter", accNo: encrypted, err: true},
		{name: "not ciphertext", accNo: "bm90IGNpcGhlcnRleHQ=", d: d, err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := &notify.Notification{AccNo: tt.accNo}
			got, err := n.DecryptAccNo(tt.d)
			if tt.err {
				require.Error(t, err)
				if tt.isErr != nil {
					assert.ErrorIs(t, err, tt.isErr)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestMaskPAN: six stars whatever the length, as UnionPay's settlement files mask (622609******0048)
// and as this module masks requests: a 19-digit card was 621626*********0018 here and
// 621626******0018 in a request's log line.
func TestMaskPAN(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"6216261000000000018", "621626******0018"},
		{"6221558812340000", "622155******0000"},
		{"62215588123", "******8123"},
		{"621626100000001", "******0001"},
		{"６２１６２６１００００００００００１８", "***"}, // not ASCII: hidden whole, valid UTF-8
		{"张三李四王五赵六孙七周八吴九郑十", "***"},
		{"1234567890", "***"}, // ten or fewer: neither digits nor length told
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, notify.MaskPAN(tt.in), tt.in)
	}
}

// TestParseGBK: a notification in GBK (percent-encoded GBK bytes, signed
// over the GBK string) verifies and decodes to UTF-8.
func TestParseGBK(t *testing.T) {
	t.Parallel()
	p := testPKI()
	f := consumeFields("GBK0001")
	f["encoding"] = "GBK"
	body := encode(t, signWith(t, p.leaf, f))
	assert.Contains(t, body, "respMsg=%B3%C9%B9%A6", "成功 in GBK")

	n, err := notify.Parse(p.verifier(t), []byte(body))
	require.NoError(t, err)
	assert.Equal(t, "成功[0000000]", n.RespMsg)
	assert.Equal(t, notify.Succeeded, n.Status())

	// The same body through url.ParseQuery (r.PostForm) holds GBK bytes: VerifyValues decodes them.
	// Found in the fourth session's review: it encoded them to GBK a second time and refused.
	form, err := url.ParseQuery(body)
	require.NoError(t, err)
	n, err = notify.VerifyValues(p.verifier(t), form)
	require.NoError(t, err)
	assert.Equal(t, "成功[0000000]", n.RespMsg)
}

// TestConfiguredMethods: 5.0.0 and secure-key notifications verify when,
// and only when, the Verifier is configured for them.
func TestConfiguredMethods(t *testing.T) {
	t.Parallel()
	p := testPKI()
	key := []byte("88888888")
	legacy, err := sign.NewRSASigner(p.leaf.key, cert.CertID(p.leaf.cert))
	require.NoError(t, err)
	secure, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, key)
	require.NoError(t, err)
	all, err := cert.NewVerifier(cert.VerifierConfig{
		Root: p.root.cert, Middle: p.middle.cert, Now: func() time.Time { return testNow },
		LegacyCerts: []*x509.Certificate{p.leaf.cert}, SecureKey: key,
	})
	require.NoError(t, err)

	for name, s := range map[string]sign.Signer{"5.0.0 by certId": legacy, "secure key 11": secure} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := consumeFields("METHOD0001")
			if s == legacy {
				f["version"] = sign.Version500
			}
			require.NoError(t, sign.Sign(s, f))
			body := []byte(encode(t, f))

			n, err := notify.Parse(all, body)
			require.NoError(t, err)
			assert.Equal(t, s.Method(), n.Signed.Method)
			assert.Equal(t, f["version"], n.Signed.Version)

			_, err = notify.Parse(p.verifier(t), body)
			assert.ErrorIs(t, err, cert.ErrMethod)
		})
	}
}

// TestAuditNotificationRendersNoCardData: a Notification with a clear accNo, a customerInfo, a
// cardTransData (track-2 data) and a reserved holding a payee's name printed or logged every way.
func TestAuditNotificationRendersNoCardData(t *testing.T) {
	t.Parallel()
	const track2, payee = "6216261000000000018D33092010000012345", "某某科技有限公司"
	p := testPKI()
	f := consumeFields("ORDER20260601")
	f["accNo"], f["customerInfo"] = auditPAN, "e3Bob25lTm89MTM1NTI1MzU1MDZ9"
	f["cardTransData"], f["reserved"] = "{track2Data="+track2+"}", "{comDebitCardAccName="+payee+"}"
	v := p.verifier(t)
	n, err := notify.Verify(v, signWith(t, p.leaf, f))
	if err != nil {
		t.Fatal(err)
	}
	if leaks := leaktest.Find(*n, auditPAN, auditPhone, track2, payee); len(leaks) > 0 {
		t.Errorf("a Notification shows card data:\n%s", leaktest.Summary(leaks))
	}
}
