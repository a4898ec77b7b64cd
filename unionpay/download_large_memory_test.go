//go:build !race

package unionpay_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestDownloadFileRetainedMemory measures what the File that Client.DownloadFile returns keeps
// alive, for a settlement zip of 20,000,000 bytes (random, so that it does not compress: its
// answer A is 26.7 MB, over the default MaxResponseBytes, raised here), besides what the call
// allocates and its peak. The answer's fields are substrings of its text: a Raw holding any of
// them, fileContent or not, held the whole answer. File.Raw holds every field but fileContent,
// copied out of the answer, so that the File holds the file (3/4 A) and a few hundred bytes more.
//
// Measured (Go 1.26, linux/amd64), in multiples of the zip: allocated 2.35, a peak of 2.34 live,
// retained by the File 2.34 (the answer and the file) before; allocated 2.35, a peak of 2.34,
// retained 1.00 since.
func TestDownloadFileRetainedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates about 300 MB")
	}
	c, req, zip := largeDownload(t)
	defer runtime.KeepAlive(c) // and the answer its transport replays, which is no garbage of the calls
	// Measured first: a File held before would be in measureMemory's base, until collected.
	alloc, objects, live := measureMemory(t, func() {
		f, err := c.DownloadFile(context.Background(), req)
		require.NoError(t, err)
		require.Len(t, f.Content, len(zip))
	})
	retained, file := heapHeldBy(func() *unionpay.File {
		f, err := c.DownloadFile(context.Background(), req)
		require.NoError(t, err)
		return f
	})
	require.True(t, bytes.Equal(zip, file.Content))
	raw := file.Raw
	n := float64(len(zip))
	t.Logf("zip %d bytes: allocated %.2f×, peak heap objects %.2f×, peak marked live %.2f×, retained by the File %.2f× the zip",
		len(zip), float64(alloc)/n, float64(objects)/n, float64(live)/n, float64(retained)/n)
	assert.Less(t, float64(retained)/n, 1.05, "the File holds the file, not the answer")
	assert.NotContains(t, raw, "fileContent")
	assert.Equal(t, "00", raw["respCode"])
	assert.Equal(t, "777290058110048_20240104.zip", raw["fileName"])
}

// TestDownloadFileToMemory measures Client.DownloadFileTo for the zip of
// TestDownloadFileRetainedMemory, written to a writer that keeps nothing: it holds the answer
// (4/3 of the zip) and the inflater's state, never the file, where DownloadFile peaks at the
// answer and the file (2.34 times the zip).
//
// Measured (Go 1.26, linux/amd64), in multiples of the zip: allocated 1.35, a peak of 1.34 live,
// retained by the File 0.00.
func TestDownloadFileToMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates about 200 MB")
	}
	c, req, zip := largeDownload(t)
	defer runtime.KeepAlive(c) // and the answer its transport replays, which is no garbage of the calls
	h := sha256.New()
	alloc, objects, live := measureMemory(t, func() {
		_, err := c.DownloadFileTo(context.Background(), req, h)
		require.NoError(t, err)
	})
	want := sha256.Sum256(zip)
	require.Equal(t, want[:], h.Sum(nil))
	retained, file := heapHeldBy(func() *unionpay.File {
		f, err := c.DownloadFileTo(context.Background(), req, io.Discard)
		require.NoError(t, err)
		return f
	})
	n := float64(len(zip))
	t.Logf("zip %d bytes: allocated %.2f×, peak heap objects %.2f×, peak marked live %.2f×, retained by the File %.2f× the zip",
		len(zip), float64(alloc)/n, float64(objects)/n, float64(live)/n, float64(retained)/n)
	assert.Less(t, float64(live)/n, 1.7, "the answer, not the file too (2.34×)")
	assert.Less(t, float64(alloc)/n, 1.6, "the answer, not the file too (2.35×)")
	assert.Less(t, float64(retained)/n, 0.05)
	assert.Nil(t, file.Content)
	assert.Equal(t, "777290058110048_20240104.zip", file.Name)
}

// largeDownload returns a client whose transport replays a gateway's answer of a settlement zip
// of 20,000,000 random bytes, from memory, the request for it and the zip.
func largeDownload(t *testing.T) (*unionpay.Client, *unionpay.FileRequest, []byte) {
	t.Helper()
	zip := make([]byte, 20_000_000)
	_, _ = rand.NewChaCha8([32]byte{2}).Read(zip)
	g := newGateway(t, accept(sign.Fields{"fileName": "777290058110048_20240104.zip",
		"fileContent": unionpay.EncodeFileContent(zip)}))
	rec := &replay{}
	c := newTestClient(t, g, func(cfg *unionpay.Config) {
		cfg.HTTPClient, cfg.MaxResponseBytes = &http.Client{Transport: rec}, 32<<20
	})
	req := &unionpay.FileRequest{SettleDate: time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC)}
	first, err := c.DownloadFile(context.Background(), req) // records the gateway's answer
	require.NoError(t, err)
	require.True(t, bytes.Equal(zip, first.Content))
	return c, req, zip
}

// heapHeldBy returns what get returns and how much more heap is live, after a collection, while
// that is held than before get ran.
func heapHeldBy[T any](get func() T) (uint64, T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := get()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc), v
}
