package main

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// percentEscape is a percent-encoded base64 character (+, / or =), as in a value copied from a
// logged notification body.
var percentEscape = regexp.MustCompile(`(?i)%(2B|2F|3D)`)

// urlDecoded undoes the URL encoding of a base64 value copied from a form body: %2B, %2F and
// %3D back to +, / and = (a '+' is left alone, as base64 holds it literally).
func urlDecoded(s string) string {
	if !percentEscape.MatchString(s) {
		return s
	}
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

const decryptHelp = `
Reads base64 ciphertext from standard input (line breaks ignored; a value copied URL-encoded
from a notification body, with %2B, %2F or %3D, is decoded first) and writes the plaintext,
followed by a line feed, to standard output. The ciphertext is what UnionPay encrypts to the
merchant's signing certificate: accNo in notifications and query answers, or customerInfo's
encryptedInfo. It is decrypted with the PFX's private key (RSA PKCS#1 v1.5), or, for a 国密
merchant, with the key of its CFCA .sm2 file (-sm2: SM2, laid out 04||X||Y||C3||C2).

Without -reveal the output is masked. A card number is taken to be any 13 or more digits, alone
or inside other text, with no letter between them, whatever else does separate them (spaces,
tabs, line breaks, '.', '_', '-', '/', ':', ..., any number of them): the digits notify.MaskPAN
keeps are kept, the first 6 and last 4 of 16 digits or more and only the last 4 of 13 to 15, and
each other digit becomes '*' where it is (6216 26** **** 0018), the separators staying in place.
Other numbers with no letter between them are masked too, a date with its time among them
(2026-11-26 10:00:00 prints as ****-**-** **:00:00). A plaintext of digits only is
masked whatever its length: a card number alone as notify.MaskPAN writes it (621626******0018,
six stars whatever the length), entirely for 10 digits or fewer. In key=value plaintexts
(encryptedInfo) the values of phoneNo, cvn2, expired, pin, certifId, smsCode, customerNm, accNo,
cardNo and password are replaced by '*'. -reveal prints the plaintext as it is: do not paste it
into logs or tickets.`

func runDecrypt(e *env, args []string) error {
	fs := newFlags(e, "decrypt", "(-pfx FILE | -sm2 FILE) [-password P] [-reveal]", decryptHelp)
	pfxPath := fs.String("pfx", "", "merchant signing PFX file holding the private key")
	sm2Path := fs.String("sm2", "", "merchant CFCA .sm2 signing file holding the SM2 private key (instead of -pfx)")
	pw := fs.String("password", "", "PFX or .sm2 password (default $"+passwordEnv+")"+passwordSeen)
	reveal := fs.Bool("reveal", false, "print the plaintext in full: card numbers and sensitive fields unmasked")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	switch {
	case *pfxPath == "" && *sm2Path == "":
		return usagef("-pfx is required (or -sm2 for an SM2 merchant)")
	case *pfxPath != "" && *sm2Path != "":
		return usagef("-pfx and -sm2 exclude each other")
	}
	d, certID, err := decrypterFor(*pfxPath, *sm2Path, e.password(fs, *pw))
	if err != nil {
		return wrongPassword(err, passwordFrom(fs))
	}
	in, err := readInput(e.stdin, maxMessageBytes)
	if err != nil {
		return err
	}
	ciphertext := strings.TrimSpace(string(in))
	if ciphertext == "" {
		return fmt.Errorf("no ciphertext on standard input")
	}
	ciphertext = urlDecoded(ciphertext)
	plain, err := d.Decrypt(ciphertext)
	if err != nil {
		if _, b64err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(ciphertext), "")); b64err == nil {
			// Well-formed base64 that the key cannot open: not a typo but the wrong key.
			return &hintError{msg: fmt.Sprintf("the ciphertext does not decrypt with this key (certId %s): it was "+
				"encrypted to another certificate, or is cut short; UnionPay encrypts to the certificate the "+
				"request was signed with (its certId)", certID), err: err}
		}
		return err
	}
	if !*reveal {
		plain = printable(maskPlaintext(plain)) // anyone with the certificate can choose the plaintext
	}
	_, err = fmt.Fprintln(e.stdout, plain)
	return err
}
