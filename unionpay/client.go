package unionpay

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/tz"
	"github.com/goacp/unionpay/sign"
)

// Client sends UnionPay full-channel transactions for one merchant. It is safe for concurrent use,
// and immutable except for the encryption certificate, which
// [Client.UpdateEncryptionCertificate] can swap atomically. Make one with [NewClient]: the zero
// value is not usable. The zero Client's methods send nothing and return a *[ConfigError] naming
// "Client" (a request that is itself invalid is refused first, with a *[RequestError]), and its
// [Client.CloseIdleConnections] does nothing. On a Client made by NewClient a nil ctx is a
// *[RequestError]. A nil *Client panics, as any nil receiver does.
type Client struct {
	cfg    Config // validated copy, defaults filled in
	loc    *time.Location
	http   *resty.Client
	traced bool // the transport reports when a request was written (net/http's does)
	h2c    bool // the transport may speak HTTP/2 without TLS (see post)
	// defaultTransport: Config.HTTPClient has no Transport, so each call goes through
	// http.DefaultTransport as it is then, and post judges traced and h2c by that one.
	defaultTransport bool
	prod             bool                            // the Endpoints are on UnionPay's production hosts (see reachableBackURL)
	encrypter        *atomic.Pointer[cert.Encrypter] // shared with the clients WithSubMerchant derives
	// certUpdate holds a token while an UpdateEncryptionCertificate runs (shared as encrypter is):
	// updates fetch and swap one at a time, so an answer that comes late never puts back a
	// certificate older than one a later update took.
	certUpdate chan struct{}
}

// NewClient validates cfg and returns a client. It does no network I/O (it only loads the
// Asia/Shanghai zone from the system's tzdata, falling back to a fixed UTC+8 zone; with a
// secure-key Signer, signMethod 11 or 12, it signs one probe message to check that the Verifier
// holds the same key, which is I/O only for a Signer of your own that does I/O) and starts no
// goroutine. An invalid field is reported as a *[ConfigError] naming it.
//
// Build a Client once per merchant number and share it (it is safe for concurrent use), not one per
// request: with a nil Config.HTTPClient each Client has a connection pool of its own, so a Client
// per request makes a TLS handshake per call and leaves its connection idle, two goroutines and
// tens of KB, until the transport's idle timeout (30 s). Where Clients must be many (one per
// merchant, per invocation), give them one shared Config.HTTPClient, as the README's
// Configuration section shows.
func NewClient(cfg Config) (*Client, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.AccessType == "" {
		cfg.AccessType = AccessMerchant
	}
	if cfg.Version == "" {
		cfg.Version = sign.Version510
	}
	if cfg.Encoding == "" {
		cfg.Encoding = "UTF-8"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	if cfg.MaxResponseBytes == 0 {
		cfg.MaxResponseBytes = defaultMaxResponseBytes
	}
	if cfg.MaxFileBytes == 0 {
		cfg.MaxFileBytes = defaultMaxFileBytes
	}
	c := &Client{cfg: cfg, loc: tz.Beijing(), http: newResty(cfg.HTTPClient), traced: traces(cfg.HTTPClient),
		prod:             cfg.Endpoints.production(),
		h2c:              unencryptedHTTP2(cfg.HTTPClient),
		defaultTransport: cfg.HTTPClient != nil && cfg.HTTPClient.Transport == nil,
		encrypter:        new(atomic.Pointer[cert.Encrypter]), certUpdate: make(chan struct{}, 1)}
	c.encrypter.Store(cfg.Encrypter)
	c.cfg.Encrypter = nil // it lives in c.encrypter, which txnType 95 may replace
	return c, nil
}

// Encrypter returns the encryption certificate's encrypter in use (nil if none is configured).
func (c *Client) Encrypter() *cert.Encrypter {
	if c.encrypter == nil { // the zero Client
		return nil
	}
	return c.encrypter.Load()
}

// WithSubMerchant returns a client sending for sub-merchant s of the platform merchant c is for
// (Config.AccessType AccessPlatform), with c's configuration otherwise: a platform makes one for
// each sub-merchant it sends for, cheaply, from one Client made by [NewClient]. The two share
// their HTTP client and connection pool, and their encryption certificate: an
// [Client.UpdateEncryptionCertificate] through either is used by both. s is checked as
// Config.SubMerchant is, and refused with a *[ConfigError] naming it; so is a c that is not a
// platform's. Send a transaction's refund, cancel, completion and query with the client of its
// own sub-merchant (the notification's SubMerID; the fake gateway refuses another's refund,
// cancel or completion with 36).
func (c *Client) WithSubMerchant(s SubMerchant) (*Client, error) {
	if err := c.usable(); err != nil {
		return nil, err
	}
	if c.cfg.AccessType != AccessPlatform {
		return nil, &ConfigError{Field: "Config.AccessType", Reason: "WithSubMerchant needs a platform merchant's client (AccessPlatform)"}
	}
	d := *c
	d.cfg.SubMerchant = s
	if err := d.cfg.validateSubMerchant(); err != nil {
		return nil, err
	}
	return &d, nil
}

// MerchantID returns the configured merId.
func (c *Client) MerchantID() string { return c.cfg.MerchantID }

// SubMerchant returns the sub-merchant c sends for (Config.SubMerchant, or the one
// [Client.WithSubMerchant] gave it); the zero SubMerchant for a Client that is not a platform's
// (AccessPlatform). A platform compares a transaction's sub-merchant with it before acting on the
// transaction for that shop: [Transaction.SubMerID] (or give [QueryRequest.SubMerID]), the
// notification's SubMerID.
func (c *Client) SubMerchant() SubMerchant { return c.cfg.SubMerchant }

// CloseIdleConnections closes the idle keep-alive connections of the client's HTTP transport,
// for a client about to be dropped. A Client made without Config.HTTPClient has a transport, and
// so a connection pool, of its own (shared with the clients [Client.WithSubMerchant] derives): a
// program that makes many clients with NewClient should rather give them one shared HTTPClient.
func (c *Client) CloseIdleConnections() {
	if c.http != nil {
		c.http.GetClient().CloseIdleConnections()
	}
}

// usable refuses a Client not made by NewClient (the zero Client), which has no clock, zone,
// signer or HTTP client.
func (c *Client) usable() error {
	if c.http == nil {
		return &ConfigError{Field: "Client", Reason: "not made by NewClient (the zero Client is not usable)"}
	}
	return nil
}

// endpoint returns the URL for a call, or a ConfigError naming the missing endpoint.
func (c *Client) endpoint(name string) (string, error) {
	var u string
	switch name {
	case "Front":
		u = c.cfg.Endpoints.Front
	case "Back":
		u = c.cfg.Endpoints.Back
	case "Query":
		u = c.cfg.Endpoints.Query
	case "Batch":
		u = c.cfg.Endpoints.Batch
	case "File":
		u = c.cfg.Endpoints.File
	case "App":
		u = c.cfg.Endpoints.App
	}
	if u == "" {
		return "", &ConfigError{Field: "Config.Endpoints." + name, Reason: "required by this call"}
	}
	return u, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
