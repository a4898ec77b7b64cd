package notify_test

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestConcAuditVerifierCacheEvictionParallel: one Verifier with a one-entry certificate cache,
// three genuine signing certificates taking turns, verified from many goroutines at once
// (Verify, VerifyForm through Parse, ValidateCertificate) under -race: every message verifies.
func TestConcAuditVerifierCacheEvictionParallel(t *testing.T) {
	p := testPKI()
	valid := [2]time.Time{testNow.AddDate(-1, 0, 0), testNow.AddDate(4, 0, 0)}
	leaves := []issued{p.leaf, issue(99000000001, leafTemplate(unionPayCN, valid), &p.middle),
		issue(99000000002, leafTemplate(unionPayCN, valid), &p.middle)}
	v, err := cert.NewVerifier(cert.VerifierConfig{Root: p.root.cert, Middle: p.middle.cert, CacheSize: 1,
		Now: func() time.Time { return testNow }})
	require.NoError(t, err)
	var fields []sign.Fields
	var bodies []string
	for i, l := range leaves {
		f := signWith(t, l, consumeFields(fmt.Sprintf("CACHE%08d", i)))
		fields = append(fields, f)
		bodies = append(bodies, encode(t, f))
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (w + i) % len(leaves)
				switch i % 3 {
				case 0:
					_, err := v.Verify(fields[k])
					assert.NoError(t, err)
				case 1:
					n, err := notify.Parse(v, []byte(bodies[k]))
					if assert.NoError(t, err) {
						assert.Equal(t, fmt.Sprintf("CACHE%08d", k), n.OrderID)
					}
				case 2:
					assert.NoError(t, v.ValidateCertificate(leaves[k].cert))
				}
			}
		})
	}
	wg.Wait()
}

// TestSecTrialSecureKeyFormReflected: a merchant on signMethod 11 signs its front forms with the
// same key its Verifier checks notifications with, and the shopper sees the form. Posted to
// backUrl, the form must not pass for a notification.
func TestSecTrialSecureKeyFormReflected(t *testing.T) {
	t.Parallel()
	key := []byte("88888888")
	signer, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, key)
	require.NoError(t, err)
	v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: key, SecureKeyMethods: []string{sign.MethodSHA256Key}})
	require.NoError(t, err)
	now := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	c, err := unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: signer, Verifier: v,
		Endpoints: unionpay.TestEndpoints(), Now: func() time.Time { return now }})
	require.NoError(t, err)
	form, err := c.FrontConsume(&unionpay.ConsumeRequest{OrderID: "REFLECT0001", Amount: 100000,
		FrontURL: "https://shop.example/return", BackURL: "https://shop.example/notify",
		Extra: sign.Fields{}})
	require.NoError(t, err)
	b, err := sign.Encode(form.Fields)
	require.NoError(t, err)
	n, err := notify.Parse(v, []byte(b))
	require.Error(t, err, "the merchant's own form read as a notification: %v", n)
	var fe *notify.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "respCode", fe.Field)
}

// FuzzDecodeSigned reaches the notification decoder behind the signature check, which
// FuzzHandler's inputs (checked against UnionPay's certificates) almost never pass: the fuzz
// input, read as a raw-format message, is signed with a secure key and given to notify.Verify.
// A notification accepted has its orderId, a txnTime of 14 digits that formats back to itself,
// amounts of digits only that format back to themselves (leading zeros aside), and the Key of
// its orderId and txnTime; a refusal returns no notification, and a *FieldError matches sign.ErrMalformed.
func FuzzDecodeSigned(f *testing.F) {
	f.Add("orderId=A1&txnTime=20240105103000&txnType=01&respCode=00&txnAmt=100")
	f.Add("orderId=A1&txnTime=2024010510300&txnType=01&respCode=00&txnAmt=+100")
	f.Add("orderId=A1&txnTime=20240105103000&txnType=01&respCode=00&settleAmt=&accNo=x")
	f.Add("orderId=A1&txnTime=20241305103000&txnType=01&respCode=00&txnAmt=99999999999999999999")
	f.Add("orderId=A1&txnTime=00000101000000&txnType=01&respCode=00") // found by the first run: LMT before 1901
	v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("88888888"), SecureKeyMethods: []string{sign.MethodSHA256Key}})
	if err != nil {
		f.Fatal(err)
	}
	s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("88888888"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		fields, err := sign.ParseRaw(raw)
		if err != nil {
			return
		}
		fields["version"], fields["encoding"] = sign.Version510, sign.CharsetUTF8
		if sign.Sign(s, fields) != nil {
			return
		}
		n, err := notify.Verify(v, fields)
		if err != nil {
			var fe *notify.FieldError
			if n != nil || errors.As(err, &fe) && !errors.Is(err, sign.ErrMalformed) {
				t.Fatalf("Verify: %v (%T), notification %v", err, err, n)
			}
			return
		}
		if n.OrderID != fields["orderId"] || n.OrderID == "" || n.Key() != fields["orderId"]+"@"+fields["txnTime"] {
			t.Fatalf("orderId %q, key %q from %q", n.OrderID, n.Key(), fields)
		}
		if got := n.TxnTime.Format("20060102150405"); got != fields["txnTime"] || n.TxnTime.Location().String() != "Asia/Shanghai" && n.TxnTime.Location().String() != "CST" {
			t.Fatalf("txnTime %q read as %v (%s)", fields["txnTime"], n.TxnTime, got)
		}
		for k, a := range map[string]int64{"txnAmt": n.TxnAmt, "settleAmt": n.SettleAmt} {
			rawAmt, ok := fields[k]
			if !ok {
				if a != 0 {
					t.Fatalf("%s absent, read as %d", k, a)
				}
				continue
			}
			trimmed := strings.TrimLeft(rawAmt, "0")
			if trimmed == "" {
				trimmed = "0"
			}
			if a < 0 || strconv.FormatInt(a, 10) != trimmed {
				t.Fatalf("%s=%q read as %d", k, rawAmt, a)
			}
		}
	})
}

// TestVerifyRefusesEmptyAmount: Verify takes fields as given; an amount
// that is present but empty is not a number of fen and is refused, never
// read as 0 fen. An absent settleAmt is 0.
func TestVerifyRefusesEmptyAmount(t *testing.T) {
	t.Parallel()
	p := testPKI()
	v := p.verifier(t)
	for _, tc := range []struct {
		name    string
		edit    func(sign.Fields)
		field   string // "" = no error
		txnAmt  int64
		settled int64
	}{
		{"amounts given", func(f sign.Fields) { f["settleAmt"] = "1000" }, "", 1000, 1000},
		{"settleAmt absent", func(f sign.Fields) { delete(f, "settleAmt") }, "", 1000, 0},
		{"txnAmt empty", func(f sign.Fields) { f["txnAmt"] = "" }, "txnAmt", 0, 0},
		{"settleAmt empty", func(f sign.Fields) { f["settleAmt"] = "" }, "settleAmt", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := consumeFields("EMPTY001")
			f["txnAmt"] = "1000"
			tc.edit(f)
			n, err := notify.Verify(v, signWith(t, p.leaf, f))
			if tc.field == "" {
				require.NoError(t, err)
				require.Equal(t, tc.txnAmt, n.TxnAmt)
				require.Equal(t, tc.settled, n.SettleAmt)
				return
			}
			require.ErrorIs(t, err, sign.ErrMalformed)
			var fe *notify.FieldError
			require.True(t, errors.As(err, &fe), "%v", err)
			require.Equal(t, tc.field, fe.Field)
			require.Contains(t, fe.Msg, "empty", "the error says what is wrong, not \"out of range\"")
			require.Nil(t, n)
		})
	}
}

// TestReview15VerifyValuesCharsetErrorBounded: the charset failure of VerifyValues is a
// *sign.ParseError matching sign.ErrCharset too (CHANGELOG), and names the sender's key cut short,
// as the repeated-key error does (a 100 000-byte key otherwise fills the log line).
func TestReview15VerifyValuesCharsetErrorBounded(t *testing.T) {
	v := testPKI().verifier(t)
	_, err := notify.VerifyValues(v, url.Values{"encoding": {"GBK"}, strings.Repeat("k", 100000): {"\xff\xff"}})
	require.Error(t, err)
	assert.ErrorIs(t, err, sign.ErrMalformed)
	assert.ErrorIs(t, err, sign.ErrCharset)
	var pe *sign.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Less(t, len(pe.Field), 100, "ParseError.Field holds the sender's whole key")
	assert.Less(t, len(err.Error()), 1000, "the error carries the sender's whole key")
}

// TestReview15VerifyValuesUnsupportedEncoding: a notification whose encoding this package does
// not know (GB18030, a plausible proxy's rewrite) is refused by Parse naming the field encoding
// and its value. VerifyValues (said to report it "as Parse does") names instead whichever other
// field the map iteration reached first, as "value not in the message charset", and drops the
// charset's name: an operator is sent looking at a value that is fine.
func TestReview15VerifyValuesUnsupportedEncoding(t *testing.T) {
	v := testPKI().verifier(t)
	body := "encoding=GB18030&orderId=ORDER0001&txnAmt=100&txnTime=20240105103000"
	_, perr := notify.Parse(v, []byte(body))
	var want *sign.ParseError
	require.True(t, errors.As(perr, &want), "%v", perr)
	require.Equal(t, "encoding", want.Field)

	form, err := url.ParseQuery(body)
	require.NoError(t, err)
	for range 20 { // map order varies
		_, err = notify.VerifyValues(v, form)
		require.ErrorIs(t, err, sign.ErrCharset)
		var pe *sign.ParseError
		require.ErrorAs(t, err, &pe)
		require.Equal(t, "encoding", pe.Field, "VerifyValues: %v (Parse: %v)", err, perr)
		require.Contains(t, err.Error(), "GB18030")
	}
}

// TestSecTrialVerifyValuesErrorQuotesKey: anyone posting to backUrl chooses the form's keys.
// VerifyValues names a repeated key, or one whose value is not GBK, in its error; written
// unquoted, a key holding a line break forges log lines in any log that prints the error as
// text (log.Printf("%v", err)), as a certificate's common name could before cert quoted it.
// The key must be quoted (and bounded) like every other piece of a rejected message the SDK
// puts in an error.
func TestSecTrialVerifyValuesErrorQuotesKey(t *testing.T) {
	t.Parallel()
	v := testPKI().verifier(t)
	forged := "x\n2026/11/27 10:00:00 INFO notify: notification accepted orderId=VICTIM0001 status=succeeded"
	for name, form := range map[string]url.Values{
		"repeated key":               {forged: {"1", "2"}, "orderId": {"ATTACK0001"}},
		"key whose value is not GBK": {"encoding": {"GBK"}, forged: {"\xff\xff"}},
		"long repeated key":          {strings.Repeat("k", 100000): {"1", "2"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := notify.VerifyValues(v, form)
			require.Error(t, err)
			assert.ErrorIs(t, err, sign.ErrMalformed)
			msg := err.Error()
			assert.NotContains(t, msg, "\n", "the error carries the sender's line break: a forged log line")
			assert.Less(t, len(msg), 1000, "the error carries the sender's whole key")
		})
	}
}
