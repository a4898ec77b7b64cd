#!/bin/sh
# Regenerates the PKCS#12 files of TestLoadPFXIterationLimit (OpenSSL 3, which
# defaults to PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC, MAC HMAC-SHA256;
# -legacy: 3DES key bag, RC2-40 certificate bag, MAC HMAC-SHA1). Key and
# certificate: the throwaway pair of ../openssl. Password 000000.
# 1000000 is LoadPFX's limit (maxPFXIterations); 1000001 is one above it.
set -eu
cd "$(dirname "$0")"
export_pfx() { # export_pfx <output> <openssl pkcs12 options...>
	out=$1
	shift
	openssl pkcs12 -export -inkey ../openssl/merchant-key.pem -in ../openssl/merchant-cert.pem \
		-name merchant -passout pass:000000 -out "$out" "$@"
}
export_pfx aes-2048.pfx -iter 2048
export_pfx legacy-2048.pfx -legacy -iter 2048
export_pfx aes-limit.pfx -iter 1000000
export_pfx legacy-limit.pfx -legacy -iter 1000000
# Above the limit: every count (the MAC is the first LoadPFX meets) ...
export_pfx aes-over.pfx -iter 1000001
export_pfx legacy-over.pfx -legacy -iter 1000001
# ... the encrypted data holding the certificate (MAC count 1) ...
export_pfx aes-over-certs.pfx -iter 1000001 -nomaciter
export_pfx legacy-over-certs.pfx -legacy -iter 1000001 -nomaciter
# ... and only the shrouded key bag (certificate not encrypted, MAC count 1).
export_pfx aes-over-key.pfx -iter 1000001 -nomaciter -certpbe NONE
export_pfx legacy-over-key.pfx -legacy -iter 1000001 -nomaciter -certpbe NONE
# What openssl reports about each file, for README.md.
for f in *.pfx; do
	echo "== $f"
	openssl pkcs12 -info -noout -passin pass:000000 -legacy -in "$f" 2>&1 | grep -v '^Bag Attributes\|^    \(localKeyID\|friendlyName\)'
done > info.txt
