package unionpay

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/threadcpu"
)

// The cases follow java.util.Properties.load's documented syntax.
func TestParseProperties(t *testing.T) {
	t.Parallel()
	p := func(line int, key, value string) property { return property{key: key, value: value, line: line} }
	for _, tc := range []struct {
		name string
		text string
		want []property
	}{
		{"comments and blank lines", "# c\n  ! c\n\n \t\f\na=1\n", []property{p(5, "a", "1")}},
		{"separators", "a=1\nb:2\nc 3\nd\t4\ne\f5\nf = 6\ng : 7\nh   8", []property{
			p(1, "a", "1"), p(2, "b", "2"), p(3, "c", "3"), p(4, "d", "4"), p(5, "e", "5"), p(6, "f", "6"),
			p(7, "g", "7"), p(8, "h", "8")}},
		{"one separator only", "a:=1\nb = = 2\nc==3", []property{p(1, "a", "=1"), p(2, "b", "= 2"), p(3, "c", "=3")}},
		{"key alone", "a\nb=\nc :", []property{p(1, "a", ""), p(2, "b", ""), p(3, "c", "")}},
		{"trailing white space kept", "a=1  \t", []property{p(1, "a", "1  \t")}},
		{"leading white space of the line dropped", "   a=1", []property{p(1, "a", "1")}},
		{"continuation", "a=x\\\n   y\\\n\tz\nb=2", []property{p(1, "a", "xyz"), p(4, "b", "2")}},
		{"continuation CRLF and CR", "a=x\\\r\n  y\r\nb=2\rc=3", []property{p(1, "a", "xy"), p(3, "b", "2"), p(4, "c", "3")}},
		{"blank line ends a continuation", "a=x\\\n   \nb=2", []property{p(1, "a", "x"), p(3, "b", "2")}},
		{"continued line starting with # is content", "a=x\\\n#y", []property{p(1, "a", "x#y")}},
		{"line holding only a backslash", "\\\n#c\n \\\n  ! c \\\nacpsdk.x=1\n\\\n\nb=2", []property{p(5, "acpsdk.x", "1"), p(8, "b", "2")}},
		{"comment is not continued", "# c \\\na=1", []property{p(2, "a", "1")}},
		{"even backslashes do not continue", "a=x\\\\\nb=2", []property{p(1, "a", `x\`), p(2, "b", "2")}},
		{"backslash at the end of the file", "a=x\\", []property{p(1, "a", "x")}},
		{"escaped separators in the key", `a\=b\:c\ d=1`, []property{p(1, "a=b:c d", "1")}},
		{"escaped backslash before a separator", "a\\\\=1\nb\\\\\\=c=2", []property{p(1, `a\`, "1"), p(2, `b\=c`, "2")}},
		{"escapes", `a=\t\n\r\f\q\\\#\!`, []property{p(1, "a", "\t\n\r\f"+`q\#!`)}},
		{"unicode escapes", `a\u0062=\u4e2D\u6587 \uD83D\uDE00`, []property{p(1, "ab", "中文 😀")}},
		{"key given twice", "a=1\na=2", []property{p(1, "a", "1"), p(2, "a", "2")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseProperties(tc.text)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestParsePropertiesMalformedEscape(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, text, key string
		line            int
	}{
		{"value, short", "a=1\nb=\\u12", "b", 2},
		{"value, not hex", "a=1\n\nb=x\\u12g4", "b", 3},
		{"key", "# c\n\\uzzzz=1", "", 2},
		{"continued value", "a=1\nb=x\\\n \\u1", "b", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseProperties(tc.text)
			se, ok := err.(*propertySyntaxError)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.line, se.line)
			assert.Equal(t, tc.key, se.key)
			assert.Contains(t, se.Error(), `malformed \uxxxx escape`)
		})
	}
}

func TestDecodeProperties(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"ASCII", []byte("a=b"), "a=b"},
		{"UTF-8", []byte("# 测试\na=é"), "# 测试\na=é"},
		{"UTF-8 with a byte-order mark", []byte("\xEF\xBB\xBF# c\na=1"), "# c\na=1"},
		{"ISO-8859-1", []byte("# \xB2\xE2\xCA\xD4\na=\xE9"), "# ²âÊÔ\na=é"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, decodeProperties(tc.data))
		})
	}
}

// A file of the largest size LoadJavaConfig reads, one value continued on every line, parses in
// time linear in its length: joined line by line, it took about 30 s (1 MiB of "a\\\n").
// The bound is on the parse's CPU time (where the platform gives it): its wall-clock time under
// -race, with parallel tests and other packages' tests on two cores, came within 1 s of it.
func TestParsePropertiesLongContinuation(t *testing.T) {
	t.Parallel()
	n := (maxPropertiesSize - len("x=")) / len("a\\\n")
	in := "x=" + strings.Repeat("a\\\n", n)
	var props []property
	var err error
	elapsed, _ := threadcpu.Measure(func() { props, err = parseProperties(in) })
	require.NoError(t, err)
	require.Len(t, props, 1)
	assert.Equal(t, strings.Repeat("a", n), props[0].value)
	assert.Less(t, elapsed, 3*time.Second, "quadratic in the number of continued lines")
}
