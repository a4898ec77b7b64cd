//go:build !race

package unionpay_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestDownloadFileMemory measures what Client.DownloadFile costs in memory for a settlement zip
// of 12,000,000 bytes (random bytes: a zip's members are deflated already, so it does not
// compress), about the largest the default MaxResponseBytes (16 MiB) takes: its answer A is
// 16,005,236 bytes, 4/3 of the zip. From the answer's bytes on the wire to the File the caller
// gets, the client
//
//   - reads the body into a buffer of its Content-Length (a chunked one into blocks copied once
//     into one), which becomes the answer's text without a copy (A);
//   - parses it into fields that are substrings of that text, fileContent included (File.Raw
//     keeps the others, copied out of it, so the caller holds the file alone: see
//     TestDownloadFileRetainedMemory);
//   - hashes the string to sign in pieces to verify the signature, never building it (it built
//     it whole before, A more, dropped at once);
//   - decodes fileContent's base64 as a stream into the inflater, twice (once to learn the
//     file's size, once into a buffer of that size: 3/4 A), never holding it decoded.
//
// Measured (Go 1.26, linux/amd64), in multiples of A: allocated 1.77 (2.82 chunked), a peak of
// 1.76 live (the answer and the file; chunked, 2.05 while the blocks read are copied into one),
// against 2.77 (3.82) allocated and 2.00 live when the string to sign was built whole, and 5.73
// and 2.50 before that (the body grown as read and copied into a string; the base64 decoded
// whole). A GBK answer with Chinese text (its respMsg), converted to UTF-8 first, costs one copy
// more for the conversion: 2.77 allocated and 2.00 live (4.77 and 3.00 when the string to sign
// was built whole, in UTF-8 then in GBK; 8.27 and 3.50 before, when the answer was copied into
// bytes and decoded whole; 10.23 and 3.50 before that). The allocation bounds leave room for the
// sampler, not for another copy of the answer; the live bounds also for the garbage a long GC
// cycle keeps on a busy machine, while refusing the string to sign built whole (2.00 with a
// Content-Length, 3.00 in GBK).
func TestDownloadFileMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates about 400 MB")
	}
	zip := make([]byte, 12_000_000)
	r := rand.NewChaCha8([32]byte{1})
	_, _ = r.Read(zip)
	g := newGateway(t, accept(sign.Fields{"fileName": "777290058110048_20240104.zip",
		"fileContent": unionpay.EncodeFileContent(zip)}))
	req := &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)}
	// record returns a client of that encoding whose transport replays the gateway's answer.
	record := func(encoding string) (*unionpay.Client, *replay) {
		rec := &replay{}
		c := newTestClient(t, g, func(cfg *unionpay.Config) {
			cfg.HTTPClient, cfg.Encoding = &http.Client{Transport: rec}, encoding
		})
		f, err := c.DownloadFile(context.Background(), req) // records the gateway's answer
		require.NoError(t, err)
		require.Equal(t, zip, f.Content)
		require.Less(t, len(rec.body), 16<<20, "the default MaxResponseBytes takes it")
		return c, rec
	}
	utf8Client, utf8Rec := record("UTF-8")
	gbkClient, gbkRec := record("GBK")

	for _, tt := range []struct {
		name        string
		c           *unionpay.Client
		rec         *replay
		chunked     bool
		alloc, live float64 // bounds, in multiples of the answer's size
	}{
		{"content-length", utf8Client, utf8Rec, false, 2.1, 1.9},
		// Chunked, the blocks read are copied into one: a peak of 2 answers, whatever follows.
		{"chunked", utf8Client, utf8Rec, true, 3.1, 2.45},
		// GBK, its respMsg in Chinese (成功[0000000]), as UnionPay answers: the text is converted
		// to UTF-8 before it is parsed (2.77 allocated, 2.00 live; 2.45 refuses the old 3.00).
		{"GBK", gbkClient, gbkRec, false, 3.1, 2.45},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := tt.c, tt.rec
			answer := float64(len(rec.body))
			rec.chunked = tt.chunked
			var file *unionpay.File
			alloc, objects, live := measureMemory(t, func() {
				var err error
				file, err = c.DownloadFile(context.Background(), req)
				require.NoError(t, err)
			})
			require.True(t, bytes.Equal(zip, file.Content))
			t.Logf("answer %.0f bytes (zip %d): allocated %.2f×, peak heap objects %.2f×, peak marked live %.2f× (sampled, GOGC=1)",
				answer, len(zip), float64(alloc)/answer, float64(objects)/answer, float64(live)/answer)
			assert.Less(t, float64(alloc)/answer, tt.alloc, "bytes allocated, in multiples of the answer")
			assert.Less(t, float64(live)/answer, tt.live, "peak live heap, in multiples of the answer")
		})
	}
}

// measureMemory runs do with the collector at GOGC=1 (so that the heap stays close to what is
// live, and is marked often) and returns the bytes it allocated (TotalAlloc) and two peaks above
// what was there before, sampled every 20µs from runtime/metrics: of the heap's objects
// (/memory/classes/heap/objects:bytes: what is live and garbage not yet collected, so at least
// the peak of what is live) and of the heap the collector last found live (/gc/heap/live:bytes:
// at most that peak).
func measureMemory(t *testing.T, do func()) (alloc, objects, live uint64) {
	t.Helper()
	defer debug.SetGCPercent(debug.SetGCPercent(1))
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	baseObjects, baseLive := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	var maxObjects, maxLive atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		for {
			metrics.Read(s)
			maxObjects.Store(max(maxObjects.Load(), s[0].Value.Uint64()))
			maxLive.Store(max(maxLive.Load(), s[1].Value.Uint64()))
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Microsecond):
			}
		}
	})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	do()
	runtime.ReadMemStats(&after)
	close(stop)
	wg.Wait()
	above := func(m, base uint64) uint64 { return m - min(m, base) }
	return after.TotalAlloc - before.TotalAlloc, above(maxObjects.Load(), baseObjects), above(maxLive.Load(), baseLive)
}

// replay is a transport that forwards the first request and keeps its answer's body, then
// answers every later request with that body from memory (announcing its length, or chunked),
// so that only the client's own allocations are measured.
type replay struct {
	body    []byte
	chunked bool
}

func (r *replay) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.body == nil {
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if r.body, err = io.ReadAll(resp.Body); err != nil {
			return nil, err
		}
		resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(r.body)), int64(len(r.body))
		return resp, nil
	}
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	n := int64(len(r.body))
	if r.chunked {
		n = -1
	}
	return &http.Response{StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"text/plain;charset=UTF-8"}}, Body: io.NopCloser(bytes.NewReader(r.body)),
		ContentLength: n, Request: req}, nil
}
