package reconcile_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/notify"
	"github.com/goacp/unionpay/reconcile"
)

// textCodec is what the round-trip tests need of an enumeration.
type textCodec interface {
	String() string
	MarshalText() ([]byte, error)
}

// roundTrip checks that v encodes in JSON and as text as the word want, String's, and that
// json.Unmarshal and UnmarshalText (through fresh, which returns a pointer to a value other than
// v) decode it back.
func roundTrip[T textCodec, P interface {
	*T
	UnmarshalText([]byte) error
}](t *testing.T, v T, want string, fresh func() P) {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, `"`+want+`"`, string(b))
	got := fresh()
	require.NoError(t, json.Unmarshal(b, got))
	assert.Equal(t, v, *got)
	text, err := v.MarshalText()
	require.NoError(t, err)
	assert.Equal(t, v.String(), string(text))
	got = fresh()
	require.NoError(t, got.UnmarshalText(text))
	assert.Equal(t, v, *got)
}

// TestStateTextRoundTrip: every State encodes in JSON as the word String returns, where it was a
// number, and decodes back from it, "unset" included (the zero State, which MarshalText writes
// and an UnknownToMerchant Result holds). Any other word is ParseState's error, matching
// ErrNoState, and leaves the value as it was; the words ParseState reads decode as it reads them.
func TestStateTextRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s    reconcile.State
		want string
	}{
		{reconcile.StateUnset, "unset"},
		{reconcile.StateSucceeded, "succeeded"},
		{reconcile.StatePending, "pending"},
		{reconcile.StateFailed, "failed"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			roundTrip(t, tt.s, tt.want, func() *reconcile.State { s := reconcile.State(-1); return &s })
			if tt.s == reconcile.StateUnset {
				return
			}
			parsed, err := reconcile.ParseState(tt.want)
			require.NoError(t, err)
			assert.Equal(t, tt.s, parsed, "UnmarshalText and ParseState agree")
		})
	}
	for _, text := range []string{"", "Pending", "paid", "not found", "2", "State(4)"} {
		t.Run("refused "+text, func(t *testing.T) {
			t.Parallel()
			got := reconcile.StateFailed
			err := got.UnmarshalText([]byte(text))
			require.ErrorIs(t, err, reconcile.ErrNoState)
			assert.Contains(t, err.Error(), `reconcile: state "`+text+`"`)
			assert.Equal(t, reconcile.StateFailed, got)
			_, perr := reconcile.ParseState(text)
			assert.Equal(t, perr.Error(), err.Error(), "ParseState's error")
		})
	}
}

// TestClassTextRoundTrip: every Class encodes in JSON as its report name, where it was a number,
// and decodes back from it as ParseClass reads it; any other word is ParseClass's error, matching
// ErrUnknownClass, and leaves the value as it was.
func TestClassTextRoundTrip(t *testing.T) {
	t.Parallel()
	want := map[reconcile.Class]string{
		reconcile.Matched: "matched", reconcile.UnknownToMerchant: "unknown_to_merchant",
		reconcile.MissingAtUnionPay: "missing_at_unionpay", reconcile.AmountMismatch: "amount_mismatch",
		reconcile.StateMismatch: "state_mismatch", reconcile.Duplicate: "duplicate",
	}
	require.Len(t, reconcile.Classes(), len(want))
	for _, c := range reconcile.Classes() {
		t.Run(want[c], func(t *testing.T) {
			t.Parallel()
			roundTrip(t, c, want[c], func() *reconcile.Class { c := reconcile.Class(-1); return &c })
			parsed, err := reconcile.ParseClass(want[c])
			require.NoError(t, err)
			assert.Equal(t, c, parsed, "UnmarshalText and ParseClass agree")
		})
	}
	for _, text := range []string{"", "Matched", "unknown to merchant", "3", "Class(6)"} {
		t.Run("refused "+text, func(t *testing.T) {
			t.Parallel()
			got := reconcile.Duplicate
			err := got.UnmarshalText([]byte(text))
			require.ErrorIs(t, err, reconcile.ErrUnknownClass)
			assert.Contains(t, err.Error(), `reconcile: class "`+text+`"`)
			assert.Equal(t, reconcile.Duplicate, got)
			_, perr := reconcile.ParseClass(text)
			assert.Equal(t, perr.Error(), err.Error(), "ParseClass's error")
		})
	}
}

// TestKindTextRoundTrip: every Kind encodes in JSON as the word String returns, where it was a
// number, and decodes back from it; any other word is an error naming it that leaves the value
// as it was.
func TestKindTextRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		k    reconcile.Kind
		want string
	}{
		{reconcile.KindUnknown, "unknown"},
		{reconcile.KindZM, "ZM"},
		{reconcile.KindZME, "ZME"},
		{reconcile.KindRD, "RD"},
		{reconcile.KindPED, "PED"},
		{reconcile.KindPEDERR, "PEDERR"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			t.Parallel()
			roundTrip(t, tt.k, tt.want, func() *reconcile.Kind { k := reconcile.Kind(-1); return &k })
		})
	}
	for _, text := range []string{"", "zm", "ZMERR", "1", "Kind(6)"} {
		t.Run("refused "+text, func(t *testing.T) {
			t.Parallel()
			got := reconcile.KindRD
			err := got.UnmarshalText([]byte(text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `reconcile: member kind "`+text+`"`)
			assert.Equal(t, reconcile.KindRD, got)
		})
	}
}

// TestResultJSONRoundTrip: a Result stored with encoding/json names its class and its order's
// state by their words, the zero state of an UnknownToMerchant record's Order included, and
// decodes back.
func TestResultJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, res := range []reconcile.Result{
		{Class: reconcile.UnknownToMerchant},
		{Class: reconcile.StateMismatch, Order: reconcile.Order{OrderID: "ORDER1", Amount: 100, State: reconcile.StatePending}},
	} {
		t.Run(res.Class.String(), func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(res)
			require.NoError(t, err)
			var fields struct {
				Class string
				Order struct{ State string }
			}
			require.NoError(t, json.Unmarshal(b, &fields))
			assert.Equal(t, res.Class.String(), fields.Class)
			assert.Equal(t, res.Order.State.String(), fields.Order.State)
			var got reconcile.Result
			require.NoError(t, json.Unmarshal(b, &got))
			assert.Equal(t, res.Class, got.Class)
			assert.Equal(t, res.Order, got.Order)
		})
	}
}

// TestStatusAndStateJSONDiffer: notify.Status and reconcile.State gave the same number different
// meanings (2 was notify.Failed and reconcile.StatePending) and encoded in JSON as those
// numbers. Now each encodes as its word: values of the same number and different meanings encode
// differently, and a Status's JSON decodes as a State only to the State of the same meaning.
func TestStatusAndStateJSONDiffer(t *testing.T) {
	t.Parallel()
	want := map[notify.Status]reconcile.State{
		notify.Pending: reconcile.StatePending, notify.Succeeded: reconcile.StateSucceeded, notify.Failed: reconcile.StateFailed,
	}
	failed, err := json.Marshal(notify.Failed)
	require.NoError(t, err)
	pending, err := json.Marshal(reconcile.StatePending)
	require.NoError(t, err)
	require.Equal(t, int(notify.Failed), int(reconcile.StatePending))
	assert.Equal(t, `"failed"`, string(failed))
	assert.Equal(t, `"pending"`, string(pending))
	for status, same := range want {
		t.Run(status.String(), func(t *testing.T) {
			t.Parallel()
			sb, err := json.Marshal(status)
			require.NoError(t, err)
			state := reconcile.State(status) // the same number
			tb, err := json.Marshal(state)
			require.NoError(t, err)
			if state != same {
				assert.NotEqual(t, string(sb), string(tb), "%d means %v and %v", int(status), status, state)
			}
			var got reconcile.State
			require.NoError(t, json.Unmarshal(sb, &got))
			assert.Equal(t, same, got)
			var back notify.Status = -1
			err = json.Unmarshal(tb, &back)
			if state == reconcile.StateUnset { // "unset" is no Status
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, state, want[back], "%s decodes as the Status of the same meaning", tb)
		})
	}
}
