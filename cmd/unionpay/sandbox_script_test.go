package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/reconcile"
	"github.com/goacp/unionpay/unionpay"
	"github.com/goacp/unionpay/unionpay/unionpaytest"
)

// TestSandboxScriptAndConfig: from the shell alone, "unionpay sandbox -script" fixes the outcome of
// an order sent later (pending, failed after it was accepted), and "unionpay query -config" with
// the acp_sdk.properties the sandbox writes queries it, with the exit status of each state.
func TestSandboxScriptAndConfig(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	var stderr syncBuilder
	backURL, _ := acceptingBackURL(t) // a notify route that works: the sandbox says nothing of it
	info, done := startSandbox(t, ctx, &stderr, "-dir", dir,
		"-script", "SCRIPTPEND01=00,05", "-script", "SCRIPTFAIL01=00,64", "-script", "SCRIPTLATE01=00,05,00")
	defer func() {
		cancel()
		<-done
	}()

	require.Equal(t, filepath.Join(dir, "acp_sdk.properties"), info["config"], "the sandbox names its acp_sdk.properties")
	jc, err := unionpay.LoadJavaConfig(info["config"])
	require.NoError(t, err, "the file loads as a service's would")
	jc.Config.MerchantID = info["merId"]
	client, err := unionpay.NewClient(jc.Config)
	require.NoError(t, err)
	assert.Equal(t, info["query"], jc.Config.Endpoints.Query)

	consume := func(orderID string) string {
		t.Helper()
		when := time.Now()
		_, err := client.BackConsume(ctx, &unionpay.CardRequest{OrderID: orderID, Amount: 1000, TxnTime: when,
			BackURL: backURL, AccNo: unionpaytest.TestCard})
		require.NoError(t, err)
		return when.In(reconcile.Beijing()).Format("20060102150405")
	}
	query := func(orderID, txnTime string) result {
		t.Helper()
		var out, errOut bytes.Buffer
		e := &env{ctx: ctx, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
		code := e.dispatch([]string{"query", "-merid", info["merId"], "-config", info["config"], "-order", orderID, "-txn-time", txnTime})
		return result{code, out.String(), errOut.String()}
	}
	tests := []struct {
		order   string
		queries []int    // the exit status of each query, in turn
		state   []string // the state printed by each
	}{
		{"SCRIPTPEND01", []int{exitQueryAgain, exitQueryAgain}, []string{"pending", "pending"}},
		{"SCRIPTFAIL01", []int{exitFailed}, []string{"failed"}},
		{"SCRIPTLATE01", []int{exitQueryAgain, exitOK}, []string{"pending", "succeeded"}},
		{"NOTSCRIPTED1", []int{exitOK}, []string{"succeeded"}},
	}
	for _, tt := range tests {
		t.Run(tt.order, func(t *testing.T) {
			at := consume(tt.order)
			for i, code := range tt.queries {
				r := query(tt.order, at)
				require.Equal(t, code, r.code, "query %d: stdout %q stderr %q", i+1, r.stdout, r.stderr)
				assert.Contains(t, r.stdout, "state: "+tt.state[i]+"\n", "query %d", i+1)
				requireNoSecret(t, r)
			}
		})
	}
	assert.Empty(t, stderr.String(), "no protocol violations")
}

// TestSandboxScriptUsage: a -script that names no order or holds a code that is not a respCode
// is a usage error naming the flag, before the sandbox starts (Server.Script would panic).
func TestSandboxScriptUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no codes", []string{"-script", "ORDER0001"}, "-script: want ORDERID=CODE[,CODE...]"},
		{"no order", []string{"-script", "=00,05"}, "-script: want ORDERID=CODE[,CODE...]"},
		{"empty codes", []string{"-script", "ORDER0001="}, "-script: want ORDERID=CODE[,CODE...]"},
		{"one digit", []string{"-script", "ORDER0001=00,5"}, `"5" is not a respCode`},
		{"lower case", []string{"-script", "ORDER0001=a6"}, `"a6" is not a respCode`},
		{"trailing comma", []string{"-script", "ORDER0001=00,"}, `"" is not a respCode`},
		{"an order twice", []string{"-script", "ORDER0001=00", "-script", "ORDER0001=05"}, "orderId ORDER0001 given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireFailure(t, runCLI(t, "", append([]string{"sandbox", "-addr", "127.0.0.1:0"}, tt.args...)...), exitUsage, tt.want)
		})
	}
}

// TestSandboxScriptCodes: -script takes every respCode made of two digits or capital letters,
// the first and last of each range included, in the order given.
func TestSandboxScriptCodes(t *testing.T) {
	var s sandboxScripts
	require.NoError(t, s.Set("ORDER0001=00,09,90,99,A0,AZ,Z9,ZZ"))
	require.NoError(t, s.Set("ORDER0002=05"))
	assert.Equal(t, sandboxScripts{
		{"ORDER0001", []unionpaytest.Outcome{"00", "09", "90", "99", "A0", "AZ", "Z9", "ZZ"}},
		{"ORDER0002", []unionpaytest.Outcome{"05"}},
	}, s)
}

// TestSandboxConfigFile: the acp_sdk.properties the sandbox writes names each of its seven
// endpoints under the Java SDK's key, version 5.1.0 with RSA signatures, the PFX's password, and
// the files by absolute path even when -dir is relative (a query run from another directory
// still finds them).
func TestSandboxConfigFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	f := sandboxFiles{pfx: "sb/merchant.pfx", root: "sb/root.cer", middle: "sb/middle.cer", enc: "sb/enc.cer"}
	require.NoError(t, os.Mkdir("sb", 0o700))
	path, err := writeSandboxConfig("sb", "http://127.0.0.1:8080", f)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join("sb", "acp_sdk.properties"), path)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	abs := func(p string) string { return filepath.ToSlash(filepath.Join(dir, p)) }
	assert.Equal(t, "# unionpay sandbox: its endpoints and test credentials, never UnionPay's\n"+
		"acpsdk.frontTransUrl=http://127.0.0.1:8080"+string(unionpaytest.EndpointFront)+"\n"+
		"acpsdk.backTransUrl=http://127.0.0.1:8080"+string(unionpaytest.EndpointBack)+"\n"+
		"acpsdk.singleQueryUrl=http://127.0.0.1:8080"+string(unionpaytest.EndpointQuery)+"\n"+
		"acpsdk.batchTransUrl=http://127.0.0.1:8080"+string(unionpaytest.EndpointBatch)+"\n"+
		"acpsdk.fileTransUrl=http://127.0.0.1:8080"+string(unionpaytest.EndpointFile)+"\n"+
		"acpsdk.appTransUrl=http://127.0.0.1:8080"+string(unionpaytest.EndpointApp)+"\n"+
		"acpsdk.cardTransUrl=http://127.0.0.1:8080"+string(unionpaytest.EndpointCard)+"\n"+
		"acpsdk.version=5.1.0\nacpsdk.signMethod=01\nacpsdk.signCert.type=PKCS12\nacpsdk.signCert.pwd="+sandboxPassword+"\n"+
		"acpsdk.signCert.path="+abs("sb/merchant.pfx")+"\nacpsdk.rootCert.path="+abs("sb/root.cer")+"\n"+
		"acpsdk.middleCert.path="+abs("sb/middle.cer")+"\nacpsdk.encryptCert.path="+abs("sb/enc.cer")+"\n", string(got))
}
