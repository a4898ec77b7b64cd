package unionpay_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/goacp/unionpay/internal/logtest"
	"github.com/goacp/unionpay/sign"
	"github.com/goacp/unionpay/unionpay"
)

// TestQueryRequestsJSONDecodes: JSON of a QueryRequest, BatchQueryRequest or FileRequest whose
// Extra holds no masked value (as a caller's own storage form writes it) decodes into every
// field, not only past the masked-form check; and their MarshalJSON of such a request decodes
// back to it (Extra's values not secrets, so not masked).
func TestQueryRequestsJSONDecodes(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC)
	extra := sign.Fields{"reqReserved": "shop-7"}
	tests := []struct {
		name string
		v    any
		into func() any
	}{
		{"QueryRequest", &unionpay.QueryRequest{OrderID: "Q20261128001", TxnTime: at, QueryID: "QID1", BizType: "000201",
			TxnType: "04", Amount: 100, Currency: "156", OrigQueryID: "QID0", Extra: extra},
			func() any { return new(unionpay.QueryRequest) }},
		{"BatchQueryRequest", &unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0042", TxnTime: at, Extra: extra},
			func() any { return new(unionpay.BatchQueryRequest) }},
		{"FileRequest", &unionpay.FileRequest{SettleDate: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), FileType: "00",
			TxnTime: at, Extra: extra}, func() any { return new(unionpay.FileRequest) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tt.v)
			require.NoError(t, err)
			got := tt.into()
			require.NoError(t, json.Unmarshal(b, got), string(b))
			assert.Equal(t, tt.v, got, string(b))
		})
	}
}

// TestQueryRequestsNilLogValue: a nil *QueryRequest, *BatchQueryRequest or *FileRequest logs as
// null, not as the panic of a LogValue reading its fields.
func TestQueryRequestsNilLogValue(t *testing.T) {
	t.Parallel()
	for name, v := range map[string]slog.LogValuer{
		"QueryRequest":      (*unionpay.QueryRequest)(nil),
		"BatchQueryRequest": (*unionpay.BatchQueryRequest)(nil),
		"FileRequest":       (*unionpay.FileRequest)(nil),
	} {
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, logtest.Untimed())).Info("m", "r", v)
		assert.JSONEq(t, `{"level":"INFO","msg":"m","r":null}`, buf.String(), name)
	}
}

// TestQueryRequestsString: String shows every field of a QueryRequest, BatchQueryRequest or
// FileRequest (times as sent, 14 digits), Extra masked; GoString is String after the type's
// name, as %#v shows it.
func TestQueryRequestsString(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC)
	extra := sign.Fields{"orderDesc": "d"}
	tests := []struct {
		name string
		v    fmt.Stringer
		want string
	}{
		{"QueryRequest", unionpay.QueryRequest{OrderID: "Q1", TxnTime: at, QueryID: "QID1", BizType: "000201", TxnType: "04",
			Amount: 100, Currency: "156", OrigQueryID: "QID0", Extra: extra},
			"{OrderID:Q1 TxnTime:20261128103000 QueryID:QID1 BizType:000201 TxnType:04 Amount:100 Currency:156 " +
				"OrigQueryID:QID0 SubMerID: Extra:map[orderDesc:d]}"},
		{"BatchQueryRequest", unionpay.BatchQueryRequest{Type: unionpay.BatchPayout, BatchNo: "0042", TxnTime: at, Extra: extra},
			"{Type:03 BatchNo:0042 TxnTime:20261128103000 Extra:map[orderDesc:d]}"},
		{"FileRequest", unionpay.FileRequest{SettleDate: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), FileType: "00",
			TxnTime: at, Extra: extra},
			"{SettleDate:20261127000000 FileType:00 TxnTime:20261128103000 Extra:map[orderDesc:d]}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.v.String())
			assert.Equal(t, "unionpay."+tt.name+tt.want, fmt.Sprintf("%#v", tt.v))
		})
	}
}
