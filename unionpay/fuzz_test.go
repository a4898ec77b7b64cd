package unionpay_test

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"io"
	"math"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// FuzzDecodeFileContent fuzzes the bytes of a file and the limit, as delta
// from the file's length (so both sides of it, and the boundary, are
// reached; math.MaxInt16 stands for a limit of math.MaxInt64). The file is
// encoded with EncodeFileContent, its base64 broken into lines as wrap
// says (0: one line; otherwise every wrap>>1+1 characters, with CR LF or,
// for odd wrap, LF); DecodeFileContent must then return exactly the bytes
// when they fit the limit, an error matching ErrFileTooLarge when they do
// not, and an error for a limit that is not positive. The same bytes are
// also decoded as a fileContent as they are: whatever they hold, the
// answer must be what inflateOracle, a decoder built otherwise (a streaming
// base64 decoder, the zlib header and Adler-32 trailer checked by hand
// around compress/flate, no output limit), makes of them: a valid file
// within the limit is returned exactly, a valid file over it is an error
// matching ErrFileTooLarge, anything else is an error; never more than the
// limit, and every error is the package's.
func FuzzDecodeFileContent(f *testing.F) {
	f.Add([]byte("对账 row\n"), int16(0), byte(150))
	f.Add(bytes.Repeat([]byte{0}, 10000), int16(-1), byte(0))
	f.Add(bytes.Repeat([]byte{0}, 10000), int16(0), byte(1))
	f.Add([]byte{}, int16(0), byte(0))
	f.Add([]byte("x"), int16(-1), byte(0))
	f.Add([]byte("hello"), int16(math.MaxInt16), byte(2))
	f.Add([]byte("eJwDAAAAAAE="), int16(0), byte(0))
	f.Add([]byte("eJwDAAAA\r\nAAE=\r\n"), int16(0), byte(0))
	f.Add([]byte("@@"), int16(4), byte(0))
	f.Fuzz(func(t *testing.T, data []byte, delta int16, wrap byte) {
		limit := int64(len(data)) + int64(delta)
		if delta == math.MaxInt16 {
			limit = math.MaxInt64
		}

		encoded := wrapLines(unionpay.EncodeFileContent(data), wrap)
		out, err := unionpay.DecodeFileContent(encoded, limit)
		switch {
		case limit <= 0:
			if err == nil || out != nil {
				t.Fatalf("limit %d: %d bytes, %v; want an error", limit, len(out), err)
			}
		case int64(len(data)) > limit:
			if !errors.Is(err, unionpay.ErrFileTooLarge) || out != nil {
				t.Fatalf("%d bytes at limit %d: %d bytes, %v; want an error matching ErrFileTooLarge", len(data), limit, len(out), err)
			}
		default:
			if err != nil || !bytes.Equal(out, data) {
				t.Fatalf("%d bytes at limit %d, wrap %d: got %d bytes (equal %v), %v", len(data), limit, wrap, len(out), bytes.Equal(out, data), err)
			}
		}
		checkErrorShape(t, err)

		// The input as a fileContent itself.
		out, err = unionpay.DecodeFileContent(string(data), limit)
		checkErrorShape(t, err)
		if err != nil {
			if out != nil {
				t.Fatalf("%d bytes returned with the error %v", len(out), err)
			}
		} else if int64(len(out)) > limit {
			t.Fatalf("decoded %d bytes past the %d limit", len(out), limit)
		}
		if limit <= 0 {
			if err == nil {
				t.Fatalf("limit %d accepted", limit)
			}
			return
		}
		want, over, wantErr := inflateOracle(string(data))
		switch {
		case over:
			if limit <= oracleMaxOutput && err == nil {
				t.Fatalf("DecodeFileContent(%q, %d) = %d bytes; it inflates past %d bytes", data, limit, len(out), oracleMaxOutput)
			}
		case wantErr != nil:
			if err == nil {
				t.Fatalf("DecodeFileContent(%q, %d) = %q; want an error like %v", data, limit, out, wantErr)
			}
		case int64(len(want)) > limit:
			if !errors.Is(err, unionpay.ErrFileTooLarge) {
				t.Fatalf("DecodeFileContent(%q, %d) = %d bytes, %v; it inflates to %d bytes", data, limit, len(out), err, len(want))
			}
		case err != nil || !bytes.Equal(out, want):
			t.Fatalf("DecodeFileContent(%q, %d) = %q, %v; want %q", data, limit, out, err, want)
		}
	})
}

// checkErrorShape fails for an error that is not the package's.
func checkErrorShape(t *testing.T, err error) {
	t.Helper()
	if err != nil && !strings.HasPrefix(err.Error(), "unionpay: ") {
		t.Fatalf("error %q does not start with the package name", err)
	}
}

// wrapLines breaks s into lines as FuzzDecodeFileContent's wrap says.
func wrapLines(s string, wrap byte) string {
	if wrap == 0 {
		return s
	}
	n, eol := int(wrap>>1)+1, "\r\n"
	if wrap&1 == 1 {
		eol = "\n"
	}
	var sb strings.Builder
	for len(s) > n {
		sb.WriteString(s[:n] + eol)
		s = s[n:]
	}
	sb.WriteString(s + eol)
	return sb.String()
}

// oracleMaxOutput bounds what inflateOracle inflates; a fuzz input never
// comes near it.
const oracleMaxOutput = 64 << 20

// inflateOracle decodes a fileContent as UnionPay describes it (base64 of a
// zlib stream, RFC 1950, line breaks ignored), without DecodeFileContent's
// steps: base64 through encoding/base64's streaming decoder over b64Text;
// the zlib header checked here (CM 8, CINFO at most 7, FCHECK, and no
// preset dictionary but the empty one: with FDICT, the DICTID must be the
// empty string's Adler-32, 1); the deflate data inflated by compress/flate;
// and the Adler-32 trailer after it checked here with hash/adler32. Bytes
// after the trailer are ignored, as zlib readers (Java's Inflater, Go's
// zlib) ignore them. over reports more than oracleMaxOutput bytes.
func inflateOracle(s string) (out []byte, over bool, err error) {
	z, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, &b64Text{s: s}))
	if err != nil {
		return nil, false, err
	}
	if len(z) < 2 {
		return nil, false, errors.New("no zlib header")
	}
	cmf, flg := z[0], z[1]
	if cmf&0x0f != 8 || cmf>>4 > 7 || (uint(cmf)<<8|uint(flg))%31 != 0 {
		return nil, false, fmt.Errorf("zlib header %02x %02x", cmf, flg)
	}
	z = z[2:]
	if flg&0x20 != 0 {
		if len(z) < 4 || binary.BigEndian.Uint32(z) != 1 {
			return nil, false, errors.New("zlib stream needs a preset dictionary")
		}
		z = z[4:]
	}
	rest := bytes.NewReader(z) // an io.ByteReader: flate reads no byte past the deflate data
	fr := flate.NewReader(rest)
	buf := make([]byte, 32<<10)
	for {
		n, err := fr.Read(buf)
		out = append(out, buf[:n]...)
		if len(out) > oracleMaxOutput {
			return nil, true, nil
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false, err
		}
	}
	var trailer [4]byte
	if _, err := io.ReadFull(rest, trailer[:]); err != nil {
		return nil, false, fmt.Errorf("Adler-32 trailer: %w", err)
	}
	if got, want := binary.BigEndian.Uint32(trailer[:]), adler32.Checksum(out); got != want {
		return nil, false, fmt.Errorf("Adler-32 %08x, the data's is %08x", got, want)
	}
	return out, false, nil
}

// b64Text reads s without its CR and LF bytes, and fails at a character
// after a '=' that is not '=' itself: padding ends base64 text (RFC 4648),
// which the streaming decoder, decoding a chunk at a time, does not check
// across chunks.
type b64Text struct {
	s   string
	pad bool
}

func (r *b64Text) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && r.s != "" {
		c := r.s[0]
		r.s = r.s[1:]
		switch {
		case c == '\r' || c == '\n':
			continue
		case c == '=':
			r.pad = true
		case r.pad:
			return n, errors.New("base64 text after its padding")
		}
		p[n] = c
		n++
	}
	if n == 0 && r.s == "" {
		return 0, io.EOF
	}
	return n, nil
}

// answerTransport answers every request with the fields build makes of it, signed with the
// test secure key and rendered in the raw format; it records nothing.
type answerTransport struct {
	build func(req sign.Fields) sign.Fields
	raw   string // when not empty: sent as it is
}

func (a *answerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	req, err := sign.ParseRequestForm(string(body))
	if err != nil {
		return nil, err
	}
	out := a.raw
	if out == "" {
		f := a.build(req)
		s, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte(testKey))
		if err != nil {
			return nil, err
		}
		if err := sign.Sign(s, f); err != nil {
			// an unsigned answer: it must be refused
			delete(f, "signature")
		}
		keys := make([]string, 0, len(f))
		for k := range f {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + f[k]
		}
		out = strings.Join(parts, "&")
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(out)),
		Request: r, ContentLength: int64(len(out))}, nil
}

const fuzzMaxFile = 1 << 12

// FuzzAnswer: a verified answer, whatever its fields, to a query, a file download or a batch
// query, is read without a panic; a query read as Succeeded comes from respCode 00 and
// origRespCode 00 or A6 and carries the orderId asked about, the txnType and amount asked
// about when the answer names them, an amount and txnTime of digits only; a downloaded file and
// a batch result are named with a local file name and never exceed MaxFileBytes; a query's error
// is at most 2,048 bytes of text. extra holds the answer's other fields in the raw format
// ("k=v&..."; a key "-k" removes k).
func FuzzAnswer(f *testing.F) {
	f.Add(byte(0), "00", "00", "100", "", "")
	f.Add(byte(0), "00", "A6", "+100", "", "txnTime=20240105103000&txnType=01")
	f.Add(byte(0), "00", "03", "100", "", "-txnTime&settleAmt=-0")
	f.Add(byte(0), "34", "", "", "", "bizType=000401")
	f.Add(byte(1), "00", "", "", "hello", "fileName=777290058110048_20240104.zip")
	f.Add(byte(1), "00", "", "", "", "fileName=../x&fileContent=eJwDAAAAAAE=")
	f.Add(byte(2), "00", "", "", "abc|def", "fileName=a.txt")
	f.Add(byte(2), "05", "", "", "", "-batchNo")
	// A query answer of sign.MaxFields pairs (16 of them answerTo's), read; one of a pair more, refused.
	for _, n := range []int{sign.MaxFields - 16, sign.MaxFields - 15} {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "&z%x=1", i)
		}
		f.Add(byte(0), "00", "00", "100", "", b.String()[1:])
	}
	cfg := testConfig(f, "http://127.0.0.1:1")
	tr := &answerTransport{}
	cfg.HTTPClient = &http.Client{Transport: tr}
	cfg.MaxFileBytes = fuzzMaxFile
	c, err := unionpay.NewClient(cfg)
	if err != nil {
		f.Fatal(err)
	}
	day := time.Date(2024, 1, 4, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	f.Fuzz(func(t *testing.T, op byte, respCode, origRespCode, txnAmt, content, extra string) {
		var extras sign.Fields
		if e, err := sign.ParseRaw(extra); err == nil {
			extras = e
		}
		tr.build = func(req sign.Fields) sign.Fields {
			a := answerTo(req, respCode, sign.Fields{"origRespCode": origRespCode, "txnAmt": txnAmt})
			if content != "" {
				a["fileContent"] = unionpay.EncodeFileContent([]byte(content))
				if op&4 != 0 {
					a["fileContent"] = content
				}
			}
			applyExtras(a, extras)
			return a
		}
		ctx := context.Background()
		switch op % 3 {
		case 0:
			q := &unionpay.QueryRequest{OrderID: testOrder, TxnTime: testNow.Add(-time.Hour), TxnType: "01", Amount: 100}
			if op&8 != 0 {
				q.TxnType, q.Amount, q.BizType = "", 0, unionpay.BizTypePayout
			}
			tx, err := c.Query(ctx, q)
			if err != nil {
				if tx != nil {
					t.Fatalf("transaction with the error %v", err)
				}
				if len(err.Error()) > 2048 {
					t.Fatalf("an error of %d bytes: %.2100s", len(err.Error()), err)
				}
				return
			}
			if tx.OrderID != testOrder {
				t.Fatalf("transaction for orderId %q", tx.OrderID)
			}
			if tx.State != unionpay.Succeeded {
				return
			}
			raw := tx.Raw
			if raw["respCode"] != "00" || raw["origRespCode"] != "00" && raw["origRespCode"] != "A6" {
				t.Fatalf("Succeeded from respCode %q origRespCode %q", raw["respCode"], raw["origRespCode"])
			}
			if q.TxnType != "" && tx.TxnType != "" && tx.TxnType != q.TxnType ||
				q.Amount != 0 && raw["txnAmt"] != "" && tx.Amount != q.Amount {
				t.Fatalf("Succeeded for txnType %q amount %d, asked %q %d", tx.TxnType, tx.Amount, q.TxnType, q.Amount)
			}
			for _, k := range []string{"txnAmt", "settleAmt", "txnTime"} {
				if v := raw[k]; v != "" && strings.Trim(v, "0123456789") != "" {
					t.Fatalf("Succeeded with %s=%q: not digits", k, v)
				}
			}
		case 1:
			file, err := c.DownloadFile(ctx, &unionpay.FileRequest{SettleDate: day})
			if err != nil {
				if file != nil {
					t.Fatalf("file with the error %v", err)
				}
				return
			}
			checkLocalName(t, file.Name)
			if len(file.Content) > fuzzMaxFile {
				t.Fatalf("file of %d bytes, limit %d", len(file.Content), fuzzMaxFile)
			}
			if file.Raw["respCode"] != "00" && file.Raw["respCode"] != "A6" {
				t.Fatalf("file with respCode %q", file.Raw["respCode"])
			}
		case 2:
			st, err := c.QueryBatch(ctx, &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0001",
				TxnTime: testNow.Add(-time.Hour)})
			if err != nil {
				var pe *unionpay.PendingError
				if st != nil || errors.As(err, &pe) && !errors.Is(err, unionpay.ErrPending) {
					t.Fatalf("batch status %v with the error %v", st, err)
				}
				return
			}
			checkLocalName(t, st.FileName)
			if len(st.File) > fuzzMaxFile {
				t.Fatalf("batch file of %d bytes, limit %d", len(st.File), fuzzMaxFile)
			}
		}
	})
}

func checkLocalName(t *testing.T, name string) {
	t.Helper()
	if name == "" || !filepath.IsLocal(name) || filepath.Base(name) != name || strings.ContainsAny(name, "/\\") ||
		!utf8.ValidString(name) || bytes.ContainsAny([]byte(name), "\x00\r\n") || name[0] == '.' {
		t.Fatalf("unsafe file name %q", name)
	}
}

// applyExtras changes answer a as a fuzzed extra asks: a key "-k" deletes field k, any other key
// sets its value; then every empty field is dropped, as UnionPay sends none.
func applyExtras(a, extras sign.Fields) {
	for k, v := range extras {
		if strings.HasPrefix(k, "-") {
			delete(a, k[1:])
		} else {
			a[k] = v
		}
	}
	for k, v := range a {
		if v == "" {
			delete(a, k)
		}
	}
}
