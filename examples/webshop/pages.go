package main

import (
	"fmt"
	"html/template"
	"net/http"
)

// item is what the shop sells.
type item struct {
	Name  string
	Price int64 // fen
}

var product = item{Name: "龙井茶 Longjing tea, 250 g", Price: 12800}

var funcs = template.FuncMap{"yuan": func(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }}

var productPage = template.Must(template.New("product").Funcs(funcs).Parse(`<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>Tea shop</title></head><body>
<h1 id="product">{{.Name}}</h1><p>Price: <span id="price">{{yuan .Price}}</span> yuan</p>
<form method="post" action="/pay"><input type="hidden" name="channel" value="pc">
<button id="pay-pc" type="submit">Pay with UnionPay (PC)</button></form>
<form method="post" action="/pay"><input type="hidden" name="channel" value="wap">
<button id="pay-wap" type="submit">Pay with UnionPay (mobile)</button></form>
</body></html>
`))

var orderPage = template.Must(template.New("order").Funcs(funcs).Parse(`<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>Order {{.ID}}</title></head><body>
<h1>Order <span id="order">{{.ID}}</span></h1>
<p>{{.Product}}: {{yuan .Amount}} yuan</p>
<p>Status: <span id="status">{{.Status}}</span></p>
{{if eq .Status "pending"}}{{if .Returned}}<p>Your payment is being confirmed with UnionPay.</p>{{end}}
<form method="post" action="/orders/{{.ID}}/query"><button id="check" type="submit">Check with UnionPay</button></form>
{{end}}{{if eq .Status "paid"}}<p>Thank you: UnionPay confirmed the payment (<span id="queryId">{{.QueryID}}</span>).</p>{{end}}
{{if eq .Status "review"}}<p>UnionPay reports a payment that differs from this order; our staff will contact you.</p>{{end}}
</body></html>
`))

var messagePage = template.Must(template.New("message").Parse(`<!DOCTYPE html>
<html><head><meta charset="UTF-8"><title>Tea shop</title></head><body><p id="message">{{.}}</p></body></html>
`))

func render(w http.ResponseWriter, status int, t *template.Template, data any) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(status)
	_ = t.Execute(w, data)
}
