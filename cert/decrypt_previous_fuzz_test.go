package cert

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm2"

	"github.com/goacp/unionpay/internal/pan"
)

// counterReader is a deterministic stream (SHA-256 of a counter), so that every fuzzing process
// generates the same SM2 keys and the seeds' ciphertexts open in each (crypto/rsa ignores it: the
// 1024-bit key is generated anew in each process, and the seeds encrypted to it open in none but
// the first).
type counterReader struct{ n byte }

func (r *counterReader) Read(p []byte) (int, error) {
	for i := range p {
		if i%sha256.Size == 0 {
			r.n++
		}
		sum := sha256.Sum256([]byte{r.n})
		p[i] = sum[i%sha256.Size]
	}
	return len(p), nil
}

// FuzzDecryptWithPrevious decrypts arbitrary ciphertexts, given as base64 (with line breaks or
// not) or as raw text, with an RSA or SM2 Decrypter alone or with previous keys
// (Decrypter.WithPrevious, a key of another size among them), through Decrypt and DecryptValid
// (no check, pan.Plausible, or a check that refuses all). It never panics. A plaintext returned
// is the first key's, in order, that opens the ciphertext and passes the check (each key's
// Decrypter alone tells). An error is a *DecryptError counting the keys, with no cause, or
// names the ciphertext not base64, empty, or of no key's size; and it never holds what any key
// made of the ciphertext.
func FuzzDecryptWithPrevious(f *testing.F) {
	pfx := loadTestPFX(f, "acp_test_sign.pfx")
	pemKey, err := os.ReadFile(filepath.Join("testdata", "openssl", "merchant-key.pem"))
	if err != nil {
		f.Fatal(err)
	}
	block, _ := pem.Decode(pemKey)
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		f.Fatal(err)
	}
	prevKey := parsed.(*rsa.PrivateKey)
	small, err := rsa.GenerateKey(rand.Reader, 1024) // of another size
	if err != nil {
		f.Fatal(err)
	}
	sm2Cur, err := sm2.GenerateKey(&counterReader{n: 100})
	if err != nil {
		f.Fatal(err)
	}
	sm2Prev, err := sm2.GenerateKey(&counterReader{n: 200})
	if err != nil {
		f.Fatal(err)
	}
	rsaCur, rsaPrev, rsaSmall := mustDecrypter(f, pfx.Key.(*rsa.PrivateKey)), mustDecrypter(f, prevKey), mustDecrypter(f, small)
	smCur, smPrev := mustDecrypter(f, sm2Cur), mustDecrypter(f, sm2Prev)
	chains := [][]*Decrypter{{rsaCur}, {rsaCur, rsaPrev, rsaSmall}, {smCur}, {smCur, smPrev}}
	decrypters := make([]*Decrypter, len(chains))
	for i, keys := range chains {
		decrypters[i] = withPrevious(f, keys[0], keys[1:]...)
	}

	for which, keys := range chains {
		for _, k := range keys {
			for _, plain := range []string{"6216***********0018", "6216261000000000018", "not a card"} {
				var b64 string
				if k.sm2 {
					b64, err = sm2Encrypt(k.key.Public().(*ecdsa.PublicKey), []byte(plain))
				} else {
					b64 = rsaCiphertext(f, k.key.(*rsa.PrivateKey), plain)
				}
				if err != nil {
					f.Fatal(err)
				}
				ct, _ := base64.StdEncoding.DecodeString(b64)
				for check := range byte(3) {
					f.Add(ct, byte(which), check)
				}
			}
		}
	}
	f.Add([]byte{}, byte(0), byte(0))
	f.Add([]byte{0x04}, byte(2), byte(0))
	f.Add(make([]byte, 300), byte(1), byte(0))

	checks := []func(string) bool{nil, pan.Plausible, func(string) bool { return false }}
	f.Fuzz(func(t *testing.T, ct []byte, which, how byte) {
		keys := chains[int(which)%len(chains)]
		d := decrypters[int(which)%len(chains)]
		valid := checks[int(how)%len(checks)]
		var in string
		switch how / 3 % 3 {
		case 0:
			in = base64.StdEncoding.EncodeToString(ct)
		case 1:
			in = base64.StdEncoding.EncodeToString(ct)
			for i := 76; i < len(in); i += 78 {
				in = in[:i] + "\r\n" + in[i:]
			}
		default:
			in = string(ct)
		}
		var got string
		if valid == nil && how%2 == 0 {
			got, err = d.Decrypt(in)
		} else {
			got, err = d.DecryptValid(in, valid)
		}
		// What each key alone makes of the ciphertext, in order.
		want, found := "", false
		var opened []string
		for _, k := range keys {
			p, kerr := k.DecryptValid(in, nil)
			if kerr != nil {
				continue
			}
			opened = append(opened, p)
			if !found && (valid == nil || valid(p)) {
				want, found = p, true
			}
		}
		if err == nil {
			if !found || got != want {
				t.Fatalf("decrypted %q with %d keys; each key alone gives %q", got, len(keys), opened)
			}
			return
		}
		if got != "" {
			t.Fatalf("a plaintext %q with the error %v", got, err)
		}
		if found {
			t.Fatalf("error %v, where a key gives %q", err, want)
		}
		var de *DecryptError
		if errors.As(err, &de) {
			if de.Keys != len(keys) || errors.Unwrap(err) != nil || err != error(de) {
				t.Fatalf("DecryptError %+v of %d keys, wrapping %v", de, len(keys), errors.Unwrap(err))
			}
		} else {
			msg := err.Error()
			if !strings.HasPrefix(msg, "cert: decrypt: ") || !strings.Contains(msg, "not base64") &&
				!strings.Contains(msg, "empty ciphertext") && !strings.Contains(msg, "longer than a ciphertext") &&
				!strings.Contains(msg, "not an SM2 ciphertext") {
				t.Fatalf("error %v is neither a DecryptError nor a malformed ciphertext's", err)
			}
		}
		for _, p := range opened {
			if len(p) >= 4 && strings.Contains(err.Error(), p) {
				t.Fatalf("the error holds a key's plaintext %q: %v", p, err)
			}
		}
	})
}
