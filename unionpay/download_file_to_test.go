package unionpay_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestDownloadFileTo: the file written is DownloadFile's, the File returned has its name and the
// answer's fields but fileContent (DownloadFile's Raw, too, has no fileContent).
func TestDownloadFileTo(t *testing.T) {
	t.Parallel()
	zip := bytes.Repeat([]byte("PK\x03\x04 pretend zip "), 10_000)
	g := newGateway(t, accept(sign.Fields{"fileName": "777290058110048_20240104.zip",
		"fileContent": unionpay.EncodeFileContent(zip)}))
	var mu sync.Mutex
	var ends []unionpay.CallEnd
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.OnCall = func(_ context.Context, e unionpay.CallEnd) { mu.Lock(); ends = append(ends, e); mu.Unlock() }
	})
	req := &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)}
	var w bytes.Buffer
	f, err := c.DownloadFileTo(context.Background(), req, &w)
	require.NoError(t, err)
	assert.Equal(t, zip, w.Bytes())
	assert.Nil(t, f.Content)
	assert.Equal(t, "777290058110048_20240104.zip", f.Name)
	assert.Equal(t, "777290058110048_20240104.zip", f.Raw["fileName"])
	assert.Equal(t, "00", f.Raw["respCode"])
	assert.NotEmpty(t, f.Raw["signature"])
	assert.NotContains(t, f.Raw, "fileContent")
	assert.Equal(t, "76", g.last()["txnType"])
	assert.Equal(t, "0104", g.last()["settleDate"])

	whole, err := c.DownloadFile(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, zip, whole.Content)
	assert.Equal(t, f.Raw, whole.Raw, "the same fields, fileContent in neither")

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, ends, 2)
	for _, e := range ends {
		assert.Equal(t, "file download", e.Op)
		assert.Equal(t, unionpay.OutcomeAccepted, e.Outcome)
		assert.Equal(t, "00", e.RespCode)
	}
}

// countingWriter counts the bytes and writes it was given, and fails or writes short when told.
type countingWriter struct {
	n, writes int
	err       error // returned by every Write
	short     bool  // every Write takes one byte less than given, without an error
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	switch {
	case w.err != nil:
		return 0, w.err
	case w.short && len(p) > 0:
		w.n += len(p) - 1
		return len(p) - 1, nil
	}
	w.n += len(p)
	return len(p), nil
}

// TestDownloadFileToWritesNothingRefused: an answer refused (98, unverified, another day's file,
// an unusable name) or a fileContent that does not decode whole within MaxFileBytes (over the
// limit, not base64, truncated, its checksum wrong) writes nothing to w, and fails as DownloadFile
// fails.
func TestDownloadFileToWritesNothingRefused(t *testing.T) {
	t.Parallel()
	day := &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)}
	good := unionpay.EncodeFileContent(bytes.Repeat([]byte("settled "), 4096))
	badSum := []byte(good) // a bit flipped in the Adler-32 that the last base64 characters hold
	badSum[len(badSum)-2] ^= 1
	file := func(name, content string) func(sign.Fields) reply {
		return accept(sign.Fields{"fileName": name, "fileContent": content})
	}
	const name = "777290058110048_20240104.zip"
	for _, tt := range []struct {
		name   string
		answer func(sign.Fields) reply
		limit  int64
		is     error
		text   string
	}{
		{"no file 98", func(r sign.Fields) reply { return reply{fields: answerTo(r, "98", nil)} }, 0, unionpay.ErrNoFile, ""},
		{"tampered", func(r sign.Fields) reply {
			return reply{fields: answerTo(r, "00", sign.Fields{"fileName": name, "fileContent": good}), tamper: true}
		}, 0, unionpay.ErrUnverified, ""},
		{"another day's file", file("777290058110048_20240103.zip", good), 0, unionpay.ErrAnswerMismatch, "another date"},
		{"path in name", file("../x.zip", good), 0, nil, "fileName"},
		{"over MaxFileBytes", file(name, good), 1024, unionpay.ErrFileTooLarge, ""},
		{"not base64", file(name, good[:100]+"!"+good[101:]), 0, nil, "not base64"},
		{"truncated", file(name, good[:len(good)/2]), 0, nil, "inflating"},
		{"checksum", file(name, string(badSum)), 0, nil, "invalid checksum"},
		{"empty", file(name, ""), 0, nil, "empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newTestClient(t, newGateway(t, tt.answer), func(cfg *unionpay.Config) { cfg.MaxFileBytes = tt.limit })
			w := &countingWriter{}
			f, err := c.DownloadFileTo(context.Background(), day, w)
			require.Error(t, err)
			assert.Nil(t, f)
			assert.Zero(t, w.writes, "nothing written: %v", err)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			assert.ErrorContains(t, err, tt.text)
			_, werr := c.DownloadFile(context.Background(), day)
			assert.Equal(t, werr.Error(), err.Error(), "DownloadFile's error")
		})
	}
}

// TestDownloadFileToWriterFails: w's failure (an error, or a write short without one) stops the
// download with an error wrapping it, after the answer was verified: a failure of the caller's,
// not of the answer (OutcomeFailed, the answer's respCode). A nil w is refused before sending.
func TestDownloadFileToWriterFails(t *testing.T) {
	t.Parallel()
	g := newGateway(t, accept(sign.Fields{"fileName": "777290058110048_20240104.zip",
		"fileContent": unionpay.EncodeFileContent(bytes.Repeat([]byte("settled "), 100_000))}))
	var mu sync.Mutex
	var last unionpay.CallEnd
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.OnCall = func(_ context.Context, e unionpay.CallEnd) { mu.Lock(); last = e; mu.Unlock() }
	})
	day := &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)}
	diskFull := errors.New("no space left on device")
	for _, tt := range []struct {
		name string
		w    *countingWriter
		is   error
	}{
		{"error", &countingWriter{err: diskFull}, diskFull},
		{"short", &countingWriter{short: true}, io.ErrShortWrite},
	} {
		f, err := c.DownloadFileTo(context.Background(), day, tt.w)
		assert.Nil(t, f, tt.name)
		require.ErrorIs(t, err, tt.is, tt.name)
		assert.Equal(t, 1, tt.w.writes, "%s: the first failure stops it", tt.name)
		assert.True(t, strings.HasPrefix(err.Error(), "unionpay: file download: writing the file: "), "%s: %v", tt.name, err)
		assert.NotErrorIs(t, err, unionpay.ErrUnverified, tt.name)
		mu.Lock()
		assert.Equal(t, unionpay.OutcomeFailed, last.Outcome, tt.name)
		assert.Equal(t, "00", last.RespCode, tt.name)
		mu.Unlock()
	}

	sent := g.count()
	_, err := c.DownloadFileTo(context.Background(), day, nil)
	var re *unionpay.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "w", re.Field)
	assert.Equal(t, sent, g.count(), "not sent")
	mu.Lock()
	assert.Equal(t, unionpay.OutcomeRefused, last.Outcome)
	mu.Unlock()
}
