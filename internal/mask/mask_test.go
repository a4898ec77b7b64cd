package mask

import (
	"math"
	"testing"
)

func TestField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key, in, want string
		masked        bool // IsMasked(key, want)
	}{
		{"accNo", "6216261000000000018", "621626******0018", true},
		{"accNo", "1234567890", "***", true},
		{"accNo", "bm90IGVuY3J5cHRlZA==", "(encrypted)", true},
		{"accNo", "", "", false},
		{"customerInfo", "e2NlcnRpZlRwPTAxfQ==", "***", true},
		{"encryptedInfo", "x", "***", true},
		{"cardTransData", "x", "***", true},
		{"tokenPayData", "{token=1}", "***", true},
		{"qrNo", "6220123456789012345", "***", true},
		{"reserved", "{comDebitCardAccName=张三}", "{comDebitCardAccName=***}", true},
		{"reserved", "{accNo 6216261000000000018=1&merId=}", "{accNo...=***&merId=}", true}, // a key holding a value: cut
		{"riskRateInfo", "{6216261000000000018=}", "{...=}", true},                          // a key cut: reads as masked (IsCut), never sent
		{"riskRateInfo", "{ipAddress=203.0.113.77&deviceID=}", "{ipAddress=***&deviceID=}", true},
		{"riskRateInfo", "{a}", "{***}", true},
		{"riskRateInfo", "not braced", "***", true},
		{"riskRateInfo", "{a=&b=}", "{a=&b=}", false}, // nothing to hide
		{"fileContent", "6216261000000000018|100", "(23 bytes)", true},
		{"fileContent", "(23 bytes)", "(23 bytes)", true},
		{"fileContent", "(x bytes)", "(9 bytes)", true},
		{"signature", "QmFzZTY0U2lnbmF0dXJl", "(20 bytes)", true}, // not secret: long
		{"signPubKeyCert", "-----BEGIN CERTIFICATE-----", "(27 bytes)", true},
		{"encryptPubKeyCert", "MIIE", "(4 bytes)", true},
		{"signMethod", "01", "01", false},
		{"orderId", "ORDER0001", "ORDER0001", false},
		{"orderDesc", "***", "***", false},
		{"respMsg", "卡号6216\u20132610\u20130000\u20130000\u2013018无效[1000000]", "卡号621626******0018无效[1000000]", true},
		{"respMsg", "交易失败[6100030]", "交易失败[6100030]", false},
		{"origRespMsg", "成功 2026-11-27 12:30:45", "成功 2026-11-27 12:30:45", false},
		{"origRespMsg", "card \u0666\u0662\u0661\u0666 2610 0000 0000 018", "card 621626******0018", true},
		// A name in another case is masked as the name: its value is the same secret.
		{"AccNo", "6216261000000000018", "621626******0018", true},
		{"ACCNO", "6216261000000000018", "621626******0018", true},
		{"CustomerInfo", "e2NlcnRpZlRwPTAxfQ==", "***", true},
		{"QRNO", "6220123456789012345", "***", true},
		{"Reserved", "{comDebitCardAccName=张三}", "{comDebitCardAccName=***}", true},
		{"RESPMSG", "卡号6216261000000000018无效", "卡号621626******0018无效", true},
		{"accNos", "6216261000000000018", "6216261000000000018", false}, // another name
		{"Signature", "QmFzZTY0U2lnbmF0dXJl", "(20 bytes)", true},
	}
	for _, tt := range tests {
		got := Field(tt.key, tt.in)
		if got != tt.want {
			t.Errorf("Field(%q, %q) = %q, want %q", tt.key, tt.in, got, tt.want)
		}
		if again := Field(tt.key, got); again != got {
			t.Errorf("Field(%q, %q) = %q, masked again %q", tt.key, tt.in, got, again)
		}
		if m := IsMasked(tt.key, got); m != tt.masked {
			t.Errorf("IsMasked(%q, %q) = %v, want %v", tt.key, got, m, tt.masked)
		}
	}
}

// TestSize: the size text is written and read in one place, "(N bytes)" with N in ASCII digits.
func TestSize(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 1024, 1 << 30, math.MaxInt} {
		if s := Size(n); !IsSize(s) {
			t.Errorf("IsSize(Size(%d) = %q) = false", n, s)
		}
	}
	for _, s := range []string{"", "()", "( bytes)", "(x bytes)", "(1 byte)", "(-1 bytes)", "(１ bytes)", "1 bytes)", "(1 bytes"} {
		if IsSize(s) {
			t.Errorf("IsSize(%q) = true", s)
		}
	}
}

// FuzzField checks that masking twice is masking once, and that a value Field changes reads as
// masked (IsMasked), so that a masked log form is always recognised.
func FuzzField(f *testing.F) {
	for _, key := range []string{"accNo", "customerInfo", "reserved", "riskRateInfo", "fileContent", "orderId", "respMsg"} {
		for _, v := range []string{"", "6216261000000000018", "{a=1&b=}", "{a}", "(12 bytes)", "张三", "***", "{=***}", "6216 - 2610\u200b0000.0000 018"} {
			f.Add(key, v)
		}
	}
	f.Fuzz(func(t *testing.T, key, v string) {
		m := Field(key, v)
		if again := Field(key, m); again != m {
			t.Fatalf("Field(%q, %q) = %q, masked again %q", key, v, m, again)
		}
		if m != v && !IsMasked(key, m) {
			t.Fatalf("Field(%q, %q) = %q, which IsMasked does not recognise", key, v, m)
		}
		if kindOf(key) == plain && (m != v || IsName(key) && IsMasked(key, v)) { // a key no name: "***" is CutValue's mask
			t.Fatalf("Field(%q, %q) = %q: a field that carries no secret", key, v, m)
		}
	})
}

// TestIsMaskedBraced: a reserved or riskRateInfo value reads as masked only as Braced writes it,
// braces on both sides, so that a value Braced never writes is not taken for a mask.
func TestIsMaskedBraced(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    string
		want bool
	}{
		{"***", true},
		{"{a=***}", true},
		{"{a=1&***}", true},
		{"{a=1&b=}", false},
		{"{a=***", false},
		{"a=***}", false},
		{"a=***", false},
		{"{***", false},
		{"{...=}", true}, // Braced of {0=}: a key cut, its value empty
		{"{accNo...#2=&a=}", true},
		{"{a...b=}", false},
	}
	for _, tt := range tests {
		if got := IsMasked("reserved", tt.v); got != tt.want {
			t.Errorf("IsMasked(reserved, %q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}
