package reconcile

import (
	"strings"
	"time"

	"github.com/goacp/unionpay/internal/tz"
)

// MemberKind tells the kind of a settlement-file member from its file name, as Open lists a
// zip's members and as the official SDKs and clients tell them ("ZME_" before "ZM_", "PEDERR_"
// before "PED_", "RD" at the start with a '_'): KindUnknown for a name that says none. It reads
// what MemberName writes, and serves a member saved alone, outside its zip.
func MemberKind(name string) Kind { return kindOf(name) }

// kindOf tells a member's kind from its name (a plain file name, see
// plainName), by the substrings the official SDKs and clients test ("ZME_"
// before "ZM_", "PEDERR_" before "PED_").
func kindOf(base string) Kind {
	switch {
	case strings.Contains(base, "ZME_"):
		return KindZME
	case strings.Contains(base, "ZM_"):
		return KindZM
	case strings.Contains(base, "PEDERR_"):
		return KindPEDERR
	case strings.Contains(base, "PED_"):
		return KindPED
	case strings.HasPrefix(base, "RD") && strings.Contains(base, "_"):
		return KindRD
	}
	return KindUnknown
}

// nameInfo extracts the merId after the last '_' and the settle date: yymmdd at
// offset 3 of INN... names and offset 6 of RD... names.
func nameInfo(base string, k Kind) (merID string, settle time.Time) {
	if i := strings.LastIndexByte(base, '_'); i >= 0 {
		merID = base[i+1:]
	}
	at := -1
	switch {
	case (k == KindZM || k == KindZME) && strings.HasPrefix(base, "INN"):
		at = 3
	case k == KindRD:
		at = 6
	}
	if at < 0 || len(base) < at+6 {
		return merID, time.Time{}
	}
	d := []byte(base[at : at+6])
	y, m, day := two(d[0:2]), two(d[2:4]), two(d[4:6])
	if y < 0 || !validDay(2000+y, m, day) {
		return merID, time.Time{}
	}
	return merID, time.Date(2000+y, time.Month(m), day, 0, 0, 0, 0, tz.Beijing())
}

// Member name infixes as seen in UnionPay's sample; their meaning is not
// documented (the "88" matches the acquirer code's first digits).
const (
	zmInfix  = "88"
	rdPrefix = "RD2010"
	rdSuffix = "01"
	yymmdd   = "060102"
	yyyymmdd = "20060102"
)

// MemberName returns the name UnionPay gives a member of kind k (ZM, ZME or
// RD) for merID and settleDate, following the official sample:
// INN{yymmdd}88ZM_{merId}, INN{yymmdd}88ZME_{merId}, RD2010{yymmdd}01_{merId}.
// The fixed digits are copied from the sample; their meaning is unknown.
// Other kinds return "". settleDate is read as Archive.Records and
// unionpay's DownloadFile read it: a midnight is its own date, another time
// its Beijing date.
func MemberName(k Kind, merID string, settleDate time.Time) string {
	d := settleDay(settleDate).Format(yymmdd)
	switch k {
	case KindZM:
		return "INN" + d + zmInfix + "ZM_" + merID
	case KindZME:
		return "INN" + d + zmInfix + "ZME_" + merID
	case KindRD:
		return rdPrefix + d + rdSuffix + "_" + merID
	}
	return ""
}

// ArchiveName returns the file name of a settlement zip, {merId}_{yyyyMMdd}.zip,
// settleDate read as in MemberName.
func ArchiveName(merID string, settleDate time.Time) string {
	return merID + "_" + settleDay(settleDate).Format(yyyymmdd) + ".zip"
}

// settleDay returns the date settleDate names, as a time whose own date is it: a midnight
// in its own zone is that date, another time (unionpay.SettleDay's Beijing midnight read
// back from a UTC database, say) the Beijing date it falls in.
func settleDay(t time.Time) time.Time {
	if h, mi, sec := t.Clock(); h != 0 || mi != 0 || sec != 0 || t.Nanosecond() != 0 {
		return t.In(tz.Beijing())
	}
	return t
}
