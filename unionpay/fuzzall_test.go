package unionpay_test

import (
	"bytes"
	"context"
	"errors"
	"io"
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

// FuzzParseTimes: ParseTxnTime and ParseSettleDate accept only what they write back: a
// txnTime read is the same 14 digits when formatted in Beijing time, and a settleDate read is
// that MMDD, a Beijing midnight, within a year of near.
func FuzzParseTimes(f *testing.F) {
	f.Add("20240105103000", "0105", int64(0))
	f.Add("20241231235959", "0229", int64(86400*365))
	f.Add("2024010510300+", "+105", int64(-1))
	f.Add("20240230000000", "1301", int64(1<<40))
	f.Fuzz(func(t *testing.T, txnTime, mmdd string, nearSec int64) {
		beijing := time.FixedZone("CST", 8*3600)
		if tm, err := unionpay.ParseTxnTime(txnTime); err == nil {
			if got := tm.In(beijing).Format("20060102150405"); got != txnTime {
				t.Fatalf("ParseTxnTime(%q) = %v, which is %s", txnTime, tm, got)
			}
		}
		near := time.Date(2024, 1, 5, 10, 30, 0, 0, beijing).Add(time.Duration(nearSec%(1<<33)) * time.Second)
		d, err := unionpay.ParseSettleDate(mmdd, near)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "unionpay: settleDate") {
				t.Fatalf("ParseSettleDate(%q): %v", mmdd, err)
			}
			return
		}
		b := d.In(beijing)
		if b.Format("0102") != mmdd || b.Hour() != 0 || b.Minute() != 0 || b.Second() != 0 || b.Nanosecond() != 0 {
			t.Fatalf("ParseSettleDate(%q, %v) = %v", mmdd, near, d)
		}
		if gap := d.Sub(near).Abs(); gap > 366*24*time.Hour {
			t.Fatalf("ParseSettleDate(%q, %v) = %v, %v away", mmdd, near, d, gap)
		}
	})
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
// a batch result are named with a local file name and never exceed MaxFileBytes. extra holds
// the answer's other fields in the raw format ("k=v&..."; a key "-k" removes k).
func FuzzAnswer(f *testing.F) {
	f.Add(byte(0), "00", "00", "100", "", "")
	f.Add(byte(0), "00", "A6", "+100", "", "txnTime=20240105103000&txnType=01")
	f.Add(byte(0), "00", "03", "100", "", "-txnTime&settleAmt=-0")
	f.Add(byte(0), "34", "", "", "", "bizType=000401")
	f.Add(byte(1), "00", "", "", "hello", "fileName=777290058110048_20240104.zip")
	f.Add(byte(1), "00", "", "", "", "fileName=../x&fileContent=eJwDAAAAAAE=")
	f.Add(byte(2), "00", "", "", "abc|def", "fileName=a.txt")
	f.Add(byte(2), "05", "", "", "", "-batchNo")
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
