package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
)

// periodicZip returns a day's zip holding the ZM and RD members of testRecords and, after them,
// a member of each name in periodic holding a ZM record of 99.00 yuan (the layout of PED and
// PEDERR files is not known: any content will do).
func periodicZip(t *testing.T, day time.Time, zm bool, periodic ...string) []byte {
	t.Helper()
	const merID = "777290058110048"
	var buf bytes.Buffer
	aw := reconcile.NewArchiveWriter(&buf, day.Add(33*time.Hour))
	add := func(name string, recs []reconcile.Record) {
		w, err := aw.Create(name)
		require.NoError(t, err)
		zw := reconcile.NewZMWriter(w)
		for i := range recs {
			require.NoError(t, zw.Write(&recs[i]))
		}
		require.NoError(t, zw.Flush())
	}
	if zm {
		recs := testRecords(day)
		add(reconcile.MemberName(reconcile.KindZM, merID, day), recs)
		var tally reconcile.Tally
		for i := range recs {
			tally.Add(&recs[i])
		}
		w, err := aw.Create(reconcile.MemberName(reconcile.KindRD, merID, day))
		require.NoError(t, err)
		require.NoError(t, reconcile.WriteRD(w, tally.Summary(merID, "测试商户", "88022900", day, day.AddDate(0, 0, 1))))
	}
	extra := testRecords(day)[:1]
	extra[0].OrderID, extra[0].TxnAmt, extra[0].MerchantFee, extra[0].SettleAmt, extra[0].NetSettleAmt = "SHOPPERIOD01", 9900, -59, 9841, 9841
	for _, name := range periodic {
		add(name, extra)
	}
	require.NoError(t, aw.Close())
	return buf.Bytes()
}

// TestReconcileNotesPeriodicMembers: a periodic merchant's zip may hold PED (周期交易明细) and
// PEDERR (周期差错) members, whose layout is not known, so reconcile does not read them; it says
// so on stderr, one note each, naming the member (status and output those of the zip without
// them), so that their transactions are not left out of the totals unseen.
func TestReconcileNotesPeriodicMembers(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	const ped, pedErr = "INN26112588PED_777290058110048", "INN26112588PEDERR_777290058110048"
	dir := t.TempDir()
	plain := writeTestFile(t, dir, "plain.zip", periodicZip(t, day, true))
	withPED := writeTestFile(t, dir, "periodic.zip", periodicZip(t, day, true, ped, pedErr))
	orders := writeTestFile(t, dir, "orders.csv", []byte(reconcile.OrdersCSVHeader+"\n"+
		"SHOP0001,20261125100000,10000,01,succeeded\nSHOP0002,20261125110000,4000,04,succeeded\n"))
	for _, args := range [][]string{nil, {"-summary"}, {"-summary", "-format", "csv"}, {"-orders", orders}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			want := runCLI(t, "", append(append([]string{"reconcile"}, args...), plain)...)
			require.Equal(t, exitOK, want.code, want.stderr)
			require.Empty(t, want.stderr)
			r := runCLI(t, "", append(append([]string{"reconcile"}, args...), withPED)...)
			require.Equal(t, exitOK, r.code, r.stderr)
			assert.Equal(t, want.stdout, r.stdout)
			assert.Equal(t, "unionpay reconcile: note: "+withPED+": "+ped+" (PED, a periodic merchant's detail) is not read: "+
				"its layout is not known, so its transactions are in no total\n"+
				"unionpay reconcile: note: "+withPED+": "+pedErr+" (PEDERR, a periodic merchant's errors) is not read: "+
				"its layout is not known, so its transactions are in no total\n", r.stderr)
		})
	}
}

// TestReconcileRefusesPeriodicOnly: a zip holding only PED or PEDERR members, or one of them
// alone, has nothing reconcile reads: it is refused with an error naming what it holds (not read
// as a ZM file, which would count a PEDERR's error transactions as settled payments), status 1.
func TestReconcileRefusesPeriodicOnly(t *testing.T) {
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, reconcile.Beijing())
	const ped, pedErr = "INN26112588PED_777290058110048", "INN26112588PEDERR_777290058110048"
	dir := t.TempDir()
	zip := writeTestFile(t, dir, "periodic.zip", periodicZip(t, day, false, ped))
	a, err := reconcile.Open(periodicZip(t, day, false, ped))
	require.NoError(t, err)
	rc, err := a.Members()[0].Open()
	require.NoError(t, err)
	member, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	barePED := writeTestFile(t, dir, ped, member)
	barePEDERR := writeTestFile(t, dir, pedErr, member)
	orders := writeTestFile(t, dir, "orders.csv", []byte(reconcile.OrdersCSVHeader+"\n"))
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"zip", []string{zip}, "holds no ZM, ZME or RD member, only a periodic merchant's member that is not read " +
			"(its layout is not known): " + ped},
		{"zip, summary", []string{"-summary", zip}, "only a periodic merchant's member"},
		{"bare PED", []string{"-settle-date", "20261125", barePED}, ped + " is a PED file (a periodic merchant's detail), " +
			"which is not read: its layout is not known"},
		{"bare PED, summary", []string{"-summary", "-settle-date", "20261125", barePED}, ped + " is a PED file"},
		{"bare PEDERR", []string{"-settle-date", "20261125", barePEDERR}, pedErr + " is a PEDERR file (a periodic merchant's errors)"},
		{"bare PEDERR, orders", []string{"-settle-date", "20261125", "-orders", orders, barePEDERR}, pedErr + " is a PEDERR file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			requireFailure(t, runCLI(t, "", append([]string{"reconcile"}, tt.args...)...), exitFailed, tt.want)
		})
	}
}
