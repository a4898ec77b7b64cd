package sign

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/goacp/unionpay/internal/pan"
)

// Masked returns a copy of f, for logs, with the values that may carry card or personal data
// masked: accNo as 6+4 (621626******0018) when it is a card number in clear, "(encrypted)"
// otherwise; customerInfo, encryptedInfo, cardTransData and tokenPayData as "***"; reserved and
// riskRateInfo (the shopper's IP, device, shipping address and mobile; a payee's name) with their
// keys and every value as "***" ({ipAddress=***&...}), "***" when not braced; fileContent
// (a batch result file lists card numbers) by its size, "(N bytes)". Masking a masked copy again
// leaves it masked. It is what String, GoString and LogValue show.
func (f Fields) Masked() Fields {
	if f == nil {
		return nil
	}
	out := make(Fields, len(f))
	for k, v := range f {
		if v != "" {
			switch k {
			case "accNo":
				v = pan.MaskAccNo(v)
			case "customerInfo", "encryptedInfo", "cardTransData", "tokenPayData":
				v = "***"
			case "reserved", "riskRateInfo":
				v = maskBraced(v)
			case "fileContent":
				if !isSizeText(v) { // already masked
					v = fmt.Sprintf("(%d bytes)", len(v))
				}
			}
		}
		out[k] = v
	}
	return out
}

// String shows f as [Fields.Masked] masks it, so that a message (the Raw of a notification or an
// answer) can be printed or logged whole: fmt's %v and %+v call it. The map itself is untouched
// (read its values programmatically), and so is its JSON (json.Marshal), which is a storage form,
// not a log form.
func (f Fields) String() string { return fmt.Sprint(map[string]string(f.Masked())) }

// GoString is String in Go syntax, so that %#v masks too.
func (f Fields) GoString() string {
	return "sign.Fields" + strings.TrimPrefix(fmt.Sprintf("%#v", map[string]string(f.Masked())), "map[string]string")
}

// LogValue implements slog.LogValuer: f as [Fields.Masked] masks it, with slog's text and JSON
// handlers alike.
func (f Fields) LogValue() slog.Value {
	if f == nil {
		return slog.AnyValue(nil)
	}
	return slog.AnyValue(map[string]string(f.Masked()))
}

// maskBraced masks a braced value ({k=v&k2=v2}): the keys kept, every non-empty value "***". A
// value not in that form is hidden whole.
func maskBraced(v string) string {
	if v == "" {
		return ""
	}
	inner, ok := strings.CutPrefix(v, "{")
	inner, ok2 := strings.CutSuffix(inner, "}")
	if !ok || !ok2 {
		return "***"
	}
	pairs := strings.Split(inner, "&")
	for i, p := range pairs {
		k, val, found := strings.Cut(p, "=")
		switch {
		case !found && p != "":
			pairs[i] = "***"
		case val != "":
			pairs[i] = k + "=***"
		}
	}
	return "{" + strings.Join(pairs, "&") + "}"
}

// isSizeText reports whether v reads "(N bytes)", a fileContent Masked has already masked.
func isSizeText(v string) bool {
	n, ok := strings.CutPrefix(v, "(")
	n, ok2 := strings.CutSuffix(n, " bytes)")
	if !ok || !ok2 || n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}
