package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// orderSeq numbers the orders the tests of query and download make on the shared gateway.
var orderSeq atomic.Int64

// backConsume makes a back consume of the test card on the fake gateway through the SDK, with
// steps as its Script, and returns its orderId and txnTime as query takes them.
func backConsume(t *testing.T, g *gatewayFiles, amount int64, steps ...unionpaytest.Outcome) (orderID, txnTime string) {
	t.Helper()
	orderID = fmt.Sprintf("CLIQ%d%d", time.Now().UnixNano()%1e9, orderSeq.Add(1))
	g.srv.Script(orderID, steps...)
	client, err := unionpay.NewClient(g.srv.Config())
	require.NoError(t, err)
	when := g.srv.Now()
	_, err = client.BackConsume(context.Background(), &unionpay.CardRequest{OrderID: orderID, Amount: amount, TxnTime: when,
		BackURL: "https://shop.example/notify", AccNo: unionpaytest.TestCard})
	require.NoError(t, err)
	return orderID, when.In(reconcile.Beijing()).Format("20060102150405")
}

// frontPay makes a front consume on the fake gateway through the SDK and pays it with card on the
// cashier page (the declined card fails it, 64), and returns its orderId and txnTime as query
// takes them. Its notification goes to a server of the test's that accepts it.
func frontPay(t *testing.T, g *gatewayFiles, amount int64, card string) (orderID, txnTime string) {
	t.Helper()
	shop := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(shop.Close)
	orderID = fmt.Sprintf("CLIF%d%d", time.Now().UnixNano()%1e9, orderSeq.Add(1))
	client, err := unionpay.NewClient(g.srv.Config())
	require.NoError(t, err)
	when := g.srv.Now()
	form, err := client.FrontConsume(&unionpay.ConsumeRequest{OrderID: orderID, Amount: amount, TxnTime: when,
		FrontURL: "https://shop.example/return", BackURL: shop.URL + "/notify"})
	require.NoError(t, err)
	_, err = g.srv.Pay(context.Background(), form.Fields, card)
	require.NoError(t, err)
	return orderID, when.In(reconcile.Beijing()).Format("20060102150405")
}

func TestQuery(t *testing.T) {
	c := newServiceCreds(t)
	succeeded, succeededAt := frontPay(t, c.g, 1234, unionpaytest.TestCard)
	declined, declinedAt := frontPay(t, c.g, 1400, unionpaytest.DeclinedCard)
	failed, failedAt := backConsume(t, c.g, 1500, unionpaytest.Succeed, unionpaytest.NoBalance)
	pending, pendingAt := backConsume(t, c.g, 1600, unionpaytest.Succeed, unionpaytest.Pending, unionpaytest.Pending,
		unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending, unionpaytest.Pending)
	busy, busyAt := backConsume(t, c.g, 1700, unionpaytest.Succeed)
	c.g.srv.ScriptQuery(busy, "06")
	queryPending, queryPendingAt := backConsume(t, c.g, 1800, unionpaytest.Succeed)
	c.g.srv.ScriptQuery(queryPending, unionpaytest.IssuerBusy)
	notFoundAt := c.g.srv.Now().In(reconcile.Beijing()).Format("20060102150405")
	succeededTime, err := unionpay.ParseTxnTime(succeededAt)
	require.NoError(t, err)
	utcAt := succeededTime.UTC().Format("20060102150405") // the same instant, written in UTC as a log may hold it
	// The service's acp_sdk.properties naming UnionPay's test URLs (the transport reaches the fake).
	test, fake := unionpay.TestEndpoints(), c.g.srv.Endpoints()
	props, err := os.ReadFile(c.properties)
	require.NoError(t, err)
	testURLs := []string{"-merid", c.g.srv.MerchantID(), "-config", writeTestFile(t, t.TempDir(), "acp_sdk.properties",
		[]byte(strings.NewReplacer(fake.Front, test.Front, fake.Back, test.Back, fake.Query, test.Query, fake.File, test.File).Replace(string(props))))}

	tests := []struct {
		name      string
		transport http.RoundTripper
		args      []string
		code      int
		out       []string // parts of stdout
		err       string   // part of the one line on stderr; "": none
	}{
		{name: "succeeded, -env test with the files", transport: c.transport(),
			args: append([]string{"-order", succeeded, "-txn-time", succeededAt}, c.pfxFlags...), code: exitOK,
			out: []string{"state: succeeded\n", "orderId: " + succeeded + "\n", "txnTime: " + succeededAt + "\n",
				"txnType: 01\n", "txnAmt: 1234\n", "currencyCode: 156\n", "respCode: 00\n", "origRespCode: 00\n",
				"accNo: 6216***********0018\n"}},
		{name: "succeeded, -config", transport: c.transport(),
			args: append([]string{"-order", succeeded, "-txn-time", succeededAt}, c.configFlags...), code: exitOK,
			out: []string{"state: succeeded\n", "accNo: 6216***********0018\n"}},
		{name: "succeeded, -json", transport: c.transport(),
			args: append([]string{"-order", succeeded, "-txn-time", succeededAt, "-json"}, c.configFlags...), code: exitOK,
			out: []string{`"state":"succeeded"`, `"txnAmt":1234`, `"accNo":"6216***********0018"`}},
		{name: "another amount than the one meant", transport: c.transport(),
			args: append([]string{"-order", succeeded, "-txn-time", succeededAt, "-amount", "999"}, c.configFlags...),
			code: exitQueryAgain, out: []string{"state: not found\n", "\ntxnTime: " + succeededAt + "\n", "\ntxnAmt: \n",
				"other.state: succeeded\n", "other.txnAmt: 1234\n"},
			err: "another transaction"},
		{name: "declined at the cashier", transport: c.transport(),
			args: append([]string{"-order", declined, "-txn-time", declinedAt}, c.configFlags...), code: exitFailed,
			out: []string{"state: failed\n", "origRespCode: 64\n", "accNo: 6216***********0026\n"},
			err: "the transaction failed: origRespCode 64 (卡上的余额不足[0000064]): final for a back transaction; " +
				"a front payment may still be paid on its cashier page until its payTimeout"},
		{name: "failed", transport: c.transport(),
			args: append([]string{"-order", failed, "-txn-time", failedAt}, c.configFlags...), code: exitFailed,
			out: []string{"state: failed\n", "origRespCode: 64\n"}, err: "the transaction failed: origRespCode 64"},
		{name: "pending", transport: c.transport(),
			args: append([]string{"-order", pending, "-txn-time", pendingAt}, c.configFlags...), code: exitQueryAgain,
			out: []string{"state: pending\n", "origRespCode: 05\n", "txnAmt: 1600\n"},
			err: "pending: not final, it may still succeed, so the customer must not pay again: query again later"},
		{name: "the query itself pending", transport: c.transport(),
			args: append([]string{"-order", queryPending, "-txn-time", queryPendingAt}, c.configFlags...), code: exitQueryAgain,
			out: []string{"state: pending\n", "respCode: 83\n", "\ntxnAmt: \n"}, err: "query again later"},
		{name: "not found", transport: c.transport(),
			args: append([]string{"-order", "CLINOSUCHORDER42", "-txn-time", notFoundAt}, c.configFlags...), code: exitQueryAgain,
			out: []string{"state: not found\n", "respCode: 34\n", "txnTime: " + notFoundAt + "\n", "\ntxnAmt: \n"},
			err: "-txn-time is not the txnTime the order was sent with, to the second, in Beijing time): never send the transaction again"},
		{name: "not found, -json: txnAmt null, not 0", transport: c.transport(),
			args: append([]string{"-order", "CLINOSUCHORDER43", "-txn-time", notFoundAt, "-json"}, c.configFlags...), code: exitQueryAgain,
			out: []string{`"state":"not found"`, `"txnAmt":null,`}, err: "never send the transaction again"},
		{name: "not found, txnTime in UTC", transport: c.transport(),
			args: append([]string{"-order", succeeded, "-txn-time", utcAt}, c.configFlags...), code: exitQueryAgain,
			out: []string{"state: not found\n", "orderId: " + succeeded + "\n", "txnTime: " + utcAt + "\n"},
			err: "in Beijing time"},
		{name: "query refused (busy)", transport: c.transport(),
			args: append([]string{"-order", busy, "-txn-time", busyAt}, c.configFlags...), code: exitQueryAgain,
			err: "the query failed, the transaction's state is not known"},
		{name: "network down", transport: failing{},
			args: append([]string{"-order", succeeded, "-txn-time", succeededAt}, c.pfxFlags...), code: exitQueryAgain,
			err: "connection refused (test transport)"},
		{name: "-config of neither environment with -env test", transport: c.transport(),
			args: append([]string{"-order", succeeded, "-txn-time", succeededAt, "-env", "test"}, c.configFlags...),
			code: exitRefused, err: "-env test, but the file's URLs are neither"},
		{name: "-config of UnionPay's test URLs, without -env", transport: c.transport(),
			args: append([]string{"-order", succeeded, "-txn-time", succeededAt}, testURLs...), code: exitOK,
			out: []string{"state: succeeded\n"}},
		{name: "-env test with production's root and middle", transport: failing{},
			args: []string{"-order", succeeded, "-txn-time", succeededAt, "-merid", demoMerID, "-env", "test",
				"-pfx", appPFX, "-password", "000000", "-root", prodRoot, "-middle", prodMiddle},
			code: exitRefused, err: "environment test: -root is of UnionPay's production PKI"},
		{name: "a merId NewClient refuses", transport: failing{},
			args: append([]string{"-order", succeeded, "-txn-time", succeededAt}, append(c.configFlags[2:], "-merid", "77729005811004")...),
			code: exitRefused, err: "unionpay.NewClient: Config.MerchantID"},
		{name: "wrong password", transport: c.transport(),
			args: append([]string{"-order", succeeded, "-txn-time", succeededAt, "-password", "Wr0ng-" + cliPassword}, c.pfxFlags...),
			code: exitRefused, err: "wrong PFX password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(t, tt.transport, append([]string{"query"}, tt.args...)...)
			require.Equal(t, tt.code, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
			for _, want := range tt.out {
				assert.Contains(t, r.stdout, want)
			}
			if tt.err == "" {
				assert.Empty(t, r.stderr)
			} else {
				assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line on stderr: %q", r.stderr)
				assert.Contains(t, r.stderr, tt.err)
			}
			if strings.HasPrefix(r.stdout, "{") {
				var v map[string]any
				require.NoError(t, json.Unmarshal([]byte(r.stdout), &v), "one JSON object")
			}
			requireNoSecret(t, r)
		})
	}
}

// TestQueryTimeout: -timeout is the call's deadline; a call cut short is not known, status 5.
func TestQueryTimeout(t *testing.T) {
	c := newServiceCreds(t)
	order, at := backConsume(t, c.g, 1000, unionpaytest.Succeed)
	slow := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
	start := time.Now()
	r := c.run(t, slow, append([]string{"query", "-order", order, "-txn-time", at, "-timeout", "200ms"}, c.configFlags...)...)
	require.Equal(t, exitQueryAgain, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Contains(t, r.stderr, "deadline exceeded")
}

// TestQueryMasksAccNo: an accNo UnionPay sends in clear, or that decrypts to a whole card number,
// is printed as notify.MaskPAN masks it, one UnionPay masked as it is (shownAccNo); one that does
// not decrypt is "(encrypted)".
func TestQueryMasksAccNo(t *testing.T) {
	g := testGateway(t)
	client, err := unionpay.NewClient(g.srv.Config())
	require.NoError(t, err)
	enc, err := g.srv.Encrypter() // UnionPay's encryption key, not the merchant's: does not decrypt
	require.NoError(t, err)
	other, err := enc.Encrypt(unionpaytest.TestCard)
	require.NoError(t, err)
	tests := []struct{ accNo, want string }{
		{unionpaytest.TestCard, "621626******0018"},
		{"6216********0018", "6216********0018"},
		{"6216***********0018", "6216***********0018"}, // as UnionPay masks a 19-digit card
		{other, "(encrypted)"},
		{"", ""},
	}
	for _, tt := range tests {
		got := queryOutputOf(client, &unionpay.Transaction{OrderID: "ORDER0001", AccNo: tt.accNo, State: unionpay.Succeeded})
		assert.Equal(t, tt.want, got.AccNo)
	}
}

// roundTripFunc is a transport made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f.
func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestQueryDownloadUsage: a command line that is wrong is status 2 with one line naming the flag,
// before anything is loaded or sent, and never shows the password.
func TestQueryDownloadUsage(t *testing.T) {
	c := newServiceCreds(t)
	q := []string{"query", "-order", "ORDER0001", "-txn-time", "20261127100000"}
	d := []string{"download", "-settle-date", "20261127"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"query without -order", append([]string{"query", "-txn-time", "20261127100000"}, c.configFlags...), "-order is required"},
		{"query without -txn-time", append([]string{"query", "-order", "ORDER0001"}, c.configFlags...), "-txn-time is required"},
		{"query, -txn-time not 14 digits", append([]string{"query", "-order", "ORDER0001", "-txn-time", "2026-11-27"}, c.configFlags...), "-txn-time: want YYYYMMDDhhmmss"},
		{"query, negative -amount", append(append(q, "-amount", "-5"), c.configFlags...), "-amount must not be negative"},
		{"query, -biz-type of 4 digits", append(append(q, "-biz-type", "0004"), c.configFlags...), "-biz-type: want 6 digits"},
		{"query, -biz-type of letters", append(append(q, "-biz-type", "B2B000"), c.configFlags...), "-biz-type: want 6 digits"},
		{"query, -biz-type empty", append(append(q, "-biz-type", ""), c.configFlags...), "-biz-type: want 6 digits"},
		{"query, -biz-type of 7 digits", append(append(q, "-biz-type", "0004011"), c.configFlags...), "-biz-type: want 6 digits"},
		{"query, -biz-type padded", append(append(q, "-biz-type", " 000401"), c.configFlags...), "-biz-type: want 6 digits"},
		{"query, a payout under another -biz-type", append(append(q, "-txn-type", "12", "-biz-type", "000000"), c.configFlags...),
			"-biz-type 000000 with -txn-type 12: a payout is queried with bizType 000401"},
		{"query, bad -order", append([]string{"query", "-order", "bad order!", "-txn-time", "20261127100000"}, c.configFlags...), "unionpay query: -order: "},
		{"query without -merid", append(q, "-config", c.properties), "-merid is required"},
		{"query without -env for the files", append(q, "-merid", demoMerID, "-pfx", c.pfx, "-root", testRoot, "-middle", testMiddle),
			"-env is required (test or production)"},
		{"query, -env staging", append(append(q, "-env", "staging"), c.configFlags...), "-env must be test or production (optional with -config)"},
		{"query, -config and -password", append(append(q, "-password", cliPassword), c.configFlags...), "-config excludes"},
		{"query, no credentials", append(q, "-merid", demoMerID, "-env", "test"), "give -config, or -pfx, -root and -middle"},
		{"query, -timeout 0", append(append(q, "-timeout", "0s"), c.configFlags...), "-timeout must be more than 0"},
		{"query, -timeout too long", append(append(q, "-timeout", "2m"), c.configFlags...), "-timeout must be more than 0 and at most 30s"},
		{"query, -timeout in days", append(append(q, "-timeout", "1d"), c.configFlags...), "-timeout"},
		{"query, password run on", append(append(q, "-password"+cliPassword), c.configFlags...), "flag provided but not defined"},
		{"download without -settle-date", append([]string{"download"}, c.configFlags...), "-settle-date is required"},
		{"download, -settle-date MMDD", append([]string{"download", "-settle-date", "1127"}, c.configFlags...), "-settle-date: want YYYYMMDD"},
		{"download, -file-type", append(append(d, "-file-type", "A"), c.configFlags...), "-file-type: want two digits"},
		{"download, -file-type of three digits", append(append(d, "-file-type", "000"), c.configFlags...), "-file-type: want two digits"},
		{"download, -file-type of one digit", append(append(d, "-file-type", "0"), c.configFlags...), "-file-type: want two digits"},
		{"download, -file-type after a digit pair", append(append(d, "-file-type", "00x"), c.configFlags...), "-file-type: want two digits"},
		{"download, empty -o", append(append(d, "-o", ""), c.configFlags...), "-o: empty file name"},
		{"download, settle date in the future", append([]string{"download", "-settle-date", "20991231"}, c.configFlags...), "-settle-date: "},
		{"download without -merid", append(d, "-config", c.properties), "-merid is required"},
		{"download, unknown flag", append(d, "-sumary"), "flag provided but not defined: -sumary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run(t, failing{}, tt.args...)
			requireFailure(t, r, exitUsage, tt.want)
			requireNoSecret(t, r)
		})
	}
}

// TestQueryOutputEscaped: the answer's text (a respMsg) is shown, never acted on by a terminal,
// in -json as in key: value lines: a bidi override, a C1 or C0 control is written as an escape
// (\u202e, \u009b, \x1b), as reconcile's JSON writes a settlement file's text.
func TestQueryOutputEscaped(t *testing.T) {
	const raw = "ok\u202eko\u009b2J\x1b[0m"
	o := &queryOutput{State: "succeeded", OrderID: "ORDER0001", RespMsg: raw,
		Other: &queryOutput{State: "failed", OrigRespMsg: raw}}
	for _, asJSON := range []bool{false, true} {
		t.Run(fmt.Sprintf("json %v", asJSON), func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, o.write(&b, asJSON))
			for _, c := range []string{"\u202e", "\u009b", "\x1b"} {
				assert.NotContains(t, b.String(), c, "printed as received")
			}
			if !asJSON {
				assert.Contains(t, b.String(), "respMsg: ok\\u202eko\\u009b2J\\x1b[0m\n")
				return
			}
			var v map[string]any
			require.NoError(t, json.Unmarshal([]byte(b.String()), &v), "one JSON object")
			assert.Equal(t, `ok\u202eko\u009b2J\x1b[0m`, v["respMsg"])
		})
	}
	assert.Equal(t, raw, o.RespMsg, "the output escaped, not the value")
}

// An answer's text that quotes a card number (in groups, or in full-width digits) is printed
// with the number masked, as accNo is.
func TestQueryOutputMasksMessages(t *testing.T) {
	tx := &unionpay.Transaction{State: unionpay.Failed, OrderID: "ORDER0001", RespCode: "00",
		RespMsg: "成功[6216261000000000018]", OrigRespCode: "14", OrigRespMsg: "卡号６２１６ ２６１０ ００００ ００００ ０１８无效",
		Other: &unionpay.Transaction{State: unionpay.Succeeded, RespMsg: "6216-2610-0000-0000-018"}}
	o := queryOutputOf(nil, tx)
	for _, asJSON := range []bool{false, true} {
		var b strings.Builder
		require.NoError(t, o.write(&b, asJSON))
		for _, full := range []string{"6216261000000000018", "６２１６ ２６１０", "2610-0000"} {
			assert.NotContains(t, b.String(), full, "json %v", asJSON)
		}
		assert.Equal(t, 3, strings.Count(b.String(), "621626******0018"), "json %v: %s", asJSON, b.String())
	}
}

// TestQueryOutputLines: query prints each field of the Transaction under its own key, in the
// Transaction's time in Beijing, with the accNo masked, the other transaction's fields under
// "other.", and an answer's text on its line, escaped (a line break or a terminal control in
// respMsg starts no line of its own and moves no cursor).
func TestQueryOutputLines(t *testing.T) {
	g := testGateway(t)
	client, err := unionpay.NewClient(g.srv.Config())
	require.NoError(t, err)
	paid := unionpay.Transaction{State: unionpay.Succeeded, OrderID: "ORDER0001",
		TxnTime: time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC), TxnType: "01", QueryID: "772611271000001234567",
		Amount: 1234, Currency: "156", RespCode: "00", RespMsg: "成功[0000000]", OrigRespCode: "A6", OrigRespMsg: "部分成功",
		SettleDate: "1127", TraceNo: "123456", TraceTime: "1127100000", AccNo: unionpaytest.TestCard,
		SubMerID: "898111100000001", AcqInsCode: "48020000",
		Raw: sign.Fields{"respCode": "00", "txnAmt": "1234"}}
	const paidLines = "state: succeeded\norderId: ORDER0001\ntxnTime: 20261127100000\ntxnType: 01\n" +
		"queryId: 772611271000001234567\ntxnAmt: 1234\ncurrencyCode: 156\nrespCode: 00\nrespMsg: 成功[0000000]\n" +
		"origRespCode: A6\norigRespMsg: 部分成功\nsettleDate: 1127\ntraceNo: 123456\ntraceTime: 1127100000\n" +
		"accNo: 621626******0018\nsubMerId: 898111100000001\nacqInsCode: 48020000\n"
	hostile := paid
	hostile.RespMsg, hostile.OrigRespMsg = "busy\nstate: succeeded", "\x1b[2Jpaid"
	other := paid
	tests := []struct {
		name string
		tx   unionpay.Transaction
		want string
	}{
		{"every field", paid, paidLines},
		{"an answer's text escaped", hostile, strings.NewReplacer("respMsg: 成功[0000000]\n", "respMsg: busy state: succeeded\n",
			"origRespMsg: 部分成功\n", `origRespMsg: \x1b[2Jpaid`+"\n").Replace(paidLines)},
		{"another transaction", unionpay.Transaction{State: unionpay.NotFound, OrderID: "ORDER0001", RespCode: "00", Other: &other},
			"state: not found\norderId: ORDER0001\ntxnTime: \ntxnType: \nqueryId: \ntxnAmt: \ncurrencyCode: \nrespCode: 00\n" +
				"respMsg: \norigRespCode: \norigRespMsg: \nsettleDate: \ntraceNo: \ntraceTime: \naccNo: \nsubMerId: \nacqInsCode: \n" +
				"other." + strings.ReplaceAll(strings.TrimSuffix(paidLines, "\n"), "\n", "\nother.") + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, queryOutputOf(client, &tt.tx).write(&b, false))
			assert.Equal(t, tt.want, b.String())
		})
	}
	t.Run("-json", func(t *testing.T) {
		var b strings.Builder
		require.NoError(t, queryOutputOf(client, &paid).write(&b, true))
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(b.String()), &got))
		assert.Equal(t, map[string]any{"state": "succeeded", "orderId": "ORDER0001", "txnTime": "20261127100000",
			"txnType": "01", "queryId": "772611271000001234567", "txnAmt": 1234.0, "currencyCode": "156", "respCode": "00",
			"respMsg": "成功[0000000]", "origRespCode": "A6", "origRespMsg": "部分成功", "settleDate": "1127",
			"traceNo": "123456", "traceTime": "1127100000", "accNo": "621626******0018",
			"subMerId": "898111100000001", "acqInsCode": "48020000"}, got)
	})
}

// TestQueryDownloadTimeoutDefault: -timeout is 30s unless given (the SDK's HTTP client's own
// limit), as the synopsis says.
func TestQueryDownloadTimeoutDefault(t *testing.T) {
	for _, cmd := range []string{"query", "download"} {
		r := runCLI(t, "", cmd, "-h")
		require.Equal(t, exitOK, r.code, cmd)
		assert.Contains(t, r.stdout, "[-timeout 30s]", cmd)
		assert.Regexp(t, `-timeout DURATION\n[^\n]*\(default 30s\)\n`, r.stdout, cmd)
	}
}
