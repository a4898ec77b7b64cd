package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"time"

	"github.com/goacp/unionpay/reconcile"
)

// rdName is the name of an RD summary report: RD{nnnn}{yymmdd}{nn}_{merId}.
var rdName = regexp.MustCompile(`^RD\d{12}_`)

// rdTitle is the end of the RD report's title 中国银联全渠道商户交易汇总表, "交易汇总表", in GBK.
const rdTitle = "\xbd\xbb\xd2\xd7\xbb\xe3\xd7\xdc\xb1\xed"

// isBareRD reports whether a file that is not a zip is an RD summary report, by its name or by
// the title in its first lines.
func isBareRD(path string, data []byte) bool {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return false
	}
	if rdName.MatchString(filepath.Base(path)) {
		return true
	}
	return bytes.Contains(data[:min(len(data), 1024)], []byte(rdTitle))
}

// rdTotals is what reconcile prints for a bare RD report: its 总计 row in -summary's keys.
type rdTotals struct {
	Kind       string `json:"kind"`
	MerID      string `json:"merId"`
	SettleDate string `json:"settleDate"`
	totals
}

// writeBareRD parses a bare RD report and writes its totals as one JSON object.
func writeBareRD(w io.Writer, path string, data []byte, day time.Time) error {
	s, err := reconcile.ParseRD(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s (an RD summary report): %w", filepath.Base(path), err)
	}
	if !day.IsZero() && !s.SettleDate.IsZero() && !s.SettleDate.Equal(day) {
		return fmt.Errorf("-settle-date %s disagrees with the RD summary report %s (settle date %s)",
			day.Format("20060102"), filepath.Base(path), s.SettleDate.Format("20060102"))
	}
	r := s.Total
	out := rdTotals{Kind: "RD", MerID: s.MerID, totals: totals{Records: r.Count, TxnAmtCredit: r.TxnCredit,
		TxnAmtDebit: r.TxnDebit, TxnAmtNet: r.TxnCredit - r.TxnDebit, MerchantFee: r.FeeCredit - r.FeeDebit,
		SettleAmt: r.NetCredit - r.NetDebit}}
	if !s.SettleDate.IsZero() {
		out.SettleDate = s.SettleDate.Format("20060102")
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
