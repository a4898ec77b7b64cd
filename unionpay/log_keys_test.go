package unionpay_test

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// logKeys is the SDK's scheme of log keys, the one place the tests keep it: every key, at any
// group depth, of every record the SDK logs or shapes for logging (LogCalls's records, CallEnd's
// and CallInfo's LogValue, notify.Notification's, notify.Handler's records, the record of an
// OnCall that panicked). The README's "Log keys" paragraph names the same (TestLogKeysREADME).
// A key added to a record is added here and there, in lowerCamel, under UnionPay's name when it
// is one of UnionPay's fields. The LogValue of a request or an answer (*CardRequest, *Result...)
// is not here: it shows the value's Go fields, as its MarshalJSON does.
var logKeys = []string{
	// UnionPay's fields, under UnionPay's names.
	"orderId", "txnTime", "txnType", "respCode", "queryId", "merId", "subMerId", "txnAmt", "currencyCode",
	// The SDK's own: a call's (LogCalls's group "call"), an OnCall panic's.
	"call", "op", "endpoint", "movesMoney", "duration", "outcome", "err", "panic", "stack",
	// notify.Handler's ("status" is the notification's status word, in the group "notification").
	"notification", "status", "reason", "httpStatus", "remote", "forwardedFor", "onNotifyDuration", "claimed",
}

// lowerCamel matches a key of the scheme: lowerCamel, with UnionPay's spelling of initialisms
// (orderId, not orderID), no snake_case, no Go field name.
var lowerCamel = regexp.MustCompile(`^[a-z][a-z0-9]*([A-Z][a-z0-9]+)*$`)

// keyRecorder is a slog.Handler enabled at every level that keeps, per record, the path of
// every key (its groups' keys joined by '.'), LogValuers resolved and groups opened at any depth,
// those of WithAttrs and WithGroup included.
type keyRecorder struct {
	mu     *sync.Mutex
	keys   map[string][]string // message -> key paths
	groups []string
	pre    []string // the key paths of WithAttrs's attributes
}

func newKeyRecorder() *keyRecorder {
	return &keyRecorder{mu: &sync.Mutex{}, keys: map[string][]string{}}
}

func (h *keyRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (h *keyRecorder) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.pre = slices.Clone(h.pre)
	for _, a := range as {
		c.pre = appendKeys(c.pre, strings.Join(h.groups, "."), a)
	}
	return &c
}

func (h *keyRecorder) WithGroup(name string) slog.Handler {
	c := *h
	c.groups = append(slices.Clone(h.groups), name)
	c.pre = append(slices.Clone(h.pre), strings.Join(c.groups, "."))
	return &c
}

func (h *keyRecorder) Handle(_ context.Context, r slog.Record) error {
	paths := slices.Clone(h.pre)
	r.Attrs(func(a slog.Attr) bool {
		paths = appendKeys(paths, strings.Join(h.groups, "."), a)
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.keys[r.Message] = append(h.keys[r.Message], paths...)
	return nil
}

// appendKeys appends to paths the path of a's key under prefix and, a group's, those of its
// attributes; a group with no key (inlined by slog) adds only its attributes'.
func appendKeys(paths []string, prefix string, a slog.Attr) []string {
	path := prefix
	if a.Key != "" {
		path = strings.TrimPrefix(prefix+"."+a.Key, ".")
		paths = append(paths, path)
	}
	if v := a.Value.Resolve(); v.Kind() == slog.KindGroup {
		for _, g := range v.Group() {
			paths = appendKeys(paths, path, g)
		}
	}
	return paths
}

func (h *keyRecorder) records() map[string][]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string][]string, len(h.keys))
	for msg, paths := range h.keys {
		out[msg] = slices.Clone(paths)
	}
	return out
}

// TestLogKeys captures every record the SDK emits, each of its kinds: LogCalls's for every
// Outcome (calls shaped by hand, and real calls on the fake gateway), CallInfo's and a
// Notification's LogValue (with subMerId and a currency other than CNY), notify.Handler's records
// (accepted, with an X-Forwarded-For; rejected, with the claims of a forged message; rejected for
// its method; OnNotify failed; not configured) and the record of an OnCall that panicked; and
// holds every key, at any group depth, to logKeys: lowerCamel, and listed. Every listed key is
// seen, so the list holds no key the SDK no longer logs. Not parallel: it sets slog's default
// logger, which the OnCall panic is logged to.
func TestLogKeys(t *testing.T) {
	rec := newKeyRecorder()
	logger := slog.New(rec)
	old := slog.Default()
	slog.SetDefault(logger)
	t.Cleanup(func() { slog.SetDefault(old) })
	ctx := context.Background()

	// LogCalls, each outcome, with and without an error; CallInfo's own LogValue.
	info := unionpay.CallInfo{Op: "refund", OrderID: "KEYS0001", TxnTime: testNow, TxnType: "04",
		Endpoint: "https://gateway.test.95516.com/gateway/api/backTransReq.do", MovesMoney: true}
	logCalls := unionpay.LogCalls(logger)
	for o := unionpay.OutcomeAccepted; o <= unionpay.OutcomeFailed+1; o++ {
		logCalls(ctx, unionpay.CallEnd{CallInfo: info, Duration: time.Second, Outcome: o, RespCode: "00"})
		logCalls(ctx, unionpay.CallEnd{CallInfo: info, Duration: time.Second, Outcome: o, Err: errors.New("x")})
	}
	logger.Info("CallInfo.LogValue", slog.Attr{Value: slog.AnyValue(info)})

	// Real calls, whose OnCall logs with LogCalls, then panics.
	_, c := observedServer(t, func(ctx context.Context, e unionpay.CallEnd) {
		logCalls(ctx, e)
		panic("metrics exploded")
	})
	_, err := c.BackConsume(ctx, cardReq())
	require.NoError(t, err)
	bad := cardReq()
	bad.Amount = -1
	_, err = c.BackConsume(ctx, bad)
	require.Error(t, err, "refused")

	// A Notification's LogValue, every optional key set.
	n := notify.Notification{MerchantID: "777290058110048", SubMerID: "SUB0001", OrderID: "KEYS0002",
		TxnType: "01", QueryID: "123456789012345678901", TxnAmt: 100, CurrencyCode: "840", RespCode: "00",
		Raw: map[string]string{"txnTime": "20240105103000"}}
	logger.Info("Notification.LogValue", slog.Attr{Value: slog.AnyValue(n)})

	// notify.Handler's records.
	srv, _ := observedServer(t, nil)
	verifier, err := srv.NotifyVerifier()
	require.NoError(t, err)
	h := &notify.Handler{Verifier: verifier, Logger: logger, OnNotify: func(_ context.Context, n *notify.Notification) error {
		if n.OrderID == "KEYSFAIL0001" {
			return errors.New("database down")
		}
		return nil
	}}
	signed := func(orderID string) string {
		form, err := srv.SignNotification(sign.Fields{"version": "5.1.0", "encoding": "UTF-8", "txnType": "01",
			"txnSubType": "01", "bizType": "000201", "accessType": "0", "merId": srv.MerchantID(), "orderId": orderID,
			"txnTime": "20240105103000", "txnAmt": "1000", "currencyCode": "156", "queryId": "123456789012345678901",
			"respCode": "00", "respMsg": "ok"})
		require.NoError(t, err)
		return form.Encode()
	}
	serve := func(h *notify.Handler, method, body string) int {
		r := httptest.NewRequest(method, "/notify", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Forwarded-For", "203.0.113.7")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r) // logs before it returns
		return w.Code
	}
	require.Equal(t, http.StatusOK, serve(h, http.MethodPost, signed("KEYS0003")))
	require.Equal(t, http.StatusInternalServerError, serve(h, http.MethodPost, signed("KEYSFAIL0001")))
	forged := strings.Replace(signed("KEYS0004"), "txnAmt=1000", "txnAmt=1", 1)
	require.Equal(t, http.StatusBadRequest, serve(h, http.MethodPost, forged))
	require.Equal(t, http.StatusMethodNotAllowed, serve(h, http.MethodGet, ""))
	require.Equal(t, http.StatusInternalServerError, serve(&notify.Handler{Verifier: verifier, Logger: logger},
		http.MethodPost, signed("KEYS0005")))

	records := rec.records()
	for _, prefix := range []string{"unionpay call", "CallInfo.LogValue", "Notification.LogValue",
		"unionpay: Config.OnCall panicked", "notify: notification accepted", "notify: notification rejected",
		"notify: OnNotify failed", "notify: handler not configured"} {
		assert.True(t, slices.ContainsFunc(slices.Collect(maps.Keys(records)), func(msg string) bool {
			return strings.HasPrefix(msg, prefix)
		}), "no record %q", prefix)
	}
	seen := map[string]bool{}
	for msg, paths := range records {
		for _, path := range paths {
			for key := range strings.SplitSeq(path, ".") {
				seen[key] = true
				assert.Regexp(t, lowerCamel, key, "record %q, key %s: not lowerCamel", msg, path)
				assert.Contains(t, logKeys, key, "record %q, key %s: not in logKeys (and the README's \"Log keys\")", msg, path)
			}
		}
	}
	for _, k := range logKeys {
		assert.True(t, seen[k], "logKeys lists %q, which no record holds", k)
	}
	assert.ElementsMatch(t, []string{"merId", "orderId", "txnTime", "txnType", "queryId"}, keysUnder(records, "claimed"),
		"a forged message's claims, under UnionPay's names")
	assert.Contains(t, records["notify: notification rejected"], "httpStatus")
	assert.Contains(t, records["notify: notification accepted"], "notification.status")
}

// keysUnder returns the keys of the group named group in any record, each once.
func keysUnder(records map[string][]string, group string) []string {
	var keys []string
	for _, paths := range records {
		for _, p := range paths {
			if k, ok := strings.CutPrefix(p, group+"."); ok && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// readmeKeyword matches a key named in the README's "Log keys" paragraph: a lowerCamel word in
// backquotes (Go names, *Result, orderId=... and %+v are not).
var readmeKeyword = regexp.MustCompile("`([a-z][A-Za-z0-9]*)`")

// TestLogKeysREADME: the README's "Log keys" paragraph (from "**Log keys**:" to the next blank
// line) names, in backquotes, exactly the keys of logKeys; and the Chinese README's sentence on
// log keys names none that is not one. Every lowerCamel word in backquotes there is taken for a
// key: write other words in that paragraph without backquotes.
func TestLogKeysREADME(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	_, para, ok := strings.Cut(string(readme), "**Log keys**:")
	require.True(t, ok, `README.md has no "**Log keys**:" paragraph`)
	para, _, _ = strings.Cut(para, "\n\n")
	var named []string
	for _, m := range readmeKeyword.FindAllStringSubmatch(para, -1) {
		if !slices.Contains(named, m[1]) {
			named = append(named, m[1])
		}
	}
	assert.ElementsMatch(t, logKeys, named, "README.md's \"Log keys\" and logKeys differ")

	zh, err := os.ReadFile("../docs/README.zh-CN.md")
	require.NoError(t, err)
	_, sentence, ok := strings.Cut(string(zh), "使用同一套键名")
	require.True(t, ok, "docs/README.zh-CN.md no longer has its sentence on log keys")
	sentence, _, _ = strings.Cut(sentence, "\n\n")
	for _, m := range readmeKeyword.FindAllStringSubmatch(sentence, -1) {
		assert.Contains(t, logKeys, m[1], "docs/README.zh-CN.md names a log key the SDK does not log")
	}
}
