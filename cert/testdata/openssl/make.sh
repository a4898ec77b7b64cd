#!/bin/sh
# Regenerates the openssl interop vectors of package cert (OpenSSL 3).
# The key and certificate are throwaway test material made for these vectors.
set -eu
cd "$(dirname "$0")"
if [ ! -f merchant-key.pem ]; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout merchant-key.pem -out merchant-cert.pem \
		-days 36500 -subj "/C=CN/O=goacp test/CN=cert package openssl interop"
fi
openssl x509 -in merchant-cert.pem -pubkey -noout > /tmp/merchant-pub.$$.pem
enc() { # enc <plaintext> <output>: RSA PKCS#1 v1.5 encrypt with openssl, base64 on one line
	printf '%s' "$1" | openssl pkeyutl -encrypt -pubin -inkey /tmp/merchant-pub.$$.pem \
		-pkeyopt rsa_padding_mode:pkcs1 | base64 -w0 > "$2"
}
enc '6216261000000000018' accno.openssl.b64
enc 'phoneNo=13552535506&cvn2=123&expired=2712' encryptedinfo.openssl.b64
rm -f /tmp/merchant-pub.$$.pem
# customerInfo as UnionPay returns it: base64 of {plain pairs&encryptedInfo=<ciphertext>}
printf '{certifTp=01&certifId=341126197709218366&customerNm=全渠道&encryptedInfo=%s}' \
	"$(cat encryptedinfo.openssl.b64)" | base64 -w0 > customerinfo.openssl.b64
