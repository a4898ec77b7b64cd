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
// Masking a masked copy again
// leaves it masked. It is what String, GoString and LogValue show, and what the log forms of the
// unionpay package's requests show of their Extra.
func (f Fields) Masked() Fields {
	if f == nil {
		return nil
	}
	out := make(Fields, len(f))
	for k, v := range f {
		out[k] = mask.Field(k, v)
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
