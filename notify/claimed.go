package notify

import (
	"bytes"
	"log/slog"
	"net/url"
)

// claimedFields are the fields of a rejected message that Handler logs, as the
// message claims them: enough to find the order it is about, nothing sensitive.
var claimedFields = [...]string{"merId", fieldOrderID, fieldTxnTime, fieldTxnType, "queryId"}

// maxClaimed bounds each claimed value logged, in bytes.
const maxClaimed = 40

// claimed returns the group "claimed" of the identity fields that body (a
// message that was refused: its fields are not verified, and may be anyone's)
// says it has, each as its first occurrence says, percent-decoded, cut to
// maxClaimed bytes and with any byte that is not printable ASCII shown as '?',
// so that a forger can neither flood a log nor forge its lines. It is the zero
// Attr when the body names none of them.
func claimed(body []byte) slog.Attr {
	var vals [len(claimedFields)]string
	found := 0
	for rest := body; len(rest) > 0 && found < len(vals); {
		var pair []byte
		pair, rest, _ = bytes.Cut(rest, []byte{'&'})
		key, val, ok := bytes.Cut(pair, []byte{'='})
		if !ok || len(val) == 0 {
			continue
		}
		for i, k := range claimedFields {
			if vals[i] == "" && string(key) == k {
				vals[i] = claimedValue(val)
				found++
				break
			}
		}
	}
	if found == 0 {
		return slog.Attr{}
	}
	attrs := make([]slog.Attr, 0, found)
	for i, v := range vals {
		if v != "" {
			attrs = append(attrs, slog.String(claimedFields[i], v))
		}
	}
	return slog.Attr{Key: "claimed", Value: slog.GroupValue(attrs...)}
}

// claimedValue is raw percent-decoded (as it is, if it does not decode) and
// made safe to log: at most maxClaimed bytes, then "...", and '?' for every
// byte outside printable ASCII.
func claimedValue(raw []byte) string {
	long := len(raw) > 3*maxClaimed
	if long {
		raw = raw[:3*maxClaimed] // enough to decode maxClaimed bytes
	}
	s := string(raw)
	if d, err := url.QueryUnescape(s); err == nil {
		s = d
	}
	b := []byte(s)
	cut := long || len(b) > maxClaimed
	if len(b) > maxClaimed {
		b = b[:maxClaimed]
	}
	for i, c := range b {
		if c <= ' ' || c >= 0x7f {
			b[i] = '?'
		}
	}
	if cut {
		b = append(b, "..."...)
	}
	return string(b)
}

// maxForwarded bounds the X-Forwarded-For chain Handler logs, in bytes: its last ones, which
// the merchant's own proxies appended (its first are whatever the sender claimed).
const maxForwarded = 100

// printableTail is printable(s, max), but keeps the last max bytes ("..." then them).
func printableTail(s string, max int) string {
	if len(s) <= max {
		return printable(s, max)
	}
	return "..." + printable(s[len(s)-max:], max)
}

// printable is s cut to max bytes (then "...") with '?' for every byte
// outside printable ASCII (spaces kept, which claimedValue replaces too).
func printable(s string, max int) string {
	b := []byte(s[:min(len(s), max)])
	for i, c := range b {
		if c < ' ' || c >= 0x7f {
			b[i] = '?'
		}
	}
	if len(s) > max {
		b = append(b, "..."...)
	}
	return string(b)
}
