package javagbk

import (
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

var benchText = "测试商户便利店云闪付中文备注银联支付成功欧洲礼品卡"

// BenchmarkDecode compares the decoder with x/text's GBK on a field of Chinese text.
func BenchmarkDecode(b *testing.B) {
	src, err := NewEncoder().String(benchText)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		dec  func() ([]byte, error)
	}{
		{"javagbk", func() ([]byte, error) { return NewDecoder().Bytes([]byte(src)) }},
		{"x-text", func() ([]byte, error) { return simplifiedchinese.GBK.NewDecoder().Bytes([]byte(src)) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := c.dec(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncode compares the encoder with x/text's GBK on the same text.
func BenchmarkEncode(b *testing.B) {
	for _, c := range []struct {
		name string
		enc  func() (string, error)
	}{
		{"javagbk", func() (string, error) { return NewEncoder().String(benchText) }},
		{"x-text", func() (string, error) { return simplifiedchinese.GBK.NewEncoder().String(benchText) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(benchText)))
			for b.Loop() {
				if _, err := c.enc(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
