package unionpaytest

import (
	"github.com/goacp/unionpay/unionpay"
)

// Endpoints returns the gateway's URLs in the client's form.
func (s *Server) Endpoints() unionpay.Endpoints {
	return unionpay.Endpoints{
		Front: s.URLFor(EndpointFront), Back: s.URLFor(EndpointBack), Query: s.URLFor(EndpointQuery),
		Batch: s.URLFor(EndpointBatch), File: s.URLFor(EndpointFile), App: s.URLFor(EndpointApp),
		Card: s.URLFor(EndpointCard),
	}
}

// Config returns everything a unionpay.Client needs to talk to this gateway as the test
// merchant. That is the merchant ID, the merchant's signer (signMethod 01; on a gateway made [WithSM2], its
// SM2 signer, signMethod 21), a verifier trusting only this gateway, an encrypter for its current
// encryption certificate (WithSM2: the SM2 one), a decrypter with the merchant key (WithSM2: its
// SM2 key), the endpoints, an HTTP client trusting the gateway's TLS certificate (30 s timeout, no
// cookie jar) and the gateway clock. Each call returns fresh values; the caller may change them.
//
// Its Sleep is nil, so unionpay.Client.QueryUntilFinal waits in real time: on FrontBackoff
// (Form.Backoff) the first query comes 5 minutes after txnTime. A test or demo that should not
// wait sets one that returns at once, and the schedule's queries are asked back to back:
//
//	cfg.Sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
//
// On that Sleep the clock does not move, so a form's payTimeout never passes and an unpaid
// order stays pending to the end of the schedule. To see an abandoned order come out final,
// drive the clock with a [Clock], whose Sleep moves it on (see the example of [Clock]):
//
//	clk := unionpaytest.NewClock(start)
//	srv := unionpaytest.NewServer(unionpaytest.WithClock(clk.Now))
//	cfg := srv.Config()
//	cfg.Sleep = clk.Sleep
//
// On a gateway made [WithTestClock](clk), Config's Sleep is clk.Sleep already, and those waits
// also bring the notification retries due meanwhile.
//
// Its Verifier trusts, among the 5.0.0 certificates of [Server.VerifierConfig], the one
// [FaultExpiredCert] signs under, which expired a year before the gateway started (on a gateway
// made WithSM2, its SM2 one too): a health check rehearsed on this configuration, alerting on
// unionpay.Client.ExpiringWithin, always reports it, as it would a forgotten certificate in a
// merchant's configuration. To rehearse one that passes, build the Verifier without the expired
// certificates (FaultExpiredCert on a 5.0.0 message is then refused as an unknown certId rather
// than as expired):
//
//	vc := srv.VerifierConfig()
//	expired := func(c *x509.Certificate) bool { return srv.Now().After(c.NotAfter) }
//	vc.LegacyCerts = slices.DeleteFunc(vc.LegacyCerts, expired)
//	vc.SM2Certs = slices.DeleteFunc(vc.SM2Certs, expired)
//	cfg.Verifier, err = cert.NewVerifier(vc)
func (s *Server) Config() unionpay.Config {
	cfg := unionpay.Config{
		MerchantID: s.opts.merchantID,
		Endpoints:  s.Endpoints(),
		HTTPClient: s.HTTPClient(),
		Now:        s.opts.now,
	}
	// These only fail on a nil or non-RSA key or certificate, which the server never has.
	if signer, err := s.MerchantSigner(); err == nil {
		cfg.Signer = signer
	}
	if v, err := s.NotifyVerifier(); err == nil {
		cfg.Verifier = v
	}
	if e, err := s.Encrypter(); err == nil {
		cfg.Encrypter = e
	}
	if d, err := s.Decrypter(); err == nil {
		cfg.Decrypter = d
	}
	if s.sm2 != nil {
		s.sm2Config(&cfg.Signer, &cfg.Encrypter)
	}
	if s.opts.clock != nil {
		cfg.Sleep = s.opts.clock.Sleep // the client's waits move the gateway's clock
	}
	return cfg
}
