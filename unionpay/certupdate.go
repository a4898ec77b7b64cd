package unionpay

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/binary"
	"fmt"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/sign"
)

// sm2Encryption reports whether the merchant's encryption certificates are SM2: as the one in use,
// or, with none, as its signature method.
func (c *Client) sm2Encryption() bool {
	if e := c.encrypter.Load(); e != nil {
		_, isRSA := e.Certificate().PublicKey.(*rsa.PublicKey)
		return !isRSA
	}
	return c.cfg.Signer.Method() == sign.MethodSM2
}

// UpdateEncryptionCertificate fetches UnionPay's current encryption certificate (加密公钥更新查询,
// txnType 95, certType 01), validates it with Config.Verifier's ValidateEncryptionCertificate,
// and swaps it into the client atomically when its serial differs from the one in use (or none
// was configured). The new certificate must have the owner (the third '@' field of its common
// name) of the one in use: configure UnionPay's encryption certificate file as Config.Encrypter
// to pin it; with none configured, any certificate the chain validates is taken. It must also be
// of the algorithm of the one in use (with none, of the Signer's: SM2 for signMethod 21, else
// RSA), which a Verifier holding both chains does not check. It reports whether it swapped. A
// certificate refused (by the chain, or of another owner, cert.WrongOwner, or algorithm,
// cert.Malformed) is a *cert.InvalidError naming it, and the one in use stays in use.
// UnionPay recommends once a day. Requests already being built keep the encrypter they loaded.
// Updates run one at a time (a second waits for the first, or for its ctx to end: then a
// *[NotSentError]), so that the certificate fetched last is the one in use.
// Each Client made by [NewClient] holds its own, which the clients [Client.WithSubMerchant]
// derives from it share: with several made by NewClient, update each, or one, building the others
// with its [Client.Encrypter] as Config.Encrypter. A Verifier without the chain that validates
// the certificate (Root and Middle, or SM2Root and SM2Middle for an SM2 merchant; a 5.0.0
// configuration has LegacyCerts only) is a *[ConfigError] naming Config.Verifier, wrapping
// cert.ErrNoChain, before anything is sent.
func (c *Client) UpdateEncryptionCertificate(ctx context.Context) (updated bool, err error) {
	ctx, o := c.observe(ctx, certUpdateOp, false)
	updated, err = c.updateEncryptionCertificate(ctx)
	return updated, o.end(err)
}

// certUpdateOp is the name of UpdateEncryptionCertificate's call.
const certUpdateOp = "encryption certificate update"

func (c *Client) updateEncryptionCertificate(ctx context.Context) (updated bool, err error) {
	const op = certUpdateOp
	if err := c.usable(); err != nil {
		return false, err
	}
	// The answer's certificate is validated against the Verifier's chain: without one (a 5.0.0
	// configuration, LegacyCerts only) nothing could be taken, so nothing is asked.
	if err := c.cfg.Verifier.CheckEncryptionTrust(c.sm2Encryption()); err != nil {
		return false, &ConfigError{Field: "Config.Verifier", Reason: "cannot validate UnionPay's encryption certificate: " + err.Error(), Err: err}
	}
	if ctx == nil {
		return false, nilContext(op)
	}
	// One update at a time, from its query to its swap: otherwise an update whose answer came
	// late (UnionPay having rotated the certificate since) swapped its older certificate in over
	// the newer one a later update had taken.
	select {
	case c.certUpdate <- struct{}{}:
		defer func() { <-c.certUpdate }()
	case <-ctx.Done():
		return false, &NotSentError{Op: op, Err: ctx.Err()}
	}
	f := c.newFields("95", "00", "000000")
	t, err := c.now()
	if err != nil {
		return false, err
	}
	f["channelType"], f["certType"] = string(ChannelPC), "01"
	// orderId is required (8 to 40 letters or digits): the time and eight random digits, so that
	// two updates in one second (several clients of one merchant, say) are not duplicates (12).
	var r [8]byte
	_, _ = rand.Read(r[:]) // crypto/rand.Read does not fail
	f["orderId"] = fmt.Sprintf("cert%s%08d", formatTime(t), binary.BigEndian.Uint64(r[:])%1e8)
	f["txnTime"] = formatTime(t)
	k := &call{op: op, endpoint: "Back", orderID: f["orderId"], txnTime: t}
	if k.fields, err = c.finish(op, f, nil); err != nil {
		return false, err
	}
	resp, err := c.send(ctx, k)
	if err != nil {
		return false, err
	}
	if err := k.outcome(resp); err != nil {
		return false, err
	}
	if resp["certType"] != "01" || resp["encryptPubKeyCert"] == "" {
		return false, k.unknown(fmt.Errorf("answer has certType %q and no usable encryptPubKeyCert", resp["certType"]))
	}
	crt, err := cert.ParseCertificate([]byte(resp["encryptPubKeyCert"]))
	if err != nil {
		return false, fmt.Errorf("unionpay: %s: %w", op, err)
	}
	if err := c.cfg.Verifier.ValidateEncryptionCertificate(crt); err != nil {
		return false, fmt.Errorf("unionpay: %s: %w", op, err)
	}
	// A Verifier holding both chains validates either algorithm's certificate; the merchant's
	// card data goes out in one (Config.Encrypter's, or the Signer's without one).
	if _, isRSA := crt.PublicKey.(*rsa.PublicKey); isRSA == c.sm2Encryption() {
		want, got := "RSA", "SM2"
		if isRSA {
			want, got = got, want
		}
		return false, fmt.Errorf("unionpay: %s: %w", op, &cert.InvalidError{Cert: crt, Reason: cert.Malformed,
			Detail: fmt.Sprintf("the answer's certificate is %s, the merchant encrypts with %s", got, want)})
	}
	old := c.encrypter.Load()
	if old != nil && old.CertID() == cert.CertID(crt) {
		return false, nil
	}
	// The middle CA issues certificates with key encipherment to every merchant too: the chain
	// alone does not make a certificate UnionPay's. The new one must have the owner of the one
	// it replaces (configured from UnionPay's own file), or card data could be encrypted to
	// another merchant's key. (UnionPay's encryption certificates do not all carry its name:
	// the test one's owner is 00040000:SIGN; so the owner is pinned, not assumed.)
	if old != nil {
		want, _ := cert.Owner(old.Certificate()) // "" when it has none: then neither may the new one
		if got, _ := cert.Owner(crt); got != want {
			return false, fmt.Errorf("unionpay: %s: %w", op, &cert.InvalidError{Cert: crt, Reason: cert.WrongOwner,
				Detail: fmt.Sprintf("the new certificate's owner %q is not the current one's %q", got, want)})
		}
	}
	enc, err := cert.NewEncrypter(crt)
	if err != nil {
		return false, fmt.Errorf("unionpay: %s: %w", op, err)
	}
	// Swap only from what was read: a concurrent update that got there first wins.
	return c.encrypter.CompareAndSwap(old, enc), nil
}
