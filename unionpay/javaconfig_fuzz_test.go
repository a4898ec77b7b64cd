package unionpay

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goacp/unionpay/internal/leaktest"
)

// FuzzLoadJavaConfig loads arbitrary bytes as an acp_sdk.properties file, in a directory laid
// out as testdata/javaconfig is (so that the relative certificate paths of its files, the seeds,
// resolve). It is a *JavaConfig or a *JavaConfigError, never both: the error names the file, and
// a line of it when any; a loaded file is one java.util.Properties reads, with the three
// required gateway URLs and a Signer, and its Dropped keys are acpsdk.* keys on lines of the
// file, in file order. Neither the error (Error, %+v, and %#v of what it wraps) nor the loaded
// JavaConfig printed shows a secret of the file: the value of a key that starts with
// acpsdk.signCert.pwd, acpsdk.sm2.signCert.pwd, acpsdk.secureKey or acpsdk.sm2.secureKey in any
// case, or what follows the part of a key that an error may quote (shownKey). A secret is looked
// for only when it is distinctive: 6 bytes or more, one of #$^~|`@% in it, and found once in the
// file, so that a fixed message or another key's value that holds it by chance is no leak.
func FuzzLoadJavaConfig(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "javaconfig", "*.properties"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("seeds: %v %v", seeds, err)
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("acpsdk.signCert.pwd=Zq7#Secret\nacpsdk.signCert.path=../../../testdata/acp-test-certs/acp_test_sign.pfx\n"))
	f.Add([]byte("acpsdk.sm2.secureKey\uff1aZq7#Secret\n"))

	// dir/u/testdata/javaconfig holds the file; dir/testdata is the repository's testdata.
	dir := f.TempDir()
	kit := filepath.Join(dir, "u", "testdata", "javaconfig")
	if err := os.MkdirAll(kit, 0o700); err != nil {
		f.Fatal(err)
	}
	for link, target := range map[string]string{
		filepath.Join(dir, "testdata"):     filepath.Join("..", "testdata"),
		filepath.Join(kit, "verify500"):    filepath.Join("testdata", "javaconfig", "verify500"),
		filepath.Join(kit, "sm2verify500"): filepath.Join("testdata", "javaconfig", "sm2verify500"),
	} {
		abs, err := filepath.Abs(target)
		if err != nil {
			f.Fatal(err)
		}
		if err := os.Symlink(abs, link); err != nil {
			f.Fatal(err)
		}
	}
	path := filepath.Join(kit, "acp_sdk.properties")

	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		text := decodeProperties(data)
		lines := len(splitLines(text))
		props, syntaxErr := parseProperties(text)
		secrets := fileSecrets(text, path, props)

		jc, err := LoadJavaConfig(path)
		if err != nil {
			if jc != nil {
				t.Fatalf("a JavaConfig with the error %v", err)
			}
			je, ok := errors.AsType[*JavaConfigError](err)
			if !ok || je.File != path || je.Line < 0 || je.Line > lines ||
				!strings.HasPrefix(err.Error(), "unionpay: "+path) {
				t.Fatalf("error %#v (%v); the file has %d lines", err, err, lines)
			}
			shown := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", je.Err)}
			for _, s := range secrets {
				for _, out := range shown {
					if leak, how := leaktest.Shows(out, s); leak {
						t.Fatalf("error shows the secret %q (%s): %s", s, how, out)
					}
				}
			}
			return
		}
		if syntaxErr != nil {
			t.Fatalf("loaded a file that java.util.Properties refuses: %v", syntaxErr)
		}
		e := jc.Config.Endpoints
		if e.Front == "" || e.Back == "" || e.Query == "" || jc.Config.Signer == nil {
			t.Fatalf("loaded without endpoints or a signer: %+v", jc)
		}
		if !slices.Contains([]string{"", EnvironmentTest, EnvironmentProduction}, jc.Environment) {
			t.Fatalf("environment %q", jc.Environment)
		}
		prev := 0
		for _, d := range jc.Dropped {
			if !strings.HasPrefix(d.Key, "acpsdk.") || d.Line <= prev || d.Line > lines || d.Reason == "" {
				t.Fatalf("dropped %+v after line %d, of %d", d, prev, lines)
			}
			prev = d.Line
		}
		for _, s := range secrets {
			for _, out := range []string{fmt.Sprint(jc), fmt.Sprintf("%+v", jc), fmt.Sprintf("%#v", jc)} {
				if leak, how := leaktest.Shows(out, s); leak {
					t.Fatalf("JavaConfig shows the secret %q (%s): %s", s, how, out)
				}
			}
		}
	})
}

// fileSecrets returns the distinctive secrets of the file text at path (see
// FuzzLoadJavaConfig): from props, what parseProperties read of it, and, as a file with a syntax
// error has no props, from each line that starts a logical line with a secret key (in any case),
// every word after the key (separated by white space, '=', ':', ＝, ： or U+3000).
func fileSecrets(text, path string, props []property) []string {
	var out []string
	add := func(s string) {
		if len(s) >= 6 && strings.ContainsAny(s, "#$^~|`@%") && strings.Count(text, s) == 1 &&
			!strings.Contains(path, s) {
			out = append(out, s)
		}
	}
	isSecret := func(key string) (int, bool) {
		for _, k := range secretKeys {
			if len(key) >= len(k) && strings.EqualFold(key[:len(k)], k) {
				return len(k), true
			}
		}
		return 0, false
	}
	for _, p := range props {
		shown, _ := shownKey(p.key)
		add(p.key[len(shown):])
		if _, ok := isSecret(p.key); ok {
			add(javaTrim(p.value))
			add(p.value)
		}
	}
	continued := false
	for _, line := range splitLines(text) {
		line = strings.TrimLeft(line, " \t\f")
		if n, ok := isSecret(line); ok && !continued {
			for _, w := range strings.FieldsFunc(line[n:], func(r rune) bool {
				return r == ' ' || r == '\t' || r == '\f' || r == '=' || r == ':' || r == '\uff1d' || r == '\uff1a' || r == '\u3000'
			}) {
				add(w)
			}
		}
		continued = endsInBackslash(line)
	}
	return out
}
