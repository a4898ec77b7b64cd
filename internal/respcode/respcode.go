// Package respcode classifies UnionPay respCodes that more than one package acts on alike: the
// client's query back-off (package unionpay) and the command-line tool's download.
package respcode

// Busy reports a respCode by which the gateway declines to answer for now, all "try again
// later" in UnionPay's code table: 02 (system not open, or closed for a while), 06 (system busy)
// and 37 (已超过最大查询次数或操作过于频繁, queried too often). It says nothing about the
// transaction asked about: a query answered so is asked again on the schedule
// (Client.QueryUntilFinal), and a download answered so is to be tried again, not alerted on as a
// refusal.
func Busy(respCode string) bool {
	return respCode == "02" || respCode == "06" || respCode == "37"
}
