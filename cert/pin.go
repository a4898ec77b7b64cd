package cert

// PINBlock returns the ISO 9564 format-0 (ANSI X9.8) PIN block of pin for the
// card number pan, as the official SDK builds it before encryption:
//
//	PIN field: 0x0N (N = PIN length), the PIN digits as BCD, padded with F
//	PAN field: 0x0000, then the 12 rightmost PAN digits excluding the check digit
//	block = PIN field XOR PAN field
//
// pin must be 4 to 12 digits; pan 11 to 19 digits (11 and 12-digit numbers
// are left-padded with zeros to 13, as the SDK does). Errors are an
// [*InputError] naming the field; they never include the digits. The official
// SDK's encryptPin takes the card number first: a pin of a card number's length
// with a pan of a PIN's is refused as arguments swapped.
func PINBlock(pin, pan string) ([]byte, error) {
	if len(pin) >= 13 && len(pin) <= 19 && allDigits(pin) && len(pan) >= 4 && len(pan) <= 12 && allDigits(pan) {
		return nil, &InputError{Field: "pin", Detail: "must be 4 to 12 digits; it has a card number's length " +
			"and pan a PIN's: arguments swapped? The PIN comes first (the Java SDK's encryptPin takes the card number first)"}
	}
	if len(pin) < 4 || len(pin) > 12 || !allDigits(pin) {
		return nil, &InputError{Field: "pin", Detail: "must be 4 to 12 digits"}
	}
	if len(pan) < 11 || len(pan) > 19 || !allDigits(pan) {
		return nil, &InputError{Field: "pan", Detail: "must be 11 to 19 digits"}
	}
	for len(pan) < 13 {
		pan = "0" + pan
	}
	account := pan[len(pan)-13 : len(pan)-1] // 12 digits, check digit excluded

	var block [8]byte
	block[0] = byte(len(pin))
	for i := range 14 { // nibbles 2..15 of the PIN field
		nibble := byte(0xF)
		if i < len(pin) {
			nibble = pin[i] - '0'
		}
		setNibble(block[:], 2+i, nibble)
	}
	for i := range 12 { // the PAN field's last 12 nibbles
		xorNibble(block[:], 4+i, account[i]-'0')
	}
	return block[:], nil
}

func setNibble(b []byte, i int, v byte) {
	if i%2 == 0 {
		b[i/2] = b[i/2]&0x0F | v<<4
	} else {
		b[i/2] = b[i/2]&0xF0 | v
	}
}

func xorNibble(b []byte, i int, v byte) {
	if i%2 == 0 {
		b[i/2] ^= v << 4
	} else {
		b[i/2] ^= v
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
