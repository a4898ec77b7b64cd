package reconcile

import (
	"archive/zip"
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// (mutation review R26, R27, R65) Check reports a summary report whose tables do not add up, or disagree.
func TestCheckTableConsistency(t *testing.T) {
	var tally Tally
	for _, r := range []Record{
		{TxnType: "01", PayCardType: "01", TxnAmt: 1000, MerchantFee: -6, SettleAmt: 994},
		{TxnType: "01", PayCardType: "02", TxnAmt: 2000, MerchantFee: -12, SettleAmt: 1988},
		{TxnType: "04", PayCardType: "01", TxnAmt: 500, MerchantFee: 3, SettleAmt: -497},
	} {
		tally.Add(&r)
	}
	base := func() *Summary {
		s := tally.Summary("777290058110097", "m", "48021000", settle, settle)
		s.ByTxnType = append([]SummaryRow(nil), s.ByTxnType...)
		s.ByCardKind = append([]SummaryRow(nil), s.ByCardKind...)
		return s
	}
	require.NoError(t, base().Check(&tally))
	for _, tt := range []struct {
		name, row string
		edit      func(s *Summary)
	}{
		{"a txn-type row off", rdTxnTable + "合计", func(s *Summary) { s.ByTxnType[0].TxnCredit += 100 }},
		{"a card row off", rdCardTable + "合计", func(s *Summary) { s.ByCardKind[1].NetCredit += 100 }},
		{"card table consistent but off the first table", rdCardTable + rdTotal, func(s *Summary) {
			s.CardTotal.Count++
			s.ByCardKind[3].Count++
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := base()
			tt.edit(s)
			err := s.Check(&tally)
			require.ErrorIs(t, err, ErrMismatch)
			var me *MismatchError
			require.ErrorAs(t, err, &me)
			require.NotEmpty(t, me.Diffs)
			for _, d := range me.Diffs {
				require.Equal(t, tt.row, d.Row)
			}
		})
	}
}

// (mutation review R20, R21, R64) records without settlement (pre-auth, pre-auth cancel) go to the side of their
// type, and card kinds to their rows.
func TestTallySides(t *testing.T) {
	for _, tt := range []struct {
		rec                 Record
		debit, credit, card int64
		cardRow             int
	}{
		{Record{TxnType: "02", TxnAmt: 5000, PayCardType: "02"}, 0, 5000, 5000, 1},
		{Record{TxnType: "32", TxnAmt: 5000, PayCardType: "03"}, 5000, 0, 5000, 2},
		{Record{TxnType: "01", TxnAmt: 100, SettleAmt: 100, PayCardType: "09"}, 0, 100, 100, 3},
	} {
		var tl Tally
		tl.Add(&tt.rec)
		require.Equal(t, tt.debit, tl.Total.TxnDebit, tt.rec.TxnType)
		require.Equal(t, tt.credit, tl.Total.TxnCredit, tt.rec.TxnType)
		s := tl.Summary("", "", "", settle, settle)
		require.Equal(t, int64(1), s.ByCardKind[tt.cardRow].Count)
		require.Equal(t, tt.card, s.ByCardKind[tt.cardRow].TxnCredit+s.ByCardKind[tt.cardRow].TxnDebit)
	}
}

// (mutation review R60, R61, R62) RD amounts keep their sign; the 交易类型 总计 is required; counts are not negative.
func TestParseRD(t *testing.T) {
	for in, want := range map[string]int64{"-12.34": -1234, "12.34": 1234, "0.05": 5} {
		v, ok := parseYuan(in)
		require.True(t, ok, in)
		require.Equal(t, want, v, in)
	}
	for name, text := range map[string]string{
		"only the card total": "卡性质  交易笔数\r\n总计  8  0.00  1.00  0.00  0.00  0.00  1.00\r\n",
		"negative count":      "交易类型  交易笔数\r\n总计  -1  0.00  1.00  0.00  0.00  0.00  1.00\r\n",
	} {
		_, err := ParseRD(strings.NewReader(gbk(t, text)))
		require.ErrorIs(t, err, ErrMalformed, name)
	}
}

// (mutation review R45, R46, R50) a line one byte short of the shortest layout is malformed, not a record
// with its last field cut.
func TestShortLines(t *testing.T) {
	l := zmLines(t, 1)[0]
	for _, tt := range []struct {
		name string
		line []byte
		ok   bool
	}{
		{"v2 508", l[:508], true},
		{"v2 507", l[:507], false},
		{"v3 540", asV3(l)[:540], true},
		{"v3 539", asV3(l)[:539], false},
	} {
		var errs []error
		for _, err := range ZM(bytes.NewReader(cat(tt.line, []byte("\r\n"))), settle) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1, tt.name)
		if tt.ok {
			require.NoError(t, errs[0], tt.name)
		} else {
			require.Error(t, errs[0], tt.name)
		}
	}
	var buf bytes.Buffer
	w := NewZMEWriter(&buf)
	er := randomErrorRecord(rand.New(rand.NewPCG(5, 6)), 1)
	require.NoError(t, w.Write(&er))
	require.NoError(t, w.Flush())
	line := bytes.TrimSuffix(buf.Bytes(), []byte("\r\n"))
	for n, ok := range map[int]bool{203: true, 202: false} {
		var errs []error
		for _, err := range ZME(bytes.NewReader(cat(line[:n], []byte("\r\n"))), settle) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		require.Equal(t, ok, errs[0] == nil, "ZME %d bytes: %v", n, errs[0])
	}
}

// (mutation review R42) in a stream, an unchanged origTxnTime is dated again when txnTime changes.
func TestDeltaOrigTxnTime(t *testing.T) {
	v1, v2 := refundValues(t), refundValues(t)
	v1[4], v1[14] = "0101003000", "0101002000"
	v2[4], v2[14] = "1231235000", "0101002000"
	file := assemble(t, zmWidths, v1) + "\r\n" + assemble(t, zmWidths, v2) + "\r\n"
	var recs []Record
	for r, err := range ZM(strings.NewReader(file), beijingTime(2026, 1, 1, 0, 0, 0)) {
		require.NoError(t, err)
		recs = append(recs, r)
	}
	require.Len(t, recs, 2)
	require.Equal(t, beijingTime(2026, 1, 1, 0, 20, 0), recs[0].OrigTxnTime)
	require.Equal(t, beijingTime(2025, 1, 1, 0, 20, 0), recs[1].OrigTxnTime)
	require.False(t, recs[1].OrigTxnTime.After(recs[1].TxnTime))
}

// (mutation review R40) a second of 60 is not a time.
func TestSixtySeconds(t *testing.T) {
	v := refundValues(t)
	v[4] = "0102030460"
	_, err := parseOne(t, assemble(t, zmWidths, v), december)
	require.Error(t, err)
}

// (mutation review R37) a 29 February eight years back, across 2100.
func TestLeapDayAcross2100(t *testing.T) {
	d, ok := latestBefore(time.Date(2104, 2, 28, 12, 0, 0, 0, Beijing()), 2, 29, 0)
	require.True(t, ok)
	require.Equal(t, time.Date(2096, 2, 29, 0, 0, 0, 0, Beijing()), d)
}

// (mutation review R54) the ratio limit is exact.
func TestRatioBoundary(t *testing.T) {
	data := bytes.Repeat([]byte("ZM line "), 1<<18) // 2 MiB
	z := makeZip(t, zipEntry{"INN25123188ZM_777290058110097", data})
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	require.NoError(t, err)
	f := zr.File[0]
	q := int(f.UncompressedSize64 / f.CompressedSize64)
	_, err = Open(z, WithMaxRatio(q))
	require.NoError(t, err)
	_, err = Open(z, WithMaxRatio(q-1))
	require.ErrorIs(t, err, ErrTooLarge)
}

// (mutation review R43) a member name whose yymmdd has day 00 has no settle date (not the month before's last day).
func TestNameDayZero(t *testing.T) {
	for _, name := range []string{"INN25010088ZM_777290058110097", "INN25010088ZME_777290058110097"} {
		m := newMember(&zip.File{FileHeader: zip.FileHeader{Name: name}})
		require.True(t, m.SettleDate.IsZero(), "%s: %v", name, m.SettleDate)
	}
}

// TestTallyOverflow: totals past int64 fen (records added from several ZM members: one member
// within Open's limits cannot get there) or a negative txnAmt make the Tally's totals wrong:
// Err and Summary.Check say so (the command-line tool printed a negative total from a zip of two
// members that stayed within every limit; a penetration test).
func TestTallyOverflow(t *testing.T) {
	t.Parallel()
	big := Record{TxnType: "01", TxnAmt: 999_999_999_999, SettleAmt: 999_999_999_999}
	tests := []struct {
		name  string
		recs  []Record
		fails bool
	}{
		{"within int64", []Record{big, big}, false},
		{"txnAmt credit past int64", []Record{{TxnType: "01", TxnAmt: math.MaxInt64}, {TxnType: "01", TxnAmt: 1}}, true},
		{"fee credit past int64", []Record{{TxnType: "04", MerchantFee: math.MaxInt64}, {TxnType: "04", MerchantFee: 1}}, true},
		{"a negative txnAmt", []Record{{TxnType: "01", TxnAmt: -1}}, true},
		{"fee of math.MinInt64", []Record{{TxnType: "01", MerchantFee: math.MinInt64}}, true},
		{"settleAmt debit past int64", []Record{{TxnType: "04", SettleAmt: -math.MaxInt64}, {TxnType: "04", SettleAmt: -1}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var tally Tally
			for i := range tt.recs {
				tally.Add(&tt.recs[i])
			}
			s := tally.Summary("777290058110048", "", "", time.Date(2026, 11, 25, 0, 0, 0, 0, Beijing()), time.Time{})
			if !tt.fails {
				require.NoError(t, tally.Err())
				require.NoError(t, s.Check(&tally))
				return
			}
			require.ErrorIs(t, tally.Err(), ErrOverflow)
			require.ErrorIs(t, s.Check(&tally), ErrOverflow)
			assert.NotErrorIs(t, s.Check(&tally), ErrMismatch)
		})
	}
}
