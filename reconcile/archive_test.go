package reconcile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type zipEntry struct {
	name string
	data []byte
}

func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		require.NoError(t, err)
		_, err = w.Write(e.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// lyingZip stores data deflated but declares declared bytes uncompressed.
func lyingZip(t testing.TB, data []byte, declared uint64) []byte {
	return rawDeflateZip(t, "INN25123188ZM_777290058110097", data, flate.BestCompression, declared)
}

// rawDeflateZip returns a zip of one member, name, holding data deflated at level as it is,
// with its headers declaring uncompressed bytes uncompressed.
func rawDeflateZip(t testing.TB, name string, data []byte, level int, uncompressed uint64) []byte {
	t.Helper()
	return zipOfStream(t, name, data, deflateBytes(t, data, level), uncompressed)
}

// deflateBytes returns data deflated (raw DEFLATE, as in a zip) at level.
func deflateBytes(t testing.TB, data []byte, level int) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, level)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, fw.Close())
	return comp.Bytes()
}

// zipOfStream returns a zip of one member, name, whose deflated bytes are stream (whatever they
// are), with data's CRC-32 and the sizes of stream and uncompressed declared.
func zipOfStream(t testing.TB, name string, data, stream []byte, uncompressed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(data), CompressedSize64: uint64(len(stream)), UncompressedSize64: uncompressed})
	require.NoError(t, err)
	_, err = w.Write(stream)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestOpenKinds(t *testing.T) {
	b := makeZip(t,
		zipEntry{"INN25123188ZM_777290058110097", nil},
		zipEntry{"INN25123188ZME_777290058110097", nil},
		zipEntry{"RD201025123101_777290058110097", nil},
		zipEntry{"INN25123101PED_777290058110097", nil},
		zipEntry{"INN25123101PEDERR_777290058110097", nil},
		zipEntry{"readme.txt", nil},
		zipEntry{"dir/", nil},
	)
	a, err := Open(b)
	require.NoError(t, err)
	var kinds []string
	for _, m := range a.Members() {
		kinds = append(kinds, m.Kind.String())
	}
	assert.Equal(t, []string{"ZM", "ZME", "RD", "PED", "PEDERR", "unknown"}, kinds)
	assert.Equal(t, "777290058110097", a.First(KindPED).MerID)
	assert.True(t, a.First(KindPED).SettleDate.IsZero())
	assert.Nil(t, a.First(Kind(99)))
}

func TestOpenRefuses(t *testing.T) {
	zeros := make([]byte, 20<<20)
	cases := []struct {
		name string
		zip  []byte
		opts []Option
		want error
	}{
		{"not a zip", []byte("PK\x03\x04 nonsense"), nil, ErrMalformed},
		{"path", makeZip(t, zipEntry{"../INN25123188ZM_1", nil}), nil, ErrMalformed},
		{"absolute", makeZip(t, zipEntry{"/etc/INN25123188ZM_1", nil}), nil, ErrMalformed},
		{"backslash", makeZip(t, zipEntry{`..\INN25123188ZM_1`, nil}), nil, ErrMalformed},
		{"duplicate", makeZip(t, zipEntry{"a", nil}, zipEntry{"a", nil}), nil, ErrMalformed},
		{"too many members", makeZip(t, zipEntry{"a", nil}, zipEntry{"b", nil}, zipEntry{"c", nil}),
			[]Option{WithMaxMembers(2)}, ErrTooLarge},
		{"member too large", makeZip(t, zipEntry{"a", make([]byte, 1000)}), []Option{WithMaxMemberSize(999)}, ErrTooLarge},
		{"total too large", makeZip(t, zipEntry{"a", make([]byte, 600)}, zipEntry{"b", make([]byte, 600)}),
			[]Option{WithMaxTotalSize(1000)}, ErrTooLarge},
		{"ratio bomb", makeZip(t, zipEntry{"INN25123188ZM_1", zeros}), nil, ErrTooLarge},
		{"declared 1 TiB", lyingZip(t, []byte("tiny"), 1<<40), nil, ErrTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			_, err := Open(c.zip, c.opts...)
			assert.ErrorIs(t, err, c.want)
			assert.Less(t, time.Since(start), time.Second, "refused without inflating")
		})
	}
}

func TestMemberStopsPastDeclaredSize(t *testing.T) {
	data := bytes.Repeat([]byte("S56 "), 1<<20) // 4 MiB that claims to be 1000 bytes
	b := lyingZip(t, data, 1000)
	a, err := Open(b)
	require.NoError(t, err)
	rc, err := a.Members()[0].Open()
	require.NoError(t, err)
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.LessOrEqual(t, n, int64(1000))

	b = lyingZip(t, []byte("short"), 10) // claims more than it has
	a, err = Open(b)
	require.NoError(t, err)
	rc, err = a.Members()[0].Open()
	require.NoError(t, err)
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	assert.ErrorIs(t, err, ErrMalformed)
}

func TestMemberChecksum(t *testing.T) {
	b := makeZip(t, zipEntry{"INN25123188ZM_1", []byte(strings.Repeat("checksummed ", 100))})
	i := bytes.Index(b, []byte("INN25123188ZM_1")) + len("INN25123188ZM_1") + 3
	b[i] ^= 0xff // corrupt the compressed data
	a, err := Open(b)
	require.NoError(t, err)
	rc, err := a.Members()[0].Open()
	require.NoError(t, err)
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	assert.Error(t, err)
}

// TestMemberCorruptDeflate: a deflate stream that is not deflate is bad
// content, reported as ErrMalformed like any other damage.
func TestMemberCorruptDeflate(t *testing.T) {
	data := []byte(strings.Repeat("corrupt me ", 50))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "INN25123188ZM_1", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(data), CompressedSize64: 16, UncompressedSize64: uint64(len(data))})
	require.NoError(t, err)
	_, err = w.Write([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	a, err := Open(buf.Bytes())
	require.NoError(t, err)
	rc, err := a.Members()[0].Open()
	require.NoError(t, err)
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	var corrupt flate.CorruptInputError
	require.ErrorAs(t, err, &corrupt)
	assert.ErrorIs(t, err, ErrMalformed)
}

// Concurrency audit (helper "audit-conc"): go test -race ./reconcile -run ConcAudit -count=1

// TestConcAuditArchiveSharedAndBrokenEarly: one Archive read from many goroutines at once
// (Records, ErrorRecords, Match, Member.Open), each breaking out at every possible position,
// under -race: no panic (a yield after false), no race, and the full reads agree.
func TestConcAuditArchiveSharedAndBrokenEarly(t *testing.T) {
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, Beijing())
	bad := zmText(t, day, "ORDER0004")
	bad = bad[:len(bad)/2] + "\n" // a malformed line
	b := zipOf(t,
		[2]string{"INN25123188ZM_777290058110097", zmText(t, day, "ORDER0001", "ORDER0002")},
		[2]string{"INN25123188RD_777290058110097", "not read"},
		[2]string{"INN25123189ZM_777290058110097", zmText(t, day, "ORDER0003") + bad},
	)
	a, err := Open(b)
	require.NoError(t, err)
	count := func(seq func(func(Record, error) bool)) int {
		n := 0
		for range seq {
			n++
		}
		return n
	}
	full := count(a.Records(time.Time{}, ""))
	require.Equal(t, 4, full)
	orders := func(yield func(Order, error) bool) {
		for _, id := range []string{"ORDER0001", "ORDER0003", "ORDER0009", "ORDER0001", ""} {
			if !yield(Order{OrderID: id, Amount: 100, TxnType: "01", State: StateSucceeded}, nil) {
				return
			}
		}
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for stop := range full + 1 {
				i := 0
				for range a.Records(time.Time{}, "777290058110097") {
					if i++; i > stop {
						break
					}
				}
				i = 0
				for range a.ErrorRecords(time.Time{}, "") {
					if i++; i > stop {
						break
					}
				}
			}
			for stop := range 10 {
				i := 0
				for range Match(a.Records(time.Time{}, ""), orders) {
					if i++; i > stop {
						break
					}
				}
			}
			for _, m := range a.Members() {
				rc, err := m.Open()
				if assert.NoError(t, err) {
					_, _ = io.Copy(io.Discard, rc)
					assert.NoError(t, rc.Close())
				}
			}
			assert.Equal(t, full, count(a.Records(time.Time{}, "")))
		})
	}
	wg.Wait()
}

// TestOpenRefusesNonPositiveLimits: a limit of zero or less (a negative WithMaxMemberSize used to
// turn the size limit off) is a configuration error.
func TestOpenRefusesNonPositiveLimits(t *testing.T) {
	// Each limit at zero and below: "Open refuses a zero or negative one".
	for _, opt := range []Option{WithMaxMembers(0), WithMaxMembers(-1), WithMaxMemberSize(0), WithMaxMemberSize(-1),
		WithMaxTotalSize(0), WithMaxTotalSize(-1), WithMaxRatio(0), WithMaxRatio(-5)} {
		_, err := Open(nil, opt)
		require.ErrorContains(t, err, "limits must be positive")
	}
}
