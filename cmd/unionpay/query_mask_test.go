package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/unionpay"
)

// TestQueryMasksMessagesEverywhere: a card number quoted in the answer's messages is masked
// wherever query shows it: in groups cut by ideographic spaces (U+3000), tabs or two spaces,
// which pan.MaskRuns alone leaves and oneLine then prints as one run in single spaces, and in
// the one line on stderr of a failed transaction, which quoted origRespMsg as received.
func TestQueryMasksMessagesEverywhere(t *testing.T) {
	tx := &unionpay.Transaction{State: unionpay.Failed, OrderID: "ORDER0001", RespCode: "00",
		RespMsg: "6216\t2610\t0000\t0000\t018", OrigRespCode: "14",
		OrigRespMsg: "卡号６２１６\u3000２６１０\u3000００００\u3000００００\u3000０１８无效",
		Other:       &unionpay.Transaction{State: unionpay.Succeeded, RespMsg: "6216  2610  0000  0000  018"}}
	o := queryOutputOf(nil, tx)
	for _, asJSON := range []bool{false, true} {
		var b strings.Builder
		require.NoError(t, o.write(&b, asJSON))
		for _, part := range []string{"2610", "２６１０"} {
			assert.NotContains(t, b.String(), part, "json %v: %s", asJSON, b.String())
		}
		assert.Equal(t, 3, strings.Count(b.String(), "621626******0018"), "json %v: %s", asJSON, b.String())
	}

	c := newServiceCreds(t)
	var sent []string
	r := c.run(t, answerQuery(c.g.srv, "14", "无效卡号6216261000000000018", &sent),
		append([]string{"query", "-order", "ORDER00000001", "-txn-time", c.g.srv.Now().Format("20060102150405")}, c.configFlags...)...)
	require.Equal(t, exitFailed, r.code, "stdout %q stderr %q", r.stdout, r.stderr)
	assert.Contains(t, r.stderr, "origRespCode 14 (无效卡号621626******0018)")
	assert.NotContains(t, r.stdout+r.stderr, "6216261000000000018")
}
