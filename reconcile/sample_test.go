package reconcile

import (
	"bytes"
	"io"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const samplePath = "testdata/802310048993424_20150905.zip"

func readMember(t testing.TB, m *Member) []byte {
	t.Helper()
	rc, err := m.Open()
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b
}

func openSample(t testing.TB) *Archive {
	t.Helper()
	b, err := os.ReadFile(samplePath)
	require.NoError(t, err)
	a, err := Open(b)
	require.NoError(t, err)
	return a
}

func TestSampleMembers(t *testing.T) {
	a := openSample(t)
	ms := a.Members()
	require.Len(t, ms, 2)
	assert.Equal(t, "INN15090588ZM_802310048993424", ms[0].Name)
	assert.Equal(t, KindZM, ms[0].Kind)
	assert.Equal(t, "802310048993424", ms[0].MerID)
	assert.Equal(t, time.Date(2015, 9, 5, 0, 0, 0, 0, Beijing()), ms[0].SettleDate)
	assert.Equal(t, int64(4872), ms[0].Size)
	assert.Equal(t, KindRD, ms[1].Kind)
	assert.Equal(t, time.Date(2015, 9, 5, 0, 0, 0, 0, Beijing()), ms[1].SettleDate)
	assert.Nil(t, a.First(KindZME))
}

func TestSampleRoundTripBytes(t *testing.T) {
	a := openSample(t)
	zm := a.First(KindZM)
	raw := readMember(t, zm)

	var out bytes.Buffer
	w := NewZMWriter(&out)
	var tally Tally
	n := 0
	for rec, err := range ZM(bytes.NewReader(raw), zm.SettleDate) {
		require.NoError(t, err)
		n++
		tally.Add(&rec)
		require.NoError(t, w.Write(&rec))
	}
	require.NoError(t, w.Flush())
	assert.Equal(t, 8, n)
	assert.Equal(t, string(raw), out.String(), "ZM written back must equal the sample byte for byte")

	rdRaw := readMember(t, a.First(KindRD))
	sum, err := ParseRD(bytes.NewReader(rdRaw))
	require.NoError(t, err)
	require.NoError(t, sum.Check(&tally))
	out.Reset()
	require.NoError(t, WriteRD(&out, sum))
	assert.Equal(t, string(rdRaw), out.String(), "RD written back must equal the sample byte for byte")

	built := tally.Summary(sum.MerID, sum.MerName, sum.AcqInsCode, sum.SettleDate, sum.Generated)
	out.Reset()
	require.NoError(t, WriteRD(&out, built))
	assert.Equal(t, string(rdRaw), out.String(), "RD built from the ZM records must equal the sample")
}
