package unionpaytest

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"regexp"

	"github.com/goacp/unionpay/sign"
)

// formInputRE is a hidden input of the page unionpay.Form.HTML writes.
var formInputRE = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)

// FormFields returns the signed fields of a front form's auto-submitting page, as
// unionpay.Form.HTML writes it and Form.ServeHTTP serves it, for Pay: a test can call the shop's
// own checkout route, read the page it answered, and pay that, as the shopper's browser would.
// A GBK page (Config.Encoding "GBK") is read in GBK, as its meta element declares. A page that
// is not such a form, an error page say, is an error that quotes none of it.
func FormFields(page []byte) (sign.Fields, error) {
	if !bytes.Contains(page, []byte(`<form id="pay_form" `)) {
		return nil, errors.New("unionpaytest: not a front form page (unionpay.Form.HTML)")
	}
	text := string(page)
	if bytes.Contains(page, []byte(`charset=GBK"`)) {
		var err error
		if text, err = sign.DecodeBody(page, "GBK"); err != nil {
			return nil, fmt.Errorf("unionpaytest: front form page: %w", err)
		}
	}
	inputs := formInputRE.FindAllStringSubmatch(text, -1)
	if inputs == nil {
		return nil, errors.New("unionpaytest: front form page holds no field")
	}
	fields := make(sign.Fields, len(inputs))
	for _, in := range inputs {
		fields[html.UnescapeString(in[1])] = html.UnescapeString(in[2])
	}
	return fields, nil
}
