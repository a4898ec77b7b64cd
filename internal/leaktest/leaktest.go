// Package leaktest renders a value every way a merchant might print, log or serialise it, and
// looks for secrets in the output (audit helper).
package leaktest

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"regexp"
	"strings"
)

// Rendering is one way of showing a value, and what it showed.
type Rendering struct{ How, Out string }

func untimed() *slog.HandlerOptions {
	return &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
}

// wrap returns v inside a struct with one exported field X of v's type, and a pointer to v, and
// the struct with a field of pointer type.
func wraps(v any) map[string]any {
	rv := reflect.ValueOf(v)
	t := rv.Type()
	p := reflect.New(t)
	p.Elem().Set(rv)
	out := map[string]any{"value": v, "pointer": p.Interface()}
	sv := reflect.New(reflect.StructOf([]reflect.StructField{{Name: "X", Type: t}})).Elem()
	sv.Field(0).Set(rv)
	out["struct{X T}"] = sv.Interface()
	sp := reflect.New(reflect.StructOf([]reflect.StructField{{Name: "X", Type: p.Type()}})).Elem()
	sp.Field(0).Set(p)
	out["struct{X *T}"] = sp.Interface()
	sl := reflect.MakeSlice(reflect.SliceOf(t), 1, 1)
	sl.Index(0).Set(rv)
	out["[]T"] = sl.Interface()
	m := reflect.MakeMap(reflect.MapOf(reflect.TypeFor[string](), t))
	m.SetMapIndex(reflect.ValueOf("k"), rv)
	out["map[string]T"] = m.Interface()
	return out
}

// Render shows v every way: fmt verbs, json.Marshal, slog's JSON and text handlers, each for the
// value, a pointer to it, and both inside a struct, a slice and a map.
func Render(v any) []Rendering {
	var rs []Rendering
	for wname, w := range wraps(v) {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			rs = append(rs, Rendering{"fmt " + verb + " " + wname, fmt.Sprintf(verb, w)})
		}
		if b, err := json.Marshal(w); err == nil {
			rs = append(rs, Rendering{"json.Marshal " + wname, string(b)})
		} else {
			rs = append(rs, Rendering{"json.Marshal " + wname, "ERROR " + err.Error()})
		}
		var js, txt bytes.Buffer
		slog.New(slog.NewJSONHandler(&js, untimed())).Info("m", "v", w)
		slog.New(slog.NewTextHandler(&txt, untimed())).Info("m", "v", w)
		rs = append(rs, Rendering{"slog JSON " + wname, js.String()}, Rendering{"slog text " + wname, txt.String()})
	}
	if s, ok := v.(fmt.Stringer); ok {
		rs = append(rs, Rendering{"String()", s.String()})
	}
	if e, ok := v.(error); ok {
		rs = append(rs, Rendering{"Error()", e.Error()})
	}
	return rs
}

var b64 = regexp.MustCompile(`[A-Za-z0-9+/]{8,}={0,2}`)

// decimalBytes is how %v shows a []byte holding s: "[54 50 ...]".
func decimalBytes(s string) string {
	parts := make([]string, len(s))
	for i := 0; i < len(s); i++ {
		parts[i] = fmt.Sprint(s[i])
	}
	return strings.Join(parts, " ")
}

// Shows reports whether out shows secret: in clear, JSON- or Go-escaped, in hex, as %v's decimal
// bytes, or inside base64 (which json.Marshal makes of a []byte). A short secret of digits (a
// CVN2, an expiry: 4 digits or fewer) is looked for in clear only as a whole run of digits, so
// that a duration or port that happens to contain "741" is not taken for the CVN2 741.
func Shows(out, secret string) (bool, string) {
	if containsSecret(out, secret) {
		return true, "clear"
	}
	q := fmt.Sprintf("%q", secret)
	if containsSecret(out, q[1:len(q)-1]) {
		return true, "quoted"
	}
	if j, _ := json.Marshal(secret); containsSecret(out, string(j[1:len(j)-1])) {
		return true, "json-escaped"
	}
	if strings.Contains(strings.ToLower(out), hex.EncodeToString([]byte(secret))) {
		return true, "hex"
	}
	if strings.Contains(out, decimalBytes(secret)) {
		return true, "decimal bytes"
	}
	for _, m := range b64.FindAllString(out, -1) {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
			if d, err := enc.DecodeString(m); err == nil && bytes.Contains(d, []byte(secret)) {
				return true, "base64"
			}
			// unaligned: drop up to 3 leading characters
			for k := 1; k < 4 && k < len(m); k++ {
				s := strings.TrimRight(m[k:], "=")
				s = s[:len(s)/4*4]
				if d, err := base64.StdEncoding.DecodeString(s); err == nil && bytes.Contains(d, []byte(secret)) {
					return true, "base64"
				}
			}
		}
	}
	return false, ""
}

// shortDigits is the length up to which a secret of digits is looked for only as a whole run.
const shortDigits = 4

// containsSecret reports whether out contains secret; a secret of at most shortDigits ASCII
// digits only where no digit comes right before or after it.
func containsSecret(out, secret string) bool {
	if len(secret) == 0 || len(secret) > shortDigits || strings.Trim(secret, "0123456789") != "" {
		return strings.Contains(out, secret)
	}
	for i := 0; ; {
		k := strings.Index(out[i:], secret)
		if k < 0 {
			return false
		}
		start, end := i+k, i+k+len(secret)
		if (start == 0 || !isDigit(out[start-1])) && (end == len(out) || !isDigit(out[end])) {
			return true
		}
		i = start + 1
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Leak is one rendering that showed one secret.
type Leak struct{ How, Secret, Form, Out string }

// Find returns every rendering of v that shows one of secrets.
func Find(v any, secrets ...string) []Leak {
	var leaks []Leak
	for _, r := range Render(v) {
		for _, s := range secrets {
			if ok, form := Shows(r.Out, s); ok {
				leaks = append(leaks, Leak{r.How, s, form, r.Out})
			}
		}
	}
	return leaks
}

// Summary groups leaks by rendering, for a test's failure message.
func Summary(leaks []Leak) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, l := range leaks {
		k := l.How + " " + l.Secret
		if seen[k] {
			continue
		}
		seen[k] = true
		out := l.Out
		if len(out) > 300 {
			out = out[:300] + "..."
		}
		fmt.Fprintf(&b, "  %s shows %q (%s): %s\n", l.How, l.Secret, l.Form, strings.TrimSpace(out))
	}
	return b.String()
}
