package sign_test

import (
	"errors"
	"maps"
	"strconv"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// maxFieldsDefect is the one fault FuzzMaxFields may put into a body at a
// pair it chooses.
type maxFieldsDefect int

const (
	defectNone        maxFieldsDefect = iota
	defectRepeatedKey                 // the pair repeats pair 0's key
	defectEmptyKey                    // "=1": refused by both formats
	defectBadEscape                   // "%zz" in the value: a form refuses it, raw text keeps it
	defectCount
)

// maxFieldsValues are the values of FuzzMaxFields' pairs as written, then as a form decodes them.
var maxFieldsValues = [...][2]string{{"", ""}, {"1", "1"}, {"%41", "A"}, {"+", " "}, {"{x}", "{x}"}, {"[y]", "[y]"}}

// maxFieldsBody builds from data a body of count pairs k<i>=<value>, every key distinct,
// straddling sign.MaxFields, for ParseRaw and the form parsers alike: values are empty, "1",
// "%41", "+", "{x}" or "[y]", chosen by data's bytes, and pair 0's key is long (past the 64 bytes
// an error quotes) when data asks. One defect may be put at pair at. It returns the body, where
// each pair starts, and the fields the raw and form readings give when the body has no defect
// and at most sign.MaxFields pairs.
func maxFieldsBody(count int, data []byte, defect maxFieldsDefect, at int) (body string, starts []int, raw, form sign.Fields) {
	var b strings.Builder
	raw, form = sign.Fields{}, sign.Fields{}
	key0 := "k0"
	if len(data) > 0 && data[0]&1 == 1 {
		key0 += strings.Repeat("y", 64+int(data[0]))
	}
	for i := range count {
		if i > 0 {
			b.WriteByte('&')
		}
		starts = append(starts, b.Len())
		key := "k" + strconv.FormatInt(int64(i), 16)
		if i == 0 {
			key = key0
		}
		var sel byte
		if len(data) > 0 {
			sel = data[i%len(data)] >> 1
		}
		value, decoded := maxFieldsValues[sel%6][0], maxFieldsValues[sel%6][1]
		if i == at {
			switch defect {
			case defectRepeatedKey:
				key = key0
			case defectEmptyKey:
				key = ""
			case defectBadEscape:
				value = "%zz"
			}
		}
		b.WriteString(key + "=" + value)
		raw[key] = value
		if decoded != "" {
			form[key] = decoded
		}
	}
	return b.String(), starts, raw, form
}

// FuzzMaxFields checks sign.MaxFields on bodies of 1016 to 1032 pairs, which the byte-level
// targets (FuzzParseRaw, FuzzParseForm) never grow to: ParseRaw and the four form parsers
// (ParseForm, ParseRequestForm, ParseFormCanonical, ValueCache.ParseFormCanonical) read a body
// of at most MaxFields pairs whole, and refuse one with more, at the pair past the limit, with a
// *ParseError matching ErrTooManyFields, unless a defect in an earlier pair is found first (or, a
// repeated key, a form's decoding finds only afterwards). Whatever the body: fields xor an
// error, never more than MaxFields fields, an error that matches ErrMalformed with a position in
// the body, and whose text stays short though a key it names is long.
func FuzzMaxFields(f *testing.F) {
	for _, n := range []uint16{7, 8, 9, 0, 16} { // MaxFields-1, MaxFields, MaxFields+1, the least, the most
		f.Add(n, []byte{0, 2, 4, 6, 8, 10}, uint8(defectNone), uint16(0))
		f.Add(n, []byte{1}, uint8(defectRepeatedKey), uint16(sign.MaxFields))
		f.Add(n, []byte{3, 2}, uint8(defectRepeatedKey), uint16(sign.MaxFields-1))
		f.Add(n, []byte{2}, uint8(defectEmptyKey), uint16(sign.MaxFields-1))
		f.Add(n, []byte{2}, uint8(defectBadEscape), uint16(sign.MaxFields))
	}
	f.Fuzz(func(t *testing.T, n uint16, data []byte, defectByte uint8, at uint16) {
		count := sign.MaxFields - 8 + int(n%17)
		defect := maxFieldsDefect(defectByte) % defectCount
		pos := int(at) % (count + 1) // count: no pair has the defect
		body, starts, wantRaw, wantForm := maxFieldsBody(count, data, defect, pos)
		if pos == count || defect == defectRepeatedKey && pos == 0 { // pair 0 repeats no key
			defect = defectNone
		}
		for _, p := range maxFieldsParsers {
			fields, err := p.parse(body)
			isRaw := strings.HasPrefix(p.name, "ParseRaw")
			if err != nil {
				var pe *sign.ParseError
				if fields != nil || !errors.Is(err, sign.ErrMalformed) || !errors.As(err, &pe) || pe.Pos < 0 || pe.Pos > len(body) {
					t.Fatalf("%s: fields %d, error %v (%T): want no fields and a *ParseError within the body matching ErrMalformed",
						p.name, len(fields), err, err)
				}
				if len(err.Error()) > 300 {
					t.Fatalf("%s: error of %d bytes: %.400s", p.name, len(err.Error()), err)
				}
			} else if len(fields) > sign.MaxFields {
				t.Fatalf("%s: %d fields, more than MaxFields", p.name, len(fields))
			}

			// An earlier defect is found first, if the parser looks for it while reading pairs.
			earlier := defect != defectNone && pos < sign.MaxFields &&
				(defect == defectEmptyKey || defect == defectBadEscape && !isRaw || defect == defectRepeatedKey && isRaw)
			harmless := defect == defectNone || defect == defectBadEscape && isRaw
			switch {
			case earlier:
				if err == nil || errors.Is(err, sign.ErrTooManyFields) {
					t.Fatalf("%s: %d pairs, defect %d at pair %d: %v; want the defect's error", p.name, count, defect, pos, err)
				}
			case count > sign.MaxFields:
				var pe *sign.ParseError
				if !errors.Is(err, sign.ErrTooManyFields) || !errors.As(err, &pe) || pe.Pos != starts[sign.MaxFields] {
					t.Fatalf("%s: %d pairs, defect %d at pair %d: %v; want ErrTooManyFields at byte %d",
						p.name, count, defect, pos, err, starts[sign.MaxFields])
				}
			case harmless:
				want := wantForm
				if isRaw {
					want = wantRaw
				}
				if err != nil || !maps.Equal(fields, want) {
					t.Fatalf("%s: %d pairs, defect %d at pair %d: %d fields, %v; want %d fields", p.name, count, defect, pos, len(fields), err, len(want))
				}
			default: // a repeated key the form parsers find once the pairs are read
				if err == nil || errors.Is(err, sign.ErrTooManyFields) {
					t.Fatalf("%s: %d pairs, defect %d at pair %d: %v; want the defect's error", p.name, count, defect, pos, err)
				}
			}
		}
	})
}
