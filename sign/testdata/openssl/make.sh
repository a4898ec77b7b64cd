#!/usr/bin/env bash
# Regenerates the openssl interop vectors in this folder from UnionPay's
# public test PFX. Needs OpenSSL 3 (the PFX uses RC2-40, hence -legacy).
# Run from this folder: bash make.sh
set -euo pipefail
certs=../../../testdata/acp-test-certs
vec=../../../testdata/official-sdk-vectors
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
openssl pkcs12 -legacy -in "$certs/acp_test_sign.pfx" -passin pass:000000 -nocerts -nodes -out "$tmp/key.pem" 2>/dev/null
openssl pkcs12 -legacy -in "$certs/acp_test_sign.pfx" -passin pass:000000 -nokeys -clcerts -out "$tmp/cert.pem" 2>/dev/null
openssl x509 -in "$tmp/cert.pem" -pubkey -noout > pubkey.pem
for v in 5.1.0 5.0.0; do
  if [ "$v" = 5.1.0 ]; then alg=sha256; else alg=sha1; fi
  # The string to sign, exactly as UnionPay's SDK builds it (first line of the vector).
  head -n1 "$vec/consume_request.signed-$v-acp_test_sign.canonical.txt" | tr -d '\n' > "$tmp/s.txt"
  # Lowercase hex digest of the string to sign: these ASCII bytes are what RSA signs.
  openssl dgst -$alg -r "$tmp/s.txt" | cut -d' ' -f1 | tr -d '\n' > "canonical-$v.hex"
  openssl dgst -$alg -sign "$tmp/key.pem" -out "$tmp/sig.bin" "canonical-$v.hex"
  base64 -w0 "$tmp/sig.bin" > "signature-$v.b64"
done
