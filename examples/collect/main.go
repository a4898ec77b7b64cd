// Collect walks the back-end flows of a merchant that debits its customers' cards every month
// and pays money back to them (an insurer here; a utility or a lender goes the same way), step by
// step, and checks every step:
//
//  1. the customer's card is checked to be theirs (实名认证: RealNameAuth, txnType 72);
//  2. a verification code is sent to the holder's phone (SendSMS, bizType 000501, 代收's);
//  3. the month's instalment is collected (代收: Collect, txnType 11);
//  4. UnionPay's signed notification of it arrives at the insurer's notify.Handler and is
//     Checked against what was stored before sending;
//  5. a collection the gateway leaves pending (respCode 05) is queried until final, never sent
//     again;
//  6. an overpayment is paid back to the card (代付: Payout, txnType 12, bizType 000401); its
//     answer, 01, is not final for a payout, so it is queried until final too.
//
// Everything runs in this process against the fake gateway of package unionpaytest, with no
// network and no certificates to install. The gateway runs on a clock of its own, which the
// client's waits between queries move on (Config.Sleep): UnionPay's schedules (1, 2, 4... s; a
// payout's first query after 3 minutes) take no real time.
//
//	go run ./examples/collect
//
// The exit status is 0 only if every step checked out. README.md's CollectMonth is the same
// collection made crash-safe: stored before sending, and queried after a restart.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := demo(ctx, os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "collect:", err)
		os.Exit(1)
	}
}

// demo starts the fake gateway and runs the insurer's steps against it.
func demo(ctx context.Context, w io.Writer) error {
	gw := newGateway()
	defer gw.Close()
	return run(ctx, w, gw, gw.Config())
}

// newGateway starts the fake gateway at 10:00 Beijing time today, on a clock that its
// notifications and the client's waits (Config.Sleep) move on instead of taking real time.
func newGateway(opts ...unionpaytest.Option) *unionpaytest.Server {
	clock := unionpaytest.NewClock(unionpaytest.BusinessDayClock()())
	return unionpaytest.NewServer(append(opts, unionpaytest.WithTestClock(clock))...)
}
