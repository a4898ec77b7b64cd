package unionpay_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// sm2Party is a generated SM2 key and certificate of the stand-in gateway.
type sm2Party struct {
	key  *sm2.PrivateKey
	cert *x509.Certificate
}

var sm2Clock = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func newSM2Party(t *testing.T, serial int64, cn string, usage x509.KeyUsage, parent *sm2Party) *sm2Party {
	t.Helper()
	key, err := sm2.GenerateKey(rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
		NotBefore: sm2Clock.AddDate(-1, 0, 0), NotAfter: sm2Clock.AddDate(1, 0, 0),
		BasicConstraintsValid: true, IsCA: parent == nil || usage&x509.KeyUsageCertSign != 0, KeyUsage: usage,
	}
	parentCert, parentKey := tmpl, key
	if parent != nil {
		parentCert, parentKey = parent.cert, parent.key
	}
	der, err := smx509.CreateCertificate(rand.Reader, tmpl, parentCert, &key.PublicKey, parentKey)
	require.NoError(t, err)
	c, err := cert.ParseCertificate(der)
	require.NoError(t, err)
	return &sm2Party{key: key, cert: c}
}

// sm2Gateway stands in for UnionPay in 国密 mode: it checks that requests
// are signed with signMethod 21 by the merchant's SM2 certificate, decrypts
// the card number with its SM2 encryption key, and answers signed with its
// SM2 signing certificate.
type sm2Gateway struct {
	t               *testing.T
	merchant        *x509.Certificate
	root, middle    *sm2Party
	signing, enc    *sm2Party
	mu              sync.Mutex
	pans, customers []string
}

func (g *sm2Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req, err := sign.ParseRequestForm(string(body))
	if !assert.NoError(g.t, err) {
		return
	}
	canonical, err := sign.Canonical(req)
	if !assert.NoError(g.t, err) {
		return
	}
	assert.Equal(g.t, "21", req["signMethod"])
	assert.Equal(g.t, cert.CertID(g.merchant), req["certId"])
	assert.NoError(g.t, sign.VerifySM2(g.merchant.PublicKey.(*ecdsa.PublicKey), req["certId"], canonical, req["signature"]),
		"request signature")
	if req["accNo"] != "" {
		assert.Equal(g.t, cert.CertID(g.enc.cert), req["encryptCertId"])
		d, err := cert.NewDecrypter(g.enc.key)
		if !assert.NoError(g.t, err) {
			return
		}
		pan, err := d.Decrypt(req["accNo"])
		assert.NoError(g.t, err, "accNo")
		pairs, err := cert.ParseCustomerInfo(req["customerInfo"], d)
		assert.NoError(g.t, err, "customerInfo")
		g.mu.Lock()
		g.pans = append(g.pans, pan)
		for _, p := range pairs {
			g.customers = append(g.customers, p.Key+"="+p.Value)
		}
		g.mu.Unlock()
	}

	resp := sign.Fields{"respCode": "00", "respMsg": "成功[0000000]", "queryId": "762611252030001234567",
		"signPubKeyCert": strings.ReplaceAll(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: g.signing.cert.Raw})), "\n", "\r\n")}
	for _, k := range []string{"version", "encoding", "bizType", "txnType", "txnSubType", "accessType", "merId", "orderId", "txnTime", "txnAmt"} {
		resp[k] = req[k]
	}
	signer, err := sign.NewSM2Signer(g.signing.key, cert.CertID(g.signing.cert))
	if !assert.NoError(g.t, err) {
		return
	}
	if !assert.NoError(g.t, sign.Sign(signer, resp)) {
		return
	}
	keys := make([]string, 0, len(resp))
	for k := range resp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + resp[k])
	}
	_, _ = io.WriteString(w, b.String())
}

// A merchant configured for SM2 signs its requests with signMethod 21,
// encrypts card data with UnionPay's SM2 encryption certificate, and
// verifies SM2-signed answers; a client not configured for SM2 refuses them.
func TestClientSM2(t *testing.T) {
	t.Parallel()
	merchant, err := cert.LoadSM2File("../testdata/sm2/cfca_test.sm2", "cfca1234")
	require.NoError(t, err)
	root := newSM2Party(t, 1, "SM2 Root", x509.KeyUsageCertSign, nil)
	middle := newSM2Party(t, 2, "SM2 Middle", x509.KeyUsageCertSign, root)
	g := &sm2Gateway{t: t, merchant: merchant.Certificate, root: root, middle: middle,
		signing: newSM2Party(t, 70000000001, "041@8310000000083040@中国银联股份有限公司@00016495", x509.KeyUsageDigitalSignature, middle),
		enc:     newSM2Party(t, 70000000002, "041@8310000000083040@中国银联股份有限公司@00016496", x509.KeyUsageKeyEncipherment, middle),
	}
	srv := httptest.NewServer(g)
	defer srv.Close()

	signer, err := merchant.Signer()
	require.NoError(t, err)
	enc, err := cert.NewEncrypter(g.enc.cert)
	require.NoError(t, err)
	sm2Verifier, err := cert.NewVerifier(cert.VerifierConfig{SM2Root: root.cert, SM2Middle: middle.cert,
		Now: func() time.Time { return sm2Clock }})
	require.NoError(t, err)
	keyVerifier, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("88888888")})
	require.NoError(t, err)
	newClient := func(v *cert.Verifier) *unionpay.Client {
		c, err := unionpay.NewClient(unionpay.Config{
			MerchantID: "777290058110048", Signer: signer, Verifier: v, Encrypter: enc,
			Endpoints:  unionpay.Endpoints{Front: srv.URL + "/front", Back: srv.URL + "/back", Query: srv.URL + "/query"},
			HTTPClient: srv.Client(), Now: func() time.Time { return sm2Clock },
		})
		require.NoError(t, err)
		return c
	}

	res, err := newClient(sm2Verifier).BackConsume(context.Background(), &unionpay.CardRequest{
		OrderID: "20261125203000001", Amount: 1000, BackURL: "https://shop.example.com/notify",
		AccNo: "6216261000000000018", Customer: &unionpay.Customer{Phone: "13552535506", SMSCode: "111111", CVN2: "123", Expiry: "2311"},
	})
	require.NoError(t, err)
	assert.Equal(t, "00", res.RespCode)
	assert.Equal(t, "21", res.Raw["signMethod"])
	assert.Equal(t, []string{"6216261000000000018"}, g.pans)
	assert.Contains(t, g.customers, "phoneNo=13552535506")
	assert.Contains(t, g.customers, "cvn2=123")

	// A Verifier that cannot verify SM2 answers is refused up front: every answer would fail
	// verification, after the money moved.
	_, err = unionpay.NewClient(unionpay.Config{
		MerchantID: "777290058110048", Signer: signer, Verifier: keyVerifier, Encrypter: enc,
		Endpoints: unionpay.Endpoints{Front: srv.URL + "/front", Back: srv.URL + "/back", Query: srv.URL + "/query"},
	})
	var ce *unionpay.ConfigError
	require.True(t, errors.As(err, &ce), "%v", err)
	assert.Equal(t, "Config.Verifier", ce.Field)
	assert.Contains(t, ce.Reason, "signMethod \"21\"")
}
