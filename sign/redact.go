package sign

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/goacp/unionpay/internal/mask"
)

// Masked returns a copy of f, for logs, with the values that may carry card or personal data
// masked: accNo as 6+4 (621626******0018) when it is a card number in clear, "(encrypted)"
// otherwise; customerInfo, encryptedInfo, cardTransData, tokenPayData and qrNo (a payer's
// payment code, which pays until it expires) as "***"; reserved and
// riskRateInfo (the shopper's IP, device, shipping address and mobile; a payee's name) with their
// keys and every value as "***" ({ipAddress=***&...}), "***" when not braced; fileContent
// (a batch result file lists card numbers) by its size, "(N bytes)", and so signature,
// signPubKeyCert and encryptPubKeyCert, which are not secret but would fill ~2 KB of every log
// line (the message verified: what was checked is in the verifier's error, not in the log);
// respMsg and origRespMsg, UnionPay's free text, with any run of 12 digits or more (in any
// script, across spaces, dashes, dots and invisible characters) masked as a card number.
// A key that does not read as a field name (an ASCII letter, then ASCII letters or digits, no two
// digits in a row: every field name of UnionPay's) may hold a value, key=value text given whole as
// a key ("accNo=6216261000000000018", "accNo 6216261000000000018"): it is cut where it stops
// reading as one, "accNo...", or shown as "..." when nothing before reads as one, and its value
// shows as "***"; keys cut to the same text are numbered, "accNo...#1", "accNo...#2" (shorter
// first, then in byte order), so that no field is lost. Field names (merId, orderId, txnAmt...)
// are kept as they are. Masking a masked copy again
// leaves it masked. It is what String, GoString and LogValue show, and what the log forms of the
// unionpay package's requests show of their Extra.
func (f Fields) Masked() Fields {
	if f == nil {
		return nil
	}
	out := make(Fields, len(f))
	var shown map[string]string // built only for a key that is not a field name
	for k, v := range f {
		if mask.IsName(k) {
			out[k] = mask.Field(k, v)
			continue
		}
		if shown == nil {
			shown = mask.Keys(f)
		}
		out[shown[k]] = mask.CutValue(v)
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

// maskBraced masks a braced value ({k=v&k2=v2}) as [Fields.Masked] masks reserved and
// riskRateInfo: the keys kept, every non-empty value "***"; a value not in that form is hidden
// whole. The rule is internal/mask's, shared with the unionpay package.
func maskBraced(v string) string { return mask.Braced(v) }
