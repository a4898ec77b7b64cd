package main

import (
	"flag"
	"slices"
	"strconv"
	"strings"
	"time"
)

// secretFlags returns the flags whose value is a secret: text run on to their names, or to a
// name close to theirs (-pasword000000), is never shown.
func secretFlags() []string { return []string{"password", "secure-key"} }

// flagParseError turns the flag package's complaint about fs's arguments into a usage error that
// shows no text that may be a secret: a value given to a switch (-secure-key-env=KEY), a value run
// on to a flag's name (-password000000, -pasword000000, -pwd000000), a flag taken as the value
// of the flag before it (-expires-within -password=000000) and a malformed argument are not
// quoted, as the package quotes them.
func flagParseError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return undefinedFlag(fs, name)
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		if _, name, ok := strings.Cut(rest, " for -"); ok {
			name, _, _ = strings.Cut(name, ":")
			return usagef("-%s is a switch and takes no value: give -%s alone (the value given is not shown: "+
				"it may be a secret)", name, name)
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if q, err := strconv.QuotedPrefix(rest); err == nil {
			value, _ := strconv.Unquote(q)
			name, _, _ := strings.Cut(strings.TrimPrefix(rest[len(q):], " for flag -"), ":")
			if strings.HasPrefix(value, "-") {
				return usagef("-%s needs a value, and the argument after it is a flag (not shown: it may hold a "+
					"secret): write -%s VALUE", name, name)
			}
			if f := fs.Lookup(name); f != nil && isDurationFlag(f) {
				return usagef("%s: write a duration in hours, minutes or seconds, such as 720h for 30 days "+
					"(there is no d unit)", msg)
			}
		}
	}
	if strings.HasPrefix(msg, "bad flag syntax") {
		return usagef("bad flag syntax (the argument is not shown: it may be a secret): flags take the form " +
			"-name, -name VALUE or -name=VALUE")
	}
	return &usageError{msg}
}

// undefinedFlag is the usage error for name, a flag fs does not define. The name is quoted only
// when it reads as a mistyped flag name (lower-case letters, digits and '-', no three digits in a
// row) and is not a secret flag's name, or a name close to it, with more text run on; otherwise it
// is not shown, and the flag it is closest to is suggested.
func undefinedFlag(fs *flag.FlagSet, name string) error {
	lower := strings.ToLower(name)
	for _, secret := range secretFlags() {
		if len(lower) > len(secret) && strings.HasPrefix(lower, secret) {
			return usagef("flag provided but not defined: -%s followed by more text (not shown: it may be "+
				"a secret); write -%s VALUE or -%s=VALUE", secret, secret, secret)
		}
		if fs.Lookup(secret) != nil && runOn(lower, secret) {
			return usagef("flag provided but not defined: an argument close to -%s followed by more text (not "+
				"shown: it may be a secret); write -%s VALUE or -%s=VALUE", secret, secret, secret)
		}
	}
	if nameLike(name) {
		return usagef("flag provided but not defined: -%s%s", name, didYouMean(fs, lower))
	}
	return usagef("flag provided but not defined (the argument is not shown: it may hold a secret run on to "+
		"a flag's name)%s; flags take the form -name VALUE or -name=VALUE", didYouMean(fs, lower))
}

// runOn reports whether name is flag's name mistyped (at most two edits) with more text after it,
// as -pasword000000 is: a name itself close to flag's (-pasword) is only a typo.
func runOn(name, flag string) bool {
	if editDistance(name, flag) <= 2 {
		return false
	}
	for n := max(len(flag)-2, 1); n <= len(flag)+2 && n < len(name); n++ {
		if editDistance(name[:n], flag) <= 2 {
			return true
		}
	}
	return false
}

// nameLike reports whether name may be quoted as a mistyped flag name: lower-case ASCII letters,
// digits and '-', and no three digits in a row (the start of a PIN, a password or a key).
func nameLike(name string) bool {
	digits := 0
	for _, c := range []byte(name) {
		switch {
		case '0' <= c && c <= '9':
			if digits++; digits >= 3 {
				return false
			}
			continue
		case 'a' <= c && c <= 'z', c == '-':
		default:
			return false
		}
		digits = 0
	}
	return name != ""
}

// didYouMean suggests the flag of fs closest to name (at most two edits away, or whose name
// starts name), or says nothing.
func didYouMean(fs *flag.FlagSet, name string) string {
	best, bestD := "", 3
	fs.VisitAll(func(f *flag.Flag) {
		d := editDistance(name, f.Name)
		if strings.HasPrefix(name, f.Name) || (len(name) > len(f.Name) && editDistance(name[:len(f.Name)], f.Name) <= 1) {
			d = min(d, 2)
		}
		if d < bestD {
			best, bestD = f.Name, d
		}
	})
	if best == "" {
		return ""
	}
	return " (did you mean -" + best + "?)"
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// flagGivenAFlag refuses a flag that took another flag as its value, as -root -secure-key=KEY (a
// forgotten path) gives -root the text "-secure-key=KEY", which a file's error would then quote.
// parsed are the arguments fs.Parse read as flags. A value names a flag when, without its dashes
// and from its '=' on, it is the name of one of fs's flags or starts with a secret flag's name.
func flagGivenAFlag(fs *flag.FlagSet, parsed []string) error {
	for i := 0; i < len(parsed); i++ {
		a := parsed[i]
		if a == "--" {
			return nil
		}
		name := strings.TrimLeft(a, "-")
		if name == a || strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil || isBoolFlag(f) || i+1 >= len(parsed) {
			continue
		}
		i++
		v := parsed[i]
		if !strings.HasPrefix(v, "-") {
			continue
		}
		other, _, _ := strings.Cut(strings.ToLower(strings.TrimLeft(v, "-")), "=")
		secret := slices.ContainsFunc(secretFlags(), func(s string) bool { return strings.HasPrefix(other, s) })
		if other != "" && (fs.Lookup(other) != nil || secret) {
			shown := other
			if secret || fs.Lookup(other) == nil {
				shown = "a secret flag"
			}
			return usagef("-%s needs a value, and was given the flag after it (%s, its value not shown: it may be "+
				"a secret): write -%s VALUE", name, flagLabel(shown), name)
		}
	}
	return nil
}

// flagLabel writes a flag's name with its dash, or a description as it is.
func flagLabel(s string) string {
	if strings.Contains(s, " ") {
		return s
	}
	return "-" + s
}

// isDurationFlag reports whether f takes a time.Duration.
func isDurationFlag(f *flag.Flag) bool {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return false
	}
	_, ok = g.Get().(time.Duration)
	return ok
}

// isBoolFlag reports whether f is a switch, which takes no separate value.
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
