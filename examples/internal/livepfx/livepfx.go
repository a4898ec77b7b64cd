// Package livepfx loads the merchant's signing PFX for the examples' -live modes (flags -certs,
// -pfx and -password), warning when its certificate is out of date. It is shared by the
// examples, not part of the SDK: a merchant's own code loads its PFX with cert.LoadPFXFile.
package livepfx

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/goacp/unionpay/cert"
)

// Load loads the merchant's signing PFX: the file name (-pfx) in dir (-certs), or the absolute
// path name, opened with password (-password). If its certificate is not valid at now, it writes one warning line to
// warn, with the certId and validity (never the password or the key), and carries on: the
// gateway can be expected to refuse the signatures, but that may be what is being tried.
func Load(warn io.Writer, dir, name, password string, now time.Time) (*cert.PFX, error) {
	path := name
	if !filepath.IsAbs(name) {
		path = filepath.Join(dir, name)
	}
	pfx, err := cert.LoadPFXFile(path, password)
	if errors.Is(err, cert.ErrPassword) {
		return nil, fmt.Errorf("-password does not open -pfx %s: %w", name, err)
	}
	if err != nil {
		return nil, fmt.Errorf("-pfx: %w", err)
	}
	for _, e := range pfx.Expiries() { // the signing certificate, as a merchant's monitoring sees it
		if e.ValidAt(now) {
			continue
		}
		state := "expired"
		if now.Before(e.NotBefore) {
			state = "not yet valid"
		}
		fmt.Fprintf(warn, "warning: the signing certificate of -pfx %s (certId %s, notBefore %s, notAfter %s) is %s: "+
			"UnionPay can be expected to refuse its signatures\n", name, e.CertID,
			e.NotBefore.UTC().Format(time.RFC3339), e.NotAfter.UTC().Format(time.RFC3339), state)
	}
	return pfx, nil
}

// PasswordEnv is the environment variable the examples read the PFX password from when
// -password is not given, as the command-line tool does: a flag shows in process listings.
const PasswordEnv = "UNIONPAY_PASSWORD"

// testPassword opens UnionPay's public test PFX.
const testPassword = "000000"

// Password returns the PFX password: flag (-password) when given (not ""), else the value of
// PasswordEnv from getenv when set, else the test PFX's 000000.
func Password(flag string, getenv func(string) string) string {
	switch {
	case flag != "":
		return flag
	case getenv != nil && getenv(PasswordEnv) != "":
		return getenv(PasswordEnv)
	}
	return testPassword
}
