package unionpay_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/leaktest"
	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// rawFieldTypes is every exported type of the package that holds a map of raw fields: a request's
// Extra (fields the SDK does not model), an answer's Raw (every field of the verified answer),
// directly or through an embedded type (Result's Raw). TestRawFieldsMaskedInEveryForm fails when
// the package's source declares such a type that is not listed here, or lists one it does not.
var rawFieldTypes = map[string]any{
	// requests: Extra
	"AccountRequest":    unionpay.AccountRequest{},
	"BatchQueryRequest": unionpay.BatchQueryRequest{},
	"BatchRequest":      unionpay.BatchRequest{},
	"CardRequest":       unionpay.CardRequest{},
	"ConsumeRequest":    unionpay.ConsumeRequest{},
	"FileRequest":       unionpay.FileRequest{},
	"FollowUpRequest":   unionpay.FollowUpRequest{},
	"FrontOpenRequest":  unionpay.FrontOpenRequest{},
	"OpenQueryRequest":  unionpay.OpenQueryRequest{},
	"QRCodeRequest":     unionpay.QRCodeRequest{},
	"QRConsumeRequest":  unionpay.QRConsumeRequest{},
	"QueryRequest":      unionpay.QueryRequest{},
	"TokenRequest":      unionpay.TokenRequest{},
	// answers: Raw
	"AppResult":    unionpay.AppResult{},
	"BatchResult":  unionpay.BatchResult{},
	"BatchStatus":  unionpay.BatchStatus{},
	"File":         unionpay.File{},
	"OpenResult":   unionpay.OpenResult{},
	"OpenStatus":   unionpay.OpenStatus{},
	"QRCodeResult": unionpay.QRCodeResult{},
	"Result":       unionpay.Result{},
	"Transaction":  unionpay.Transaction{},
}

// rawFieldTypesInSource returns, from the package's source (its non-test files), each exported
// struct type with a field named Extra or Raw, its own or an embedded type's, and that field's
// name.
func rawFieldTypesInSource(t *testing.T) map[string]string {
	t.Helper()
	type decl struct {
		field  string   // "Extra" or "Raw", "" if none of its own
		embeds []string // the package's types it embeds, or is defined from
	}
	decls := map[string]decl{}
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				ts := s.(*ast.TypeSpec)
				var dc decl
				switch typ := ts.Type.(type) {
				case *ast.Ident: // type T U
					dc.embeds = append(dc.embeds, typ.Name)
				case *ast.StructType:
					for _, fl := range typ.Fields.List {
						if len(fl.Names) == 0 {
							x := fl.Type
							if star, ok := x.(*ast.StarExpr); ok {
								x = star.X
							}
							if id, ok := x.(*ast.Ident); ok {
								dc.embeds = append(dc.embeds, id.Name)
							}
						}
						for _, n := range fl.Names {
							if n.Name == "Extra" || n.Name == "Raw" {
								dc.field = n.Name
							}
						}
					}
				}
				decls[ts.Name.Name] = dc
			}
		}
	}
	require.NotEmpty(t, decls, "the package's source")
	var fieldOf func(name string, depth int) string
	fieldOf = func(name string, depth int) string {
		dc := decls[name]
		if dc.field != "" || depth > 8 {
			return dc.field
		}
		for _, e := range dc.embeds {
			if f := fieldOf(e, depth+1); f != "" {
				return f
			}
		}
		return ""
	}
	out := map[string]string{}
	for name := range decls {
		if f := fieldOf(name, 0); f != "" && ast.IsExported(name) {
			out[name] = f
		}
	}
	return out
}

// TestRawFieldsMaskedInEveryForm: every type holding a map of raw fields (a request's Extra, an
// answer's Raw) shows it, masked by the one rule (sign.Fields.Masked: accNo as 6+4,
// customerInfo as "***"), in every form a log line takes: String, fmt's %v, %+v, %#v and %s,
// json.Marshal, slog's JSON and text handlers, each by value and by pointer. The card number
// masked shows in each; the card number, the CVN2 and the expiry in clear in none, nor in any of
// leaktest's renderings (nested in structs, slices, maps; %q, %x). CardRequest, AccountRequest,
// ConsumeRequest, FrontOpenRequest and BatchRequest left Extra out of String (and so of %v, %+v,
// %#v and slog's text handler given a value) while their JSON and LogValue showed it; they also
// left out fields their JSON shows (ReqReserved; AccountRequest's BackURL; ConsumeRequest's
// Installments, InstallmentCount, PayTimeout, OrderDesc and IssInsCode), which String now names
// as every field JSON names.
func TestRawFieldsMaskedInEveryForm(t *testing.T) {
	t.Parallel()
	const (
		cardNo = "6216261000000000018"
		masked = "621626******0018"
		cvn2   = "741"
		expiry = "3309"
	)
	raw := func() sign.Fields {
		return sign.Fields{"accNo": cardNo, "customerInfo": "{cvn2=" + cvn2 + "&expired=" + expiry + "}"}
	}

	inSource := rawFieldTypesInSource(t)
	for name, field := range inSource {
		assert.Contains(t, rawFieldTypes, name, "%s has %s: add it to rawFieldTypes", name, field)
	}
	for name := range rawFieldTypes {
		assert.Contains(t, inSource, name, "%s, listed in rawFieldTypes, has no Extra or Raw in the source", name)
	}

	for name, zero := range rawFieldTypes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			typ := reflect.TypeOf(zero)
			require.Equal(t, name, typ.Name())
			p := reflect.New(typ)
			field := p.Elem().FieldByName(inSource[name])
			require.True(t, field.IsValid() && field.CanSet(), "%s.%s", name, inSource[name])
			field.Set(reflect.ValueOf(raw()))
			ptr, val := p.Interface(), p.Elem().Interface()

			s, ok := val.(fmt.Stringer)
			require.True(t, ok, "%s has no String method", name)
			forms := map[string]string{"String()": s.String()}
			for how, v := range map[string]any{"value": val, "pointer": ptr} {
				for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
					forms["fmt "+verb+" "+how] = fmt.Sprintf(verb, v)
				}
				b, err := json.Marshal(v)
				require.NoError(t, err)
				forms["json.Marshal "+how] = string(b)
				var js, txt bytes.Buffer
				slog.New(slog.NewJSONHandler(&js, logtest.Untimed())).Info("m", "v", v)
				slog.New(slog.NewTextHandler(&txt, logtest.Untimed())).Info("m", "v", v)
				forms["slog JSON "+how], forms["slog text "+how] = js.String(), txt.String()
			}
			for _, form := range slices.Sorted(maps.Keys(forms)) {
				out := forms[form]
				assert.Contains(t, out, masked, "%s: %s does not show the masked card number: %s", name, form, out)
				for _, secret := range []string{cardNo, cvn2, expiry} {
					if shows, how := leaktest.Shows(out, secret); shows {
						t.Errorf("%s: %s shows %q (%s): %s", name, form, secret, how, out)
					}
				}
			}
			if leaks := leaktest.Find(val, cardNo, cvn2, expiry); len(leaks) > 0 {
				t.Errorf("%d renderings show card data, among them:\n%s", len(leaks), firstLines(leaktest.Summary(leaks), 8))
			}

			// String names every field its JSON does.
			var keys map[string]json.RawMessage
			require.NoError(t, json.Unmarshal([]byte(forms["json.Marshal value"]), &keys))
			for k := range keys {
				assert.Contains(t, forms["String()"], k+":", "%s: String leaves out %s, which its JSON shows", name, k)
			}
		})
	}
}

// TestStringNamesEveryJSONField: the parts of a request that have no map of raw fields (and so no
// place in TestRawFieldsMaskedInEveryForm) name in String every field their JSON shows, masked as
// JSON masks it. BatchRecord's String (and so BatchRequest's Records) left out Currency, BizType,
// IDType and Postscript.
func TestStringNamesEveryJSONField(t *testing.T) {
	t.Parallel()
	for name, v := range map[string]any{
		"BatchRecord": unionpay.BatchRecord{OrderID: "ORDER0001", Currency: "156", Amount: 100, AccType: "01",
			AccNo: "6216261000000000018", CustomerName: "张三丰", BizType: "000401", IDType: "01",
			IDNumber: "110101199003077777", Phone: "13552535506", Postscript: "salary"},
		"Customer": unionpay.Customer{IDType: "01", IDNumber: "110101199003077777", Name: "张三丰",
			Phone: "13552535506", SMSCode: "864209", PIN: "482913", CVN2: "741", Expiry: "3309"},
	} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		var fields map[string]any
		require.NoError(t, json.Unmarshal(b, &fields))
		s := fmt.Sprint(v)
		for k, jv := range fields {
			assert.Contains(t, s, fmt.Sprintf("%s:%v", k, jv), "%s: String shows %s as JSON does", name, k)
		}
		if leaks := leaktest.Find(v, "6216261000000000018", "110101199003077777", "13552535506", "864209", "482913", "741", "3309"); len(leaks) > 0 {
			t.Errorf("%s: %d renderings show secrets, among them:\n%s", name, len(leaks), firstLines(leaktest.Summary(leaks), 8))
		}
	}
}
