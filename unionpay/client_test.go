package unionpay_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// certlessSigner hides its signer's certId.
type certlessSigner struct{ sign.Signer }

func (certlessSigner) CertID() string { return "" }

func TestNewClientValidation(t *testing.T) {
	t.Parallel()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	pfxSigner, err := loadPFX(t).Signer()
	require.NoError(t, err)
	// A secure key of UnionPay's issuing: the public test key is refused with production endpoints.
	issuedSigner, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte("k3Y-issued-by-UnionPay"))
	require.NoError(t, err)
	issued, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("k3Y-issued-by-UnionPay")})
	require.NoError(t, err)
	tests := []struct {
		name  string
		edit  func(*unionpay.Config)
		field string // "" = valid
	}{
		{"valid", func(*unionpay.Config) {}, ""},
		{"production endpoints", func(c *unionpay.Config) {
			// No Encrypter: testConfig's is the test environment's, refused with production endpoints.
			c.Endpoints, c.Signer, c.Verifier, c.Encrypter = unionpay.ProductionEndpoints(), issuedSigner, issued, nil
		}, ""},
		{"test endpoints", func(c *unionpay.Config) { c.Endpoints = unionpay.TestEndpoints() }, ""},
		{"GBK", func(c *unionpay.Config) { c.Encoding = "gbk" }, ""},
		{"5.0.0", func(c *unionpay.Config) { c.Version = "5.0.0" }, ""},
		{"acquirer", func(c *unionpay.Config) { c.AccessType, c.AcquirerCode = unionpay.AccessAcquirer, "48021000" }, ""},
		{"platform", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S1", Name: "店", Abbr: "店"}
		}, ""},
		{"platform at the file's widths", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "898111111111111", Name: "店",
				Abbr: strings.Repeat("店", 16)}
		}, ""},
		// The ZM file gives subMerId 15 bytes and subMerAbbr 32 (GBK), acqInsCode 11 (n11).
		{"sub ID of 16", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "8981111111111112", Name: "店", Abbr: "店"}
		}, "Config.SubMerchant.ID"},
		{"sub ID with dash", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S-1", Name: "店", Abbr: "店"}
		}, "Config.SubMerchant.ID"},
		{"abbr of 17 Chinese", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S1", Name: "店",
				Abbr: strings.Repeat("店", 17)}
		}, "Config.SubMerchant.Abbr"},
		{"abbr of 33 ASCII", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S1", Name: "店",
				Abbr: strings.Repeat("a", 33)}
		}, "Config.SubMerchant.Abbr"},
		{"acquirer code of 11", func(c *unionpay.Config) { c.AccessType, c.AcquirerCode = unionpay.AccessAcquirer, "48021000000" }, ""},
		{"acquirer code of 12", func(c *unionpay.Config) { c.AccessType, c.AcquirerCode = unionpay.AccessAcquirer, "480210000000" }, "Config.AcquirerCode"},
		{"acquirer code with letters", func(c *unionpay.Config) { c.AccessType, c.AcquirerCode = unionpay.AccessAcquirer, "4802A000" }, "Config.AcquirerCode"},
		{"no merchant", func(c *unionpay.Config) { c.MerchantID = "" }, "Config.MerchantID"},
		{"short merchant", func(c *unionpay.Config) { c.MerchantID = "7772900581" }, "Config.MerchantID"},
		{"merchant with dash", func(c *unionpay.Config) { c.MerchantID = "777290058-10048" }, "Config.MerchantID"},
		{"bad access type", func(c *unionpay.Config) { c.AccessType = "9" }, "Config.AccessType"},
		{"acquirer without code", func(c *unionpay.Config) { c.AccessType = unionpay.AccessAcquirer }, "Config.AcquirerCode"},
		{"code without acquirer", func(c *unionpay.Config) { c.AcquirerCode = "48021000" }, "Config.AcquirerCode"},
		{"platform without sub", func(c *unionpay.Config) { c.AccessType = unionpay.AccessPlatform }, "Config.SubMerchant"},
		// A missing field is named, not the three of them.
		{"platform without sub ID", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{Name: "店", Abbr: "店"}
		}, "Config.SubMerchant.ID"},
		{"platform with blank sub name", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S1", Name: " ", Abbr: "店"}
		}, "Config.SubMerchant.Name"},
		{"platform without sub abbr", func(c *unionpay.Config) {
			c.AccessType, c.SubMerchant = unionpay.AccessPlatform, unionpay.SubMerchant{ID: "S1", Name: "店"}
		}, "Config.SubMerchant.Abbr"},
		{"sub without platform", func(c *unionpay.Config) { c.SubMerchant.ID = "S1" }, "Config.SubMerchant"},
		{"bad version", func(c *unionpay.Config) { c.Version = "6.0.0" }, "Config.Version"},
		{"bad encoding", func(c *unionpay.Config) { c.Encoding = "ISO-8859-1" }, "Config.Encoding"},
		{"no signer", func(c *unionpay.Config) { c.Signer = nil }, "Config.Signer"},
		{"no verifier", func(c *unionpay.Config) { c.Verifier = nil }, "Config.Verifier"},
		// What `signer, _ := pfx.Signer()` leaves after an error: a nil pointer in the interface.
		{"nil signer pointer", func(c *unionpay.Config) { c.Signer = (*sign.RSASigner)(nil) }, "Config.Signer"},
		{"zero signer", func(c *unionpay.Config) { c.Signer = &sign.RSASigner{} }, "Config.Signer"},
		{"signer without certId", func(c *unionpay.Config) { c.Signer = certlessSigner{pfxSigner} }, "Config.Signer"},
		{"certificate signer", func(c *unionpay.Config) { c.Signer = pfxSigner }, ""},
		{"zero encrypter", func(c *unionpay.Config) { c.Encrypter = &cert.Encrypter{} }, "Config.Encrypter"},
		{"zero verifier", func(c *unionpay.Config) { c.Verifier = &cert.Verifier{} }, "Config.Verifier"},
		{"zero decrypter", func(c *unionpay.Config) { c.Decrypter = &cert.Decrypter{} }, "Config.Decrypter"},
		{"no back endpoint", func(c *unionpay.Config) { c.Endpoints.Back = "" }, "Config.Endpoints.Back"},
		{"relative endpoint", func(c *unionpay.Config) { c.Endpoints.Query = "/queryTrans.do" }, "Config.Endpoints.Query"},
		{"plain http remote", func(c *unionpay.Config) { c.Endpoints.Front = "http://gateway.95516.com/x" }, "Config.Endpoints.Front"},
		{"ftp batch", func(c *unionpay.Config) { c.Endpoints.Batch = "ftp://127.0.0.1/" }, "Config.Endpoints.Batch"},
		{"cookie jar", func(c *unionpay.Config) { c.HTTPClient = &http.Client{Jar: jar} }, "Config.HTTPClient"},
		{"insecure TLS", func(c *unionpay.Config) {
			c.HTTPClient = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
		}, "Config.HTTPClient"},
		{"negative response limit", func(c *unionpay.Config) { c.MaxResponseBytes = -1 }, "Config.MaxResponseBytes"},
		{"negative file limit", func(c *unionpay.Config) { c.MaxFileBytes = -1 }, "Config.MaxFileBytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(t, "http://127.0.0.1:1")
			tt.edit(&cfg)
			c, err := unionpay.NewClient(cfg)
			if tt.field == "" {
				require.NoError(t, err)
				assert.Equal(t, testMerID, c.MerchantID())
				return
			}
			var ce *unionpay.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.field, ce.Field)
			assert.Contains(t, err.Error(), "unionpay: "+tt.field)
			assert.Nil(t, c)
		})
	}
}

func TestEndpointsPresets(t *testing.T) {
	t.Parallel()
	p, s := unionpay.ProductionEndpoints(), unionpay.TestEndpoints()
	assert.Equal(t, "https://gateway.95516.com/gateway/api/backTransReq.do", p.Back)
	assert.Equal(t, "https://gateway.test.95516.com/gateway/api/queryTrans.do", s.Query)
	assert.Equal(t, "https://filedownload.95516.com/", p.File)
	assert.Equal(t, "https://filedownload.test.95516.com/", s.File)
}

func TestNewClientDoesNotTouchGivenHTTPClient(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	cfg := testConfig(t, "http://127.0.0.1:1")
	cfg.HTTPClient = hc
	_, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	assert.Nil(t, hc.Transport)
	assert.Nil(t, hc.CheckRedirect)
}

// TestTLSVerificationIsOn: the default client refuses a gateway whose certificate it does not
// trust, and the request counts as not sent.
func TestTLSVerificationIsOn(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		t.Error("the request must not get through")
	}))
	defer srv.Close()
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	c, err := unionpay.NewClient(testConfig(t, srv.URL))
	require.NoError(t, err)
	_, err = c.Refund(context.Background(), followUp())
	var ue x509.UnknownAuthorityError
	require.ErrorAs(t, err, &ue)
	assert.NotErrorIs(t, err, unionpay.ErrPending)
}

// TestZeroClient: a Client not made by NewClient sends nothing and panics nowhere: its methods
// return a *ConfigError naming Client.
func TestZeroClient(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var c unionpay.Client
	query := &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}
	batch := &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001", Records: batchRecords()}
	tests := []struct {
		name string
		do   func() error
	}{
		{"FrontConsume", func() error { _, err := c.FrontConsume(consumeReq()); return err }},
		{"FrontPreAuth", func() error { _, err := c.FrontPreAuth(consumeReq()); return err }},
		{"FrontConsumeB2B", func() error { _, err := c.FrontConsumeB2B(consumeReq()); return err }},
		{"AppConsume", func() error { _, err := c.AppConsume(ctx, consumeReq()); return err }},
		{"AppPreAuth", func() error { _, err := c.AppPreAuth(ctx, consumeReq()); return err }},
		{"Refund", func() error { _, err := c.Refund(ctx, followUp()); return err }},
		{"Refund with TxnTime", func() error {
			r := followUp()
			r.TxnTime = testNow
			_, err := c.Refund(ctx, r)
			return err
		}},
		{"CancelConsume", func() error { _, err := c.CancelConsume(ctx, followUp()); return err }},
		{"Payout", func() error { _, err := c.Payout(ctx, cardReq()); return err }},
		{"Collect", func() error { _, err := c.Collect(ctx, cardReq()); return err }},
		{"RealNameAuth", func() error { _, err := c.RealNameAuth(ctx, accountReq()); return err }},
		{"Query", func() error { _, err := c.Query(ctx, query); return err }},
		{"Query by queryId", func() error {
			_, err := c.Query(ctx, &unionpay.QueryRequest{QueryID: "782401051030000000011"})
			return err
		}},
		{"QueryUntilFinal back", func() error { _, err := c.QueryUntilFinal(ctx, query, unionpay.BackBackoff()); return err }},
		{"QueryUntilFinal front", func() error { _, err := c.QueryUntilFinal(ctx, query, unionpay.FrontBackoff()); return err }},
		{"DownloadFile", func() error {
			_, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: testNow})
			return err
		}},
		{"DownloadFileTo", func() error {
			_, err := c.DownloadFileTo(ctx, &unionpay.FileRequest{SettleDate: testNow}, io.Discard)
			return err
		}},
		{"SubmitBatch", func() error { _, err := c.SubmitBatch(ctx, batch); return err }},
		{"QueryBatch", func() error {
			_, err := c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001", TxnTime: testNow})
			return err
		}},
		{"UpdateEncryptionCertificate", func() error { _, err := c.UpdateEncryptionCertificate(ctx); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var err error
			require.NotPanics(t, func() { err = tt.do() })
			var ce *unionpay.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "Client", ce.Field)
		})
	}
	assert.NotPanics(t, c.CloseIdleConnections)
	assert.Nil(t, c.Encrypter())
	_, err := c.DecryptAccNo(&unionpay.Transaction{AccNo: "x"})
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Client", ce.Field, "as every other method (it named Config.Decrypter)")
}

// TestNilContext: a nil ctx is a *RequestError naming ctx from every call that does I/O, money
// moving or not, never a pending outcome, and nothing is sent.
func TestNilContext(t *testing.T) {
	t.Parallel()
	g := newGateway(t, queryAnswer("00", "00"))
	c := newTestClient(t, g)
	var nilCtx context.Context
	query := &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow}
	calls := map[string]func() error{
		"refund":          func() error { _, err := c.Refund(nilCtx, followUp()); return err },
		"consume cancel":  func() error { _, err := c.CancelConsume(nilCtx, followUp()); return err },
		"completion":      func() error { _, err := c.CompletePreAuth(nilCtx, followUp()); return err },
		"pre-auth cancel": func() error { _, err := c.CancelPreAuth(nilCtx, followUp()); return err },
		"completion cancel": func() error {
			_, err := c.CancelPreAuthCompletion(nilCtx, followUp())
			return err
		},
		"back consume":   func() error { _, err := c.BackConsume(nilCtx, cardReq()); return err },
		"collection":     func() error { _, err := c.Collect(nilCtx, cardReq()); return err },
		"payout":         func() error { _, err := c.Payout(nilCtx, cardReq()); return err },
		"real-name auth": func() error { _, err := c.RealNameAuth(nilCtx, accountReq()); return err },
		"sms":            func() error { _, err := c.SendSMS(nilCtx, accountReq()); return err },
		"open card":      func() error { _, err := c.OpenCard(nilCtx, accountReq()); return err },
		"batch": func() error {
			_, err := c.SubmitBatch(nilCtx, &unionpay.BatchRequest{Type: unionpay.BatchPayout, BatchNo: "0001", Records: batchRecords()})
			return err
		},
		"batch query": func() error {
			_, err := c.QueryBatch(nilCtx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001", TxnTime: testNow})
			return err
		},
		"certificate update": func() error { _, err := c.UpdateEncryptionCertificate(nilCtx); return err },
		"file download": func() error {
			_, err := c.DownloadFile(nilCtx, &unionpay.FileRequest{SettleDate: testNow})
			return err
		},
		"file download to a writer": func() error {
			_, err := c.DownloadFileTo(nilCtx, &unionpay.FileRequest{SettleDate: testNow}, io.Discard)
			return err
		},
		"app consume":       func() error { _, err := c.AppConsume(nilCtx, consumeReq()); return err },
		"app pre-auth":      func() error { _, err := c.AppPreAuth(nilCtx, consumeReq()); return err },
		"query":             func() error { _, err := c.Query(nilCtx, query); return err },
		"query until final": func() error { _, err := c.QueryUntilFinal(nilCtx, query, unionpay.BackBackoff()); return err },
	}
	for name, call := range calls {
		var err error
		require.NotPanics(t, func() { err = call() }, name)
		var re *unionpay.RequestError
		require.ErrorAs(t, err, &re, name)
		assert.Equal(t, "ctx", re.Field, name)
		assert.NotErrorIs(t, err, unionpay.ErrPending, name)
		assert.Equal(t, "nil context", re.Reason, name)
		assert.True(t, strings.HasSuffix(err.Error(), ": ctx: nil context"), "%s: %v", name, err)
	}
	assert.Zero(t, g.count())
}

// TestNewClientVerifierAccepts: NewClient refuses a Verifier that cannot verify answers signed as
// the requests are (the Signer's signMethod, Config.Version): every call would otherwise fail
// verification after the money moved.
func TestNewClientVerifierAccepts(t *testing.T) {
	t.Parallel()
	root, middle := loadCert(t, "acp_test_root.cer"), loadCert(t, "acp_test_middle.cer")
	legacy := []*x509.Certificate{loadCert(t, "unipayCertPublicKey.cer")}
	pfxSigner, err := loadPFX(t).Signer()
	require.NoError(t, err)
	sha256Key, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte(testKey))
	require.NoError(t, err)
	sm3Key, err := sign.NewSecureKeySigner(sign.MethodSM3Key, []byte(testKey))
	require.NoError(t, err)
	tests := []struct {
		name    string
		signer  sign.Signer
		version string
		vc      cert.VerifierConfig
		ok      bool
	}{
		{"RSA 5.1.0, chain", pfxSigner, "", cert.VerifierConfig{Root: root, Middle: middle}, true},
		{"RSA 5.0.0, legacy", pfxSigner, sign.Version500, cert.VerifierConfig{LegacyCerts: legacy}, true},
		{"secure key 11, key", sha256Key, "", cert.VerifierConfig{SecureKey: []byte(testKey)}, true},
		{"secure key 11 with 5.0.0, key", sha256Key, sign.Version500, cert.VerifierConfig{SecureKey: []byte(testKey)}, true},
		{"secure key 11, chain only", sha256Key, "", cert.VerifierConfig{Root: root, Middle: middle}, false},
		{"secure key 12, key for 11 only", sm3Key, "",
			cert.VerifierConfig{SecureKey: []byte(testKey), SecureKeyMethods: []string{sign.MethodSHA256Key}}, false},
		{"RSA 5.0.0, chain only", pfxSigner, sign.Version500, cert.VerifierConfig{Root: root, Middle: middle}, false},
		{"RSA 5.1.0, legacy only", pfxSigner, sign.Version510, cert.VerifierConfig{LegacyCerts: legacy}, false},
		{"RSA 5.1.0, key only", pfxSigner, "", cert.VerifierConfig{SecureKey: []byte(testKey)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.vc.Now = func() time.Time { return testNow }
			v, err := cert.NewVerifier(tt.vc)
			require.NoError(t, err)
			cfg := testConfig(t, "https://gateway.test.95516.com")
			cfg.Signer, cfg.Version, cfg.Verifier = tt.signer, tt.version, v
			_, err = unionpay.NewClient(cfg)
			if tt.ok {
				require.NoError(t, err)
				return
			}
			var ce *unionpay.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, "Config.Verifier", ce.Field)
			assert.Contains(t, ce.Reason, "signMethod \""+tt.signer.Method()+"\"")
			assert.ErrorIs(t, err, cert.ErrMethod, "the Verifier's refusal is wrapped")
		})
	}
}

// TestNewClientConfigErrorWraps: a refusal by another package's check (the Signer's, the
// Verifier's, the Encrypter's, the Decrypter's) keeps that error in ConfigError.Err, so that
// errors.Is and errors.As see it whichever check fired; the package's own rules have no Err.
func TestNewClientConfigErrorWraps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*unionpay.Config)
		field string
		cause func() error // the check's own error; nil: none
		is    error        // errors.Is must hold, if not nil
	}{
		{"zero verifier", func(c *unionpay.Config) { c.Verifier = &cert.Verifier{} }, "Config.Verifier",
			func() error { return (&cert.Verifier{}).Check() }, cert.ErrMethod},
		{"zero signer", func(c *unionpay.Config) { c.Signer = &sign.RSASigner{} }, "Config.Signer",
			func() error { return sign.CheckSigner(&sign.RSASigner{}) }, nil},
		{"nil signer pointer", func(c *unionpay.Config) { c.Signer = (*sign.SecureKeySigner)(nil) }, "Config.Signer",
			func() error { return sign.CheckSigner((*sign.SecureKeySigner)(nil)) }, nil},
		{"zero encrypter", func(c *unionpay.Config) { c.Encrypter = &cert.Encrypter{} }, "Config.Encrypter",
			func() error { return (&cert.Encrypter{}).Check() }, nil},
		{"zero decrypter", func(c *unionpay.Config) { c.Decrypter = &cert.Decrypter{} }, "Config.Decrypter",
			func() error { return (&cert.Decrypter{}).Check() }, nil},
		{"no signer", func(c *unionpay.Config) { c.Signer = nil }, "Config.Signer", nil, nil},
		{"no verifier", func(c *unionpay.Config) { c.Verifier = nil }, "Config.Verifier", nil, nil},
		{"relative endpoint", func(c *unionpay.Config) { c.Endpoints.Query = "/queryTrans.do" }, "Config.Endpoints.Query", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := testConfig(t, "http://127.0.0.1:1")
			tt.edit(&cfg)
			_, err := unionpay.NewClient(cfg)
			var ce *unionpay.ConfigError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tt.field, ce.Field)
			if tt.cause == nil {
				require.NoError(t, ce.Err)
				return
			}
			cause := tt.cause()
			require.Error(t, cause)
			require.Error(t, ce.Err, "the check's error is kept")
			assert.Equal(t, cause.Error(), ce.Err.Error())
			assert.Equal(t, cause.Error(), ce.Reason)
			assert.Same(t, ce.Err, errors.Unwrap(err))
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
		})
	}
}

// countingSigner is an HSM's Signer as NewClient sees it: a type of its own, whose Sign is a
// round trip to the device.
type countingSigner struct {
	sign.Signer
	calls *atomic.Int32
}

func (s countingSigner) Sign(version string, canonical []byte) (string, error) {
	s.calls.Add(1)
	return s.Signer.Sign(version, canonical)
}

// TestReview15NewClientSignsNothingForACertificateSigner: NewClient "does no network I/O"; the
// secure-key probe (sameSecureKey) signs a message, which is free for a secure key, but must not
// reach a certificate Signer (an HSM's, signMethod 01), whose Sign is I/O and whose key the
// Verifier's chain check covers otherwise.
func TestReview15NewClientSignsNothingForACertificateSigner(t *testing.T) {
	srv := unionpaytest.NewServer(withSharedKeys(t))
	t.Cleanup(srv.Close)
	cfg := srv.Config()
	var calls atomic.Int32
	cfg.Signer = countingSigner{Signer: cfg.Signer, calls: &calls}
	cfg.Decrypter = nil // its key cannot be compared with a custom Signer's anyway
	_, err := unionpay.NewClient(cfg)
	require.NoError(t, err)
	assert.Zero(t, calls.Load(), "NewClient signed with a certificate Signer")
}

// Config.validate reports the first field refused, in the order the checks ran before the
// tidy split them into steps (e8e262f: "same checks, same order"): merchant, Version, Encoding,
// keys, Verifier, Endpoints, transport.
func TestReview15bConfigFirstRefusedOrder(t *testing.T) {
	t.Parallel()
	badMerchant := func(c *unionpay.Config) { c.MerchantID = "short" }
	badVersion := func(c *unionpay.Config) { c.Version = "9.9.9" }
	badEncoding := func(c *unionpay.Config) { c.Encoding = "Big5" }
	noSigner := func(c *unionpay.Config) { c.Signer = nil }
	noVerifier := func(c *unionpay.Config) { c.Verifier = nil }
	badEndpoint := func(c *unionpay.Config) { c.Endpoints.Back = "" }
	badLimit := func(c *unionpay.Config) { c.MaxResponseBytes = -1 }
	for _, tt := range []struct {
		name  string
		edits []func(*unionpay.Config)
		want  string
	}{
		{"MerchantID before Version", []func(*unionpay.Config){badMerchant, badVersion}, "Config.MerchantID"},
		{"Version before Encoding", []func(*unionpay.Config){badVersion, badEncoding}, "Config.Version"},
		{"Encoding before Signer", []func(*unionpay.Config){badEncoding, noSigner}, "Config.Encoding"},
		{"Signer before Verifier", []func(*unionpay.Config){noSigner, noVerifier}, "Config.Signer"},
		{"Verifier before Endpoints", []func(*unionpay.Config){noVerifier, badEndpoint}, "Config.Verifier"},
		{"Endpoints before MaxResponseBytes", []func(*unionpay.Config){badEndpoint, badLimit}, "Config.Endpoints.Back"},
	} {
		cfg := testConfig(t, "http://127.0.0.1:1")
		for _, e := range tt.edits {
			e(&cfg)
		}
		_, err := unionpay.NewClient(cfg)
		var ce *unionpay.ConfigError
		require.ErrorAs(t, err, &ce, tt.name)
		assert.Equal(t, tt.want, ce.Field, tt.name)
	}
}

// TestSecTrialSecureKeyMismatchRefused: with signMethod 11 or 12 UnionPay signs its answers with
// the merchant's own secure key. A Config whose Signer holds one key and whose Verifier holds
// another (a rotated key updated in one place only, a test key left in the other) passes
// NewClient today, and then every refund, payout or collection takes effect at the gateway while
// its answer fails verification: the call is pending, and so is every query of it, for good.
// NewClient refuses a Verifier that cannot verify a Config.Signer whose answers it must, as it
// already does for a method or version the Verifier does not accept.
func TestSecTrialSecureKeyMismatchRefused(t *testing.T) {
	t.Parallel()
	for _, m := range []string{sign.MethodSHA256Key, sign.MethodSM3Key} {
		signer, err := sign.NewSecureKeySigner(m, []byte("88888888"))
		require.NoError(t, err)
		v, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("a rotated key")})
		require.NoError(t, err)
		_, err = unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: signer, Verifier: v,
			Endpoints: unionpay.TestEndpoints()})
		var ce *unionpay.ConfigError
		require.True(t, errors.As(err, &ce), "signMethod %s: NewClient accepted a Verifier whose secure key is not the Signer's (err %v)", m, err)
		require.Equal(t, "Config.Verifier", ce.Field)

		same, err := cert.NewVerifier(cert.VerifierConfig{SecureKey: []byte("88888888")})
		require.NoError(t, err)
		_, err = unionpay.NewClient(unionpay.Config{MerchantID: "777290058110048", Signer: signer, Verifier: same,
			Endpoints: unionpay.TestEndpoints()})
		require.NoError(t, err)
	}
}
