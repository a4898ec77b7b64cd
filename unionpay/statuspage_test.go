package unionpay

import (
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// gbk encodes s in GBK, as a Chinese proxy's page may come.
func gbk(t testing.TB, s string) string {
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPageText: what StatusError.Page keeps of an error status's body.
func TestPageText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, body, want string }{
		{"empty", "", ""},
		{"nginx", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", "502 Bad Gateway"},
		{"title in capitals with attributes", `<HTML><HEAD><Title id="t">Access Denied</Title></HEAD></HTML>`, "Access Denied"},
		{"not a title element", "<titlebar>x</titlebar><p>Service busy</p>", "x Service busy"},
		{"empty title: the text", "<html><head><title> </title></head><body><p>Blocked by policy</p></body></html>", "Blocked by policy"},
		{"no title: text without tags, scripts, styles or comments", "<html><head><style>p{color:red}</style>" +
			"<script type=\"text/javascript\">var x = '<p>no</p>';</script></head><body><!-- <b>hidden</b> -->" +
			"<h1>Request&nbsp;blocked</h1>\n\n<p>Support ID: 12345</p></body></html>", "Request blocked Support ID: 12345"},
		{"an unclosed script", "<p>Busy</p><script>document.write('x')", "Busy"},
		{"an unclosed tag", "Busy <p", "Busy"},
		{"plain text", "503 service unavailable\n", "503 service unavailable"},
		{"many tags and indentation before the text", strings.Repeat("<div class=\"x\">\n    ", 600) + "Service busy",
			"Service busy"},
		{"an unclosed title", "<title>Busy<p>try later", "Busy try later"},
		{"a card number in the page", "<p>accNo=6216261000000000018 refused</p>", "accNo=621626******0018 refused"},
		{"a card number in groups", "card 6216 2610 0000 0000 018, phone 13800138000", "card 621626******0018, phone 13800138000"},
		{"a short number stays", "Request ID 12345678901", "Request ID 12345678901"},
		{"the refused address stays", "<title>403 Forbidden: IP 203.119.100.200 is not allowed</title>", "403 Forbidden: IP 203.119.100.200 is not allowed"},
		{"GBK", gbk(t, "<title>访问被拒绝</title>"), "访问被拒绝"},
		{"long text, cut on a character", strings.Repeat("拒", 100), strings.Repeat("拒", 40)},
		{"controls and bidi overrides read as white space", "<title>a\x1b[2Jb\u202ec\u0085d\u009be\x7ff\u2066g</title>", "a [2Jb c d e f g"},
		{"a card number cut by controls", "<p>6216\x002610\u202e0000\x1b0000\x7f018</p>", "621626******0018"},
		{"long ASCII text, cut at maxPage", strings.Repeat("x", 200), strings.Repeat("x", 120)},
		{"long text, cut inside a character", "a" + strings.Repeat("拒", 100), "a" + strings.Repeat("拒", 39)},
		{"title with attributes, not the body's text", `<title lang="en">Denied</title><p>other</p>`, "Denied"},
		{"many tags before the text", strings.Repeat("<p>", 150) + "Busy", "Busy"},
		{"an unclosed comment", "<p>Busy</p><!-- <b>hidden</b>", "Busy"},
		{"a script written <script/>", "<p>Busy</p><script/>var x = 1</script>", "Busy"},
		{"an element named like script", "<scripted>Busy</scripted>", "Busy"},
		{"two numbers around a spaced hyphen stay", "dates 20261127 - 20261128", "dates 20261127 - 20261128"},
	} {
		got := pageText([]byte(tt.body))
		assert.Equal(t, tt.want, got, tt.name)
	}
}

// TestPageTextFullWidthDigits: a card number in full-width digits (U+FF10-U+FF19, as a GB18030 or
// GBK page may write it), or in ASCII and full-width digits mixed, is masked as an ASCII one is,
// grouped by spaces (the ideographic one read as a space), hyphens or full-width hyphens, and
// before the cut to maxPage bytes; a run of 11 (a phone number) is not.
func TestPageTextFullWidthDigits(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, body, want string }{
		{"a card number", "<p>卡号６２１６２６１０００００００００００１８被拒绝</p>", "卡号621626******0018被拒绝"},
		{"in a GBK page", gbk(t, "<title>卡号：６２１６２６１０００００００００００１８</title>"), "卡号：621626******0018"},
		{"ASCII and full-width mixed", "card 6216２６１０00000000０１８ refused", "card 621626******0018 refused"},
		{"in groups by ideographic spaces", "６２１６\u3000２６１０\u3000００００\u3000００００\u3000０１８", "621626******0018"},
		{"in groups by full-width hyphens", "６２１６－２６１０－００００－００００－０１８", "621626******0018"},
		{"in groups by hyphens, mixed", "6216-２６１０-0000－００００-018", "621626******0018"},
		{"as character references", "&#xFF16;&#xFF12;&#xFF11;&#xFF16;261000000000018", "621626******0018"},
		{"12 digits", "ID １２３４５６７８９０１２", "ID ******9012"},
		{"11 digits stay", "电话１３８００１３８０００", "电话１３８００１３８０００"},
		{"a full-width hyphen alone stays", "１２３４５６－", "１２３４５６－"},
		{"masked before the cut", strings.Repeat("拒", 30) + strings.Repeat("６", 30), strings.Repeat("拒", 30) + "666666******6666"},
	} {
		got := pageText([]byte(tt.body))
		assert.Equal(t, tt.want, got, tt.name)
		assert.LessOrEqual(t, len(got), maxPage, tt.name)
	}
}

// TestStatusErrorPageText: the error's text quotes the page, and a redirect's its Location
// only.
func TestStatusErrorPageText(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `HTTP status 403, the page says "Access \x1bDenied"`,
		(&StatusError{StatusCode: 403, Page: "Access \x1bDenied"}).Error())
	assert.Equal(t, "HTTP status 403", (&StatusError{StatusCode: 403}).Error())
	assert.Equal(t, `HTTP status 302, a redirect to "https://portal.example/login" (not followed)`,
		(&StatusError{StatusCode: 302, Location: "https://portal.example/login", Page: "Found"}).Error())
}

// FuzzPageText: whatever the body, the page text is valid UTF-8 of at most maxPage bytes, with
// no white space but single spaces, and shows no run of 12 digits (one space or hyphen between
// them allowed) that a card number could be.
func FuzzPageText(f *testing.F) {
	for _, s := range []string{"", "<title>502 Bad Gateway</title>", "<script>", "<!--", "<title", "<title>",
		"6216261000000000018", "6216 2610 0000 0000 018", "1-2-3-4-5-6-7-8-9-0-1-2", "\xff\xfe<title>\x80</title>",
		"<p>a</p>" + strings.Repeat("9", 200), "６２１６－２６１０　0000-００００ ０１８", "<title>\x1b[2J\u202e</title>", "&#x36;216261000000000018", "<style>x</style >y"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got := pageText(body)
		if !utf8.ValidString(got) || len(got) > maxPage {
			t.Fatalf("pageText(%q) = %q", body, got)
		}
		if got != strings.Join(strings.Fields(got), " ") {
			t.Fatalf("pageText(%q) = %q: white space not collapsed", body, got)
		}
		if i := strings.IndexFunc(got, pageSpace); i >= 0 && got[i] != ' ' {
			t.Fatalf("pageText(%q) = %q: a control or bidi character at %d", body, got, i)
		}
		r := []rune(got)
		digit := func(i int) bool {
			return 0 <= i && i < len(r) && ('0' <= r[i] && r[i] <= '9' || '０' <= r[i] && r[i] <= '９')
		}
		n := 0
		for i, c := range r {
			switch {
			case digit(i):
				n++
			case (c == ' ' || c == '-' || c == '－') && digit(i-1) && digit(i+1):
			default:
				n = 0
			}
			if n >= 12 {
				t.Fatalf("pageText(%q) = %q: a run of %d digits", body, got, n)
			}
		}
	})
}

// TestPageTextHostilePagesCostLinear: a 64 KiB page (the most post reads) built to make the
// reader search again and again (thousands of "<titlex", of empty script elements, of comments,
// of tags) costs a few allocations of the page's size, not one copy of the rest of the page per
// tag: "<titlex" repeated cost 330 MB and a third of a second per error answer.
func TestPageTextHostilePagesCostLinear(t *testing.T) {
	const n = maxDrain
	for _, tt := range []struct{ name, page string }{
		{"<titlex", strings.Repeat("<titlex", n/7)},
		{"empty scripts", strings.Repeat("<script></script>", n/17)},
		{"comments", strings.Repeat("<!---->", n/7)},
		{"nested tags", strings.Repeat("<a>", n/3)},
		{"'<'", strings.Repeat("<", n)},
		{"an open title", "<title " + strings.Repeat("<", n-7)},
		{"full-width digits and hyphens in a title", "<title>" + strings.Repeat("１－", (n-15)/6) + "</title>"},
	} {
		body := []byte(tt.page)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		pageText(body)
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > 16*n {
			t.Errorf("%s: %d bytes allocated for a %d-byte page; budget %d", tt.name, got, n, 16*n)
		}
	}
}
