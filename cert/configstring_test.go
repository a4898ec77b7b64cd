package cert

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/sign"
)

// A VerifierConfig with a secure key printed it with %v and %+v (found in
// a design review); it must not, however it is formatted or logged.
func TestVerifierConfigPrintsNoSecureKey(t *testing.T) {
	t.Parallel()
	key := []byte("88888888")
	root, middle := loadTestCert(t, "acp_test_root.cer"), loadTestCert(t, "acp_test_middle.cer")
	cfg := VerifierConfig{
		Root: root, Middle: middle, AcceptTestOwner: true,
		SecureKey: key, SecureKeyMethods: []string{sign.MethodSHA256Key},
		Now: time.Now,
	}
	var logText, logJSON bytes.Buffer
	slog.New(slog.NewTextHandler(&logText, logtest.Untimed())).Info("config", "cfg", cfg)
	slog.New(slog.NewJSONHandler(&logJSON, logtest.Untimed())).Info("config", "cfg", cfg)
	outputs := map[string]string{
		"slog text": logText.String(),
		"slog JSON": logJSON.String(),
		"nested":    fmt.Sprintf("%+v", struct{ Verifier VerifierConfig }{cfg}),
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		outputs[verb] = fmt.Sprintf(verb, cfg)
		outputs[verb+" pointer"] = fmt.Sprintf(verb, &cfg)
	}
	for name, out := range outputs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.NotContains(t, out, string(key))
			assert.NotContains(t, out, fmt.Sprint(key))
			assert.NotContains(t, out, fmt.Sprint(key[:4]))
			assert.NotContains(t, out, base64.StdEncoding.EncodeToString(key))
			assert.NotContains(t, out, "0x38, 0x38") // %#v of the bytes
		})
	}
	assert.Equal(t, "cert.VerifierConfig{Root:"+CertID(root)+" Middle:"+CertID(middle)+
		" AcceptTestOwner:true LegacyCerts:[] SM2Root:<nil> SM2Middle:<nil> SM2Certs:[]"+
		" SecureKey:<redacted> SecureKeyMethods:[11] Now:<func> CacheSize:0}", cfg.String())
	assert.Equal(t, cfg.String(), cfg.GoString())
	// Through slog's JSON handler it is String (it was an encoding error, found by a docs review).
	assert.Contains(t, logJSON.String(), `"cfg":"cert.VerifierConfig{Root:`+CertID(root))
	// A nil *VerifierConfig logs as nothing, not as a panic (found by a review).
	var nilCfg *VerifierConfig
	logText.Reset()
	logJSON.Reset()
	slog.New(slog.NewTextHandler(&logText, logtest.Untimed())).Info("config", "cfg", nilCfg)
	slog.New(slog.NewJSONHandler(&logJSON, logtest.Untimed())).Info("config", "cfg", nilCfg)
	assert.Contains(t, logText.String(), "cfg=<nil>")
	assert.Contains(t, logJSON.String(), `"cfg":null`)
	assert.NotContains(t, logText.String()+logJSON.String(), "panic")
	assert.Equal(t, "cert.VerifierConfig{Root:<nil> Middle:<nil> AcceptTestOwner:false LegacyCerts:[<nil> 7] "+
		"SM2Root:<nil> SM2Middle:<nil> SM2Certs:[] SecureKey:<none> SecureKeyMethods:[] Now:<nil> CacheSize:3}",
		VerifierConfig{LegacyCerts: []*x509.Certificate{nil, {SerialNumber: big.NewInt(7)}}, CacheSize: 3}.String())
}
