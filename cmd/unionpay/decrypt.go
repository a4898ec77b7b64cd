package main

import (
	"fmt"
	"strings"

	"github.com/goacp/unionpay/cert"
)

const decryptHelp = `
Reads base64 ciphertext from standard input (line breaks ignored) and writes the plaintext,
followed by a line feed, to standard output. The ciphertext is what UnionPay encrypts to the
merchant's signing certificate: accNo in notifications and query answers, or customerInfo's
encryptedInfo. It is decrypted with the PFX's private key (RSA PKCS#1 v1.5).

The plaintext may be a card number: do not paste it into logs or tickets.`

func runDecrypt(e *env, args []string) error {
	fs := newFlags(e, "decrypt", "-pfx FILE -password P", decryptHelp)
	pfxPath := fs.String("pfx", "", "merchant signing PFX file holding the private key")
	pw := fs.String("password", "", "PFX password (default $"+passwordEnv+")")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *pfxPath == "" {
		return usagef("-pfx is required")
	}
	pfx, err := cert.LoadPFXFile(*pfxPath, e.password(fs, *pw))
	if err != nil {
		return err
	}
	d, err := pfx.Decrypter()
	if err != nil {
		return err
	}
	in, err := readInput(e.stdin, maxMessageBytes)
	if err != nil {
		return err
	}
	ciphertext := strings.TrimSpace(string(in))
	if ciphertext == "" {
		return fmt.Errorf("no ciphertext on standard input")
	}
	plain, err := d.Decrypt(ciphertext)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, plain)
	return err
}
