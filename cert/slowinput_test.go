//go:build !race

package cert

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"strings"
	"testing"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/goacp/unionpay/internal/scaling"
)

// TestSlowInputsCertificates: what this package reads from untrusted bytes (a signPubKeyCert's
// PEM text, a customerInfo value, a certificate's common name, a PFX file) costs time and memory
// in proportion to its input, for the worst shapes found in the slow-input review: white space
// around the PEM block, many PEM headers, text after the block, many pairs, a common name of
// '@'s, many certificates in a PFX. Sixteen times the input costs at most scaling.MaxGrowth times
// as much per byte; a quadratic path costs sixteen times as much.
func TestSlowInputsCertificates(t *testing.T) {
	if testing.Short() {
		t.Skip("times parsers: not with -short")
	}
	ch := newTestChain(t, "Slow", nil)
	der := ch.leaf.cert.Raw
	body := base64.StdEncoding.EncodeToString(der)
	parse := func(b []byte) { _, _ = ParseCertificate(b) }
	owner := func(b []byte) {
		if c, err := ParseCertificate(b); err == nil {
			_, _ = Owner(c)
		}
	}
	customerInfo := func(b []byte) { _, _ = ParseCustomerInfo(string(b), nil) }
	pfxCerts := func(n int) []byte {
		cas := make([]*x509.Certificate, n)
		for i := range cas {
			cas[i] = ch.middle.cert
		}
		data, err := pkcs12.Modern2023.WithIterations(1).Encode(ch.leaf.key, ch.leaf.cert, cas, "pw")
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	// The common name of n '@'s, in a certificate of its own (the key is cached by name).
	atSigns := func(n int) []byte {
		spec := leafSpec()
		spec.cn, spec.keyName = strings.Repeat("@", n), "Slow leaf"
		return []byte(issue(t, spec, ch.middle).pem)
	}
	rows := []scaling.Row{
		scaling.NewRow("ParseCertificate", parse, "line ends after the block", func(n int) []byte { return []byte(ch.leaf.pem + strings.Repeat("\r\n", n)) }, 1<<10),
		scaling.NewRow("ParseCertificate", parse, "white space before the block", func(n int) []byte { return []byte(strings.Repeat(" \t", n) + ch.leaf.pem) }, 1<<10),
		scaling.NewRow("ParseCertificate", parse, "PEM headers", func(n int) []byte {
			var b strings.Builder
			b.WriteString("-----BEGIN CERTIFICATE-----\r\n")
			for i := range n {
				fmt.Fprintf(&b, "K%d: v\r\n", i)
			}
			b.WriteString("\r\n" + body + "\r\n-----END CERTIFICATE-----\r\n")
			return []byte(b.String())
		}, 128),
		scaling.NewRow("ParseCertificate", parse, "blocks after the block", func(n int) []byte {
			return []byte(ch.leaf.pem + strings.Repeat(string(pem.EncodeToMemory(&pem.Block{Type: "X", Bytes: []byte("x")})), n))
		}, 64),
		scaling.NewRow("ParseCertificate", parse, "BEGIN lines without their end", func(n int) []byte {
			return []byte(ch.leaf.pem + strings.Repeat("-----BEGIN X-----\n", n))
		}, 64),
		scaling.NewRow("Owner", owner, "a common name of '@'s", atSigns, 2<<10),
		scaling.NewRow("ParseCustomerInfo", customerInfo, "pairs", func(n int) []byte {
			var b strings.Builder
			b.WriteString("{")
			for i := range n {
				fmt.Fprintf(&b, "k%d=v&", i)
			}
			b.WriteString("z={a&b}}")
			return []byte(base64.StdEncoding.EncodeToString([]byte(b.String())))
		}, 128),
		scaling.NewRow("LoadPFX", func(b []byte) { _, _ = LoadPFX(b, "pw") }, "certificates", pfxCerts, 4),
	}
	scaling.CheckRows(t, rows)
}
