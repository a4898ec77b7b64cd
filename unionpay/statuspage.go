package unionpay

import (
	"bytes"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/goacp/unionpay/internal/pan"
)

// maxPage bounds StatusError.Page, in bytes.
const maxPage = 120

// pageText reads an error status's body as StatusError.Page describes: the <title>, or the
// opening of the text without tags (scripts, styles and comments skipped), entities decoded, white
// space, controls and bidirectional controls collapsed to one space (pageSpace), runs of 12 or
// more digits masked, cut to maxPage bytes on a character boundary.
func pageText(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if !utf8.Valid(b) {
		if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil && utf8.Valid(d) {
			b = d
		} else {
			b = []byte(strings.ToValidUTF8(string(b), "\uFFFD"))
		}
	}
	l := lowerASCII(b) // made once: both readers search it
	text := title(b, l)
	if text == "" {
		text = stripTags(b, l)
	}
	text = strings.Join(strings.FieldsFunc(html.UnescapeString(text), pageSpace), " ")
	text = pan.MaskRuns(text)
	if len(text) > maxPage {
		n := maxPage
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text = strings.TrimRight(text[:n], " ")
	}
	return text
}

// lowerASCII is b with A-Z lowered, byte for byte (so offsets in it are offsets in b).
func lowerASCII(b []byte) []byte {
	l := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		l[i] = c
	}
	return l
}

// title is the text of b's first <title> element, "" when it has none, an empty one or an unclosed
// one; l is lowerASCII(b).
func title(b, l []byte) string {
	for from := 0; ; {
		i := indexFrom(l, "<title", from)
		if i < 0 {
			return ""
		}
		from = i + len("<title")
		if from < len(l) && l[from] != '>' && !isSpace(l[from]) {
			continue // <titlefoo>
		}
		open := indexFrom(l, ">", from)
		if open < 0 {
			return ""
		}
		end := indexFrom(l, "</title", open)
		if end < 0 {
			return "" // unclosed: what follows is markup, not a title (stripTags reads the page)
		}
		return strings.TrimSpace(string(b[open+1 : end]))
	}
}

// stripTags is b's text outside tags, each tag read as a space, without the content of script and
// style elements or comments, stopping once it has enough for maxPage: 2*maxPage bytes other than
// white space (the tags and indentation before a page's text, however many, do not count); l is
// lowerASCII(b).
func stripTags(b, l []byte) string {
	var out strings.Builder
	for i, text := 0, 0; i < len(b) && text < 2*maxPage; {
		if b[i] != '<' {
			j := indexFrom(l, "<", i)
			if j < 0 {
				j = len(b)
			}
			out.Write(b[i:j])
			for _, c := range b[i:j] {
				if !isSpace(c) {
					text++
				}
			}
			i = j
			continue
		}
		out.WriteByte(' ')
		if strings.HasPrefix(string(l[i:min(len(l), i+4)]), "<!--") {
			if end := indexFrom(l, "-->", i+4); end >= 0 {
				i = end + len("-->")
			} else {
				i = len(b)
			}
			continue
		}
		gt := indexFrom(l, ">", i)
		if gt < 0 {
			break
		}
		for _, el := range [...]string{"script", "style"} { // their content is not the page's text
			tag := l[i+1 : gt]
			if len(tag) >= len(el) && string(tag[:len(el)]) == el && (len(tag) == len(el) || isSpace(tag[len(el)]) || tag[len(el)] == '/') {
				end := indexFrom(l, "</"+el, gt)
				gt = len(b) - 1 // unclosed: the rest is its content
				if end >= 0 {
					if e := indexFrom(l, ">", end); e >= 0 {
						gt = e
					}
				}
				break
			}
		}
		i = gt + 1
	}
	return out.String()
}

// indexFrom is the index of sub in b at or after from, or -1. It searches b in place: a copy of
// the rest of b per search made a page of thousands of tags cost its size squared.
func indexFrom(b []byte, sub string, from int) int {
	if from > len(b) {
		return -1
	}
	i := bytes.Index(b[from:], []byte(sub))
	if i < 0 {
		return -1
	}
	return from + i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// pageSpace reports whether r is read as white space in a page's text: white space, and a
// control (C0, DEL, C1) or bidirectional control, which no person reads and which could move a
// terminal's cursor or reorder what a log shows.
func pageSpace(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}
