#!/bin/sh
# Verifies the SM2 signatures of ../go-signatures.txt and ../bc-signatures.txt with OpenSSL 3
# (a third implementation: SM2 with distid = user ID, over the SM3 hex text), printing one verdict
# per signature. Not run by CI. Usage, from the module root:
#   sh cert/testdata/sm2/openssl/verify.sh testdata/sm2/cfca_test.sm2 cert/testdata/sm2 > cert/testdata/sm2/openssl-report.txt
set -eu
cred=$1 dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The certificate is the second OCTET STRING of the .sm2 file (see ../README.md).
base64 -d "$cred" > "$tmp/sm2.der"
off=$(openssl asn1parse -inform DER -in "$tmp/sm2.der" | awk -F: '/OCTET STRING/ {o=$1} END {print o + 0}')
openssl asn1parse -inform DER -in "$tmp/sm2.der" -strparse "$off" -noout -out "$tmp/cert.der"
openssl x509 -inform DER -in "$tmp/cert.der" -pubkey -noout > "$tmp/pub.pem"
echo "# verdicts of $(openssl version | cut -d' ' -f1-2) (pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:<userID>)"
echo "# on the signatures of go-signatures.txt (id) and bc-signatures.txt (bc-name-expect); 64-byte r||s turned into DER"

verify() { # id canonical-hex userID base64-signature
	printf '%s' "$2" | xxd -r -p > "$tmp/msg"
	openssl dgst -sm3 -r "$tmp/msg" | cut -d' ' -f1 | tr -d '\n' > "$tmp/hex"
	sig=$(printf '%s' "$4" | base64 -d | od -An -v -tx1 | tr -d ' \n')
	if [ ${#sig} -ne 128 ]; then echo "verify $1 FAIL"; return; fi
	printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' \
		"$(echo "$sig" | cut -c1-64)" "$(echo "$sig" | cut -c65-128)" > "$tmp/sig.cnf"
	openssl asn1parse -genconf "$tmp/sig.cnf" -noout -out "$tmp/sig.der"
	if openssl pkeyutl -verify -pubin -inkey "$tmp/pub.pem" -rawin -digest sm3 -pkeyopt "distid:$3" \
		-in "$tmp/hex" -sigfile "$tmp/sig.der" > /dev/null 2>&1; then
		echo "verify $1 OK"
	else
		echo "verify $1 FAIL"
	fi
}
canonical() { awk -v n="$1" '$1 == n {print $2}' "$dir/canonicals.txt"; }

grep -v '^#' "$dir/go-signatures.txt" | while read -r id name expect uid sig; do
	verify "$id" "$(canonical "$name")" "$uid" "$sig"
done
grep -v '^#' "$dir/bc-signatures.txt" | while read -r name expect sig; do
	verify "bc-$name-$expect" "$(canonical "$name")" 69629716832 "$sig"
done
