package unionpay_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func readVector(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "official-sdk-vectors", name))
	require.NoError(t, err)
	return b
}

// TestDecodeFileContentOfficialVector decodes what the official Java SDK's enCodeFileContent made.
func TestDecodeFileContentOfficialVector(t *testing.T) {
	t.Parallel()
	plain := readVector(t, "filecontent.plain.txt")
	got, err := unionpay.DecodeFileContent(string(bytes.TrimSpace(readVector(t, "filecontent.official.b64"))), 1<<20)
	require.NoError(t, err)
	assert.Equal(t, plain, got)

	_, err = unionpay.DecodeFileContent(string(readVector(t, "filecontent.official.b64")), int64(len(plain)-1))
	require.ErrorIs(t, err, unionpay.ErrFileTooLarge)
}

func TestFileContentRoundTrip(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 1000, 100000} {
		in := bytes.Repeat([]byte("对账 row\n"), n)
		got, err := unionpay.DecodeFileContent(unionpay.EncodeFileContent(in), int64(len(in))+1)
		require.NoError(t, err)
		assert.Equal(t, len(in), len(got))
		assert.Equal(t, in, got)
	}
}

// TestDecodeFileContentLimits: a limit at or above the file's size decodes it whole, math.MaxInt64
// included (limit+1 must not wrap to a negative count, which would decode every file as empty).
func TestDecodeFileContentLimits(t *testing.T) {
	t.Parallel()
	in := []byte("hello")
	tests := []struct {
		name  string
		limit int64
		ok    bool
	}{
		{"exact", int64(len(in)), true},
		{"one short", int64(len(in)) - 1, false},
		{"MaxInt64", math.MaxInt64, true},
		{"MaxInt64-1", math.MaxInt64 - 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := unionpay.DecodeFileContent(unionpay.EncodeFileContent(in), tt.limit)
			if !tt.ok {
				require.ErrorIs(t, err, unionpay.ErrFileTooLarge)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, in, got)
		})
	}
}

// TestDownloadFileHugeLimit: Config.MaxFileBytes = math.MaxInt64 downloads the whole file.
func TestDownloadFileHugeLimit(t *testing.T) {
	t.Parallel()
	zip := []byte("PK\x03\x04 pretend zip")
	for _, limit := range []int64{0, math.MaxInt64, math.MaxInt64 - 1} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, accept(sign.Fields{"fileName": "777290058110048_20240104.zip",
				"fileContent": unionpay.EncodeFileContent(zip)}))
			c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.MaxFileBytes = limit })
			f, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)})
			require.NoError(t, err)
			assert.Equal(t, zip, f.Content)
		})
	}
}

func TestDecodeFileContentRejects(t *testing.T) {
	t.Parallel()
	var gz bytes.Buffer
	w := zlib.NewWriter(&gz)
	_, _ = w.Write([]byte("hello"))
	_ = w.Close()
	truncated := base64.StdEncoding.EncodeToString(gz.Bytes()[:gz.Len()-4])
	tests := []struct{ name, in, msg string }{
		{"empty", "", "fileContent is empty"},
		{"line breaks only", "\r\n\r\n", "fileContent is empty"},
		{"not base64", "@@@@", "not base64"},
		{"not zlib", base64.StdEncoding.EncodeToString([]byte("plain text")), "not a zlib stream"},
		{"raw deflate", base64.StdEncoding.EncodeToString(gz.Bytes()[2:]), "not a zlib stream"},
		{"truncated", truncated, "inflating"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := unionpay.DecodeFileContent(tt.in, 1<<20)
			require.Error(t, err)
			assert.NotErrorIs(t, err, unionpay.ErrFileTooLarge)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
	_, err := unionpay.DecodeFileContent(unionpay.EncodeFileContent([]byte("x")), 0)
	require.Error(t, err)
}

// TestDecodeFileContentBomb: 64 MiB of zeros compress to about 64 KiB; the decoder stops at the limit.
func TestDecodeFileContentBomb(t *testing.T) {
	t.Parallel()
	var z bytes.Buffer
	w, err := zlib.NewWriterLevel(&z, zlib.BestCompression)
	require.NoError(t, err)
	zero := make([]byte, 1<<20)
	for range 64 {
		_, _ = w.Write(zero)
	}
	require.NoError(t, w.Close())
	bomb := base64.StdEncoding.EncodeToString(z.Bytes())
	assert.Less(t, len(bomb), 1<<18)
	_, err = unionpay.DecodeFileContent(bomb, 1<<20)
	require.ErrorIs(t, err, unionpay.ErrFileTooLarge)
}

func TestDownloadFile(t *testing.T) {
	t.Parallel()
	zip := []byte("PK\x03\x04 pretend zip")
	g := newGateway(t, accept(sign.Fields{"fileName": "777290058110048_20240104.zip",
		"fileContent": unionpay.EncodeFileContent(zip)}))
	c := newTestClient(t, g)
	f, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	assert.Equal(t, "777290058110048_20240104.zip", f.Name)
	assert.Equal(t, zip, f.Content)
	req := g.last()
	assert.Equal(t, "/file/", g.paths[0])
	assert.Equal(t, "76", req["txnType"])
	assert.Equal(t, "01", req["txnSubType"])
	assert.Equal(t, "000000", req["bizType"])
	assert.Equal(t, "00", req["fileType"])
	assert.Equal(t, "0104", req["settleDate"])

	// A midnight is the date it is in its own zone; another time is the Beijing day it falls in
	// (late on 3 January in UTC-10 is already 4 January in Beijing).
	for _, at := range []time.Time{
		time.Date(2024, 1, 4, 0, 0, 0, 0, time.FixedZone("JST", 9*3600)),
		time.Date(2024, 1, 4, 0, 0, 0, 0, time.FixedZone("UTC-10", -10*3600)),
		time.Date(2024, 1, 3, 20, 0, 0, 0, time.FixedZone("UTC-10", -10*3600)),
	} {
		_, err = c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: at})
		require.NoError(t, err, "%v", at)
		assert.Equal(t, "0104", g.last()["settleDate"], "%v", at)
	}
	// The file's name may carry the request's year: only its month and day must agree.
	g2 := newGateway(t, accept(sign.Fields{"fileName": "777290058110048_20240104.zip", "fileContent": unionpay.EncodeFileContent(zip)}))
	c2 := newTestClient(t, g2, func(cfg *unionpay.Config) {
		cfg.Now = func() time.Time { return time.Date(2025, 1, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)) }
	})
	_, err = c2.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)})
	require.ErrorContains(t, err, "another date", "1231 asked, 0104 named")
	g3 := newGateway(t, accept(sign.Fields{"fileName": "777290058110048_20251231.zip", "fileContent": unionpay.EncodeFileContent(zip)}))
	c3 := newTestClient(t, g3, func(cfg *unionpay.Config) {
		cfg.Now = func() time.Time { return time.Date(2025, 1, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)) }
	})
	_, err = c3.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err, "31 December's file asked on 1 January, named with the request's year")

	// Only MMDD is sent: a future date, or one a year old, is refused before sending.
	sent := g.count()
	for _, at := range []time.Time{testNow.AddDate(0, 0, 1), testNow.AddDate(-1, 0, 0)} {
		_, err = c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: at})
		var re *unionpay.RequestError
		require.ErrorAs(t, err, &re, "%v", at)
		assert.Equal(t, "SettleDate", re.Field)
	}
	assert.Equal(t, sent, g.count())
}

func TestDownloadFileFailures(t *testing.T) {
	t.Parallel()
	day := &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)}
	tests := []struct {
		name   string
		answer func(sign.Fields) reply
		limit  int64
		check  func(t *testing.T, err error)
	}{
		{"no file 98", func(r sign.Fields) reply { return reply{fields: answerTo(r, "98", nil)} }, 0, func(t *testing.T, err error) {
			var ue *unionpay.Error
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, "98", ue.RespCode)
			assert.ErrorIs(t, err, unionpay.ErrNoFile)
			assert.Equal(t, 1, strings.Count(err.Error(), "unionpay:"), "one prefix: %v", err)
			assert.NotErrorIs(t, &unionpay.Error{Op: "refund", RespCode: "98"}, unionpay.ErrNoFile, "only a file download's 98")
		}},
		{"rejected 10 is not no-file", func(r sign.Fields) reply { return reply{fields: answerTo(r, "10", nil)} }, 0, func(t *testing.T, err error) {
			var ue *unionpay.Error
			require.ErrorAs(t, err, &ue)
			assert.NotErrorIs(t, err, unionpay.ErrNoFile)
		}},
		{"another day's file", accept(sign.Fields{"fileName": "777290058110048_20240103.zip", "fileContent": unionpay.EncodeFileContent([]byte("x"))}), 0,
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "another date") }},
		{"path in name", accept(sign.Fields{"fileName": "../etc/passwd", "fileContent": unionpay.EncodeFileContent([]byte("x"))}), 0,
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "fileName") }},
		{"hidden name", accept(sign.Fields{"fileName": ".bashrc", "fileContent": unionpay.EncodeFileContent([]byte("x"))}), 0,
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "fileName") }},
		{"control character in name", accept(sign.Fields{"fileName": "a\x1bb.zip", "fileContent": unionpay.EncodeFileContent([]byte("x"))}), 0,
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "fileName") }},
		// A C1 control or a bidirectional override makes a listed name read otherwise (a
		// penetration test).
		{"C1 control in name", accept(sign.Fields{"fileName": "a\u009bb.zip", "fileContent": unionpay.EncodeFileContent([]byte("x"))}), 0,
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "fileName") }},
		{"bidi override in name", accept(sign.Fields{"fileName": "a\u202epiz.exe", "fileContent": unionpay.EncodeFileContent([]byte("x"))}), 0,
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "fileName") }},
		{"bidi isolate in name", accept(sign.Fields{"fileName": "a\u2066b.zip", "fileContent": unionpay.EncodeFileContent([]byte("x"))}), 0,
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "fileName") }},
		{"name not UTF-8", accept(sign.Fields{"fileName": "a\x9bb.zip", "fileContent": unionpay.EncodeFileContent([]byte("x"))}), 0,
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "fileName") }},
		{"overlong name", accept(sign.Fields{"fileName": strings.Repeat("a", 256), "fileContent": unionpay.EncodeFileContent([]byte("x"))}), 0,
			func(t *testing.T, err error) { assert.ErrorContains(t, err, "fileName") }},
		{"too large", accept(sign.Fields{"fileName": "a.zip", "fileContent": unionpay.EncodeFileContent(make([]byte, 4096))}), 1024,
			func(t *testing.T, err error) { assert.ErrorIs(t, err, unionpay.ErrFileTooLarge) }},
		{"tampered", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", sign.Fields{"fileName": "a.zip", "fileContent": unionpay.EncodeFileContent([]byte("x"))}), tamper: true}
		}, 0, func(t *testing.T, err error) { assert.ErrorIs(t, err, unionpay.ErrUnverified) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGateway(t, tt.answer)
			c := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.MaxFileBytes = tt.limit })
			f, err := c.DownloadFile(context.Background(), day)
			assert.Nil(t, f)
			tt.check(t, err)
			assert.NotErrorIs(t, err, unionpay.ErrPending, "a download moves no money")
		})
	}
	g := newGateway(t, accept(nil))
	noFile := newTestClient(t, g, func(cfg *unionpay.Config) { cfg.Endpoints.File = "" })
	_, err := noFile.DownloadFile(context.Background(), day)
	var ce *unionpay.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Config.Endpoints.File", ce.Field)
}

// TestAuditClaimsNoFileIsTheAnswersError checks the doc of ErrNoFile: a 98 answer of
// DownloadFile matches ErrNoFile, "The error is the *Error of the answer" (RespCode 98), and it
// is not pending (nothing moved money) nor "not sent".
func TestAuditClaimsNoFileIsTheAnswersError(t *testing.T) {
	t.Parallel()
	srv := unionpaytest.NewServer(withSharedKeys(t), unionpaytest.WithReporter(t))
	t.Cleanup(srv.Close)
	c, err := unionpay.NewClient(srv.Config())
	require.NoError(t, err)
	// A settle date long past, on which the fake gateway has nothing.
	_, err = c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: srv.Config().Now().AddDate(0, 0, -40)})
	require.ErrorIs(t, err, unionpay.ErrNoFile)
	var answer *unionpay.Error
	require.ErrorAs(t, err, &answer)
	assert.Equal(t, "98", answer.RespCode)
	assert.False(t, errors.Is(err, unionpay.ErrPending))
	assert.False(t, errors.Is(err, unionpay.ErrNotSent))
}

// TestClaimsDownloadFileCorruptSaysUnionpayOnce pins the CHANGELOG's "DownloadFile no longer
// repeats "unionpay:" before DecodeFileContent's errors" for a fileContent that is not base64 of
// a deflated file.
func TestClaimsDownloadFileCorruptSaysUnionpayOnce(t *testing.T) {
	t.Parallel()
	for _, fc := range []string{"!!! not base64 !!!", "bm90IGRlZmxhdGVk"} {
		g := newGateway(t, accept(sign.Fields{"fileContent": fc, "fileName": "INN.zip", "fileType": "00"}))
		c := newTestClient(t, g)
		_, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: testNow})
		require.Error(t, err)
		t.Log(err)
		assert.Equal(t, 1, strings.Count(err.Error(), "unionpay: "), "%v", err)
	}
}

// TestDownloadFileAnswerOverResponseLimit: a settlement file's answer over Config.MaxResponseBytes
// (16 MiB by default, a zip of about 12 MiB: a busy day's file) says how to get it, raising
// MaxResponseBytes; another call's oversized answer, not a file that grows with the business,
// gets no such advice.
func TestDownloadFileAnswerOverResponseLimit(t *testing.T) {
	t.Parallel()
	big := sign.Fields{"fileName": "777290058110048_20240104.zip", "fileContent": unionpay.EncodeFileContent([]byte("PK")),
		"reqReserved": strings.Repeat("x", 2048)} // over the limit of 1024 set below, whatever the call
	for _, tt := range []struct {
		name   string
		do     func(*unionpay.Client) error
		advice bool
	}{
		{"file download", func(c *unionpay.Client) error {
			_, err := c.DownloadFile(context.Background(), &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)})
			return err
		}, true},
		{"query", func(c *unionpay.Client) error {
			_, err := c.Query(context.Background(), &unionpay.QueryRequest{OrderID: "QUERYLIMIT01", TxnTime: testNow})
			return err
		}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, newGateway(t, accept(big)), func(cfg *unionpay.Config) { cfg.MaxResponseBytes = 1024 })
			err := tt.do(c)
			require.ErrorContains(t, err, "answer longer than MaxResponseBytes (1024)")
			assert.Equal(t, tt.advice, strings.Contains(err.Error(), "raise Config.MaxResponseBytes"), "%v", err)
			assert.NotErrorIs(t, err, unionpay.ErrPending, "it moves no money")
		})
	}
}
