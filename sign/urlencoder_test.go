package sign_test

import (
	"bufio"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
)

// TestEncodeAllBytesLikeJava: for every byte 0-255, Encode's percent-encoding equals
// java.net.URLEncoder's (OpenJDK 17, testdata/java/UE.java: URLEncoder.encode of the ISO-8859-1
// character with that byte), and the body decodes back to the same value with every decoder:
// ParseForm, ParseRequestForm, ParseFormCanonical and net/url (the fake gateway reads requests
// with ParseRequestForm).
func TestEncodeAllBytesLikeJava(t *testing.T) {
	f, err := os.Open("testdata/java/urlencoder-jdk17.txt")
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		num, want, ok := strings.Cut(sc.Text(), " ")
		if !ok || strings.HasPrefix(num, "UTF-8") {
			continue
		}
		b, err := strconv.Atoi(num)
		require.NoError(t, err)
		n++
		v := "x" + string([]byte{byte(b)}) + "y" // a value Prepare would not trim
		body, err := sign.Encode(sign.Fields{"encoding": "UTF-8", "k": v})
		require.NoError(t, err)
		require.Equal(t, "encoding=UTF-8&k=x"+want+"y", body, "byte %#02x", b)

		q, err := url.ParseQuery(body)
		require.NoError(t, err)
		assert.Equal(t, v, q.Get("k"), "net/url, byte %#02x", b)
		for name, parse := range map[string]func(string) (sign.Fields, error){
			"ParseForm": sign.ParseForm, "ParseRequestForm": sign.ParseRequestForm,
			"ParseFormCanonical": func(s string) (sign.Fields, error) {
				got, _, err := sign.ParseFormCanonical([]byte(s), nil)
				return got, err
			},
		} {
			got, err := parse(body)
			if err != nil {
				// A control character or invalid UTF-8 may be refused, never misread.
				t.Logf("%s refuses byte %#02x: %v", name, b, err)
				continue
			}
			assert.Equal(t, v, got["k"], "%s, byte %#02x", name, b)
		}
	}
	require.NoError(t, sc.Err())
	require.Equal(t, 256, n)
}

// TestEncodeCharsLikeJava: whole characters, in UTF-8 and GBK messages, as URLEncoder
// encodes them (the last lines of testdata/java/urlencoder-jdk17.txt).
func TestEncodeCharsLikeJava(t *testing.T) {
	for _, tt := range []struct{ v, utf8, gbk string }{
		{"中文€ *~", "%E4%B8%AD%E6%96%87%E2%82%AC+*%7E", "%D6%D0%CE%C4%A2%E3+*%7E"},
		{"\ue000名", "%EE%80%80%E5%90%8D", "%AA%A1%C3%FB"},
		{"a+b&c=d%e", "a%2Bb%26c%3Dd%25e", "a%2Bb%26c%3Dd%25e"},
	} {
		body, err := sign.Encode(sign.Fields{"encoding": "UTF-8", "v": tt.v})
		require.NoError(t, err)
		assert.Equal(t, "encoding=UTF-8&v="+tt.utf8, body)
		body, err = sign.Encode(sign.Fields{"encoding": "GBK", "v": tt.v})
		require.NoError(t, err)
		assert.Equal(t, "encoding=GBK&v="+tt.gbk, body)
		for _, parse := range []func(string) (sign.Fields, error){sign.ParseRequestForm, sign.ParseForm} {
			got, err := parse(body)
			if err != nil {
				t.Logf("%q: %v", tt.v, err)
				continue
			}
			assert.Equal(t, tt.v, got["v"])
		}
	}
}
