package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestShownAccNo: an accNo UnionPay already masked is shown as it is, when it shows no digit
// notify.MaskPAN would hide; a whole card number, and a value masked too little, as MaskPAN
// masks it.
func TestShownAccNo(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"whole, 19 digits", "6216261000000000018", "621626******0018"},
		{"whole, 16 digits", "6216261000000018", "621626******0018"},
		{"whole, 13 digits", "6216261000018", "******0018"},
		{"UnionPay's message mask, 4+4", "6216***********0018", "6216***********0018"},
		{"UnionPay's message mask, 16", "6216********0018", "6216********0018"},
		{"6+4, 19 long", "621626*********0018", "621626*********0018"},
		{"6+4, MaskPAN's own", "621626******0018", "621626******0018"},
		{"a file's short mask", "******0018", "******0018"},
		{"short, 11 long", "*******0018", "*******0018"},
		{"too little hidden: 8 first digits", "62162610****0018", "621626******0018"},
		{"too little hidden: 5 last digits", "621626********00018", "621626******0018"},
		{"too little hidden: 13 long, first digits", "6216*****0018", "******0018"},
		{"short, digits only", "0018", "***"},
		{"not a card number", "621626ab****0018", "621626******0018"},
		// Every character is checked, the digits 0 to 9 alike, the first and last too.
		{"nines kept", "6299***********0999", "6299***********0999"},
		{"not a digit first", "A216***********0018", "A216********0018"},
		{"not a digit last", "6216***********001A", "6216********001A"},
		{"a sign where a digit is kept", "621-26*********0018", "621-26******0018"},
		{"a space where a digit is kept", "6216 ***********0018", "6216 *******0018"},
		{"15 long, first digit shown", "6**********0018", "******0018"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, shownAccNo(tt.in))
		})
	}
}
