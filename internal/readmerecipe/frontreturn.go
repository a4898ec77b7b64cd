package readmerecipe

import (
	"log/slog"
	"net/http"
	"net/url"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/notify"
)

// FrontReturn is README.md's FrontReturn, served at /unionpay/return/{order} for any method:
// see the README for its contract.
func FrontReturn(v *cert.Verifier, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		order := r.PathValue("order") // from this shop's own FrontURL, not from the return's fields
		if r.Method == http.MethodPost {
			if _, err := notify.ReadRequest(w, r, v, 0); err != nil {
				log.WarnContext(r.Context(), "unionpay: front return refused", "order", order, "err", err)
			}
		}
		http.Redirect(w, r, "/orders/"+url.PathEscape(order), http.StatusSeeOther) // the stored state
	})
}
