// Package javagbk is the GBK of UnionPay's gateway: the charset Java calls
// "GBK" (the JDK's, which UnionPay's servers and official SDKs use to turn
// messages into bytes), not the WHATWG GBK of golang.org/x/text. The two
// agree on the characters they share but the euro sign, which Java writes A2
// E3 and x/text 80 (a byte Java cannot read). Java also maps the user-defined
// areas (AAA1-AFFE, F8A1-FEFE, A140-A7A0) to and from the Private Use Area
// (U+E000-E765), and GBK's other empty positions to U+E766-E864, where x/text
// has nothing or, at 81 positions, characters of GB18030-2005. A message
// signed over other bytes than UnionPay's fails verification on one side or
// the other, so every package of this module encodes and decodes GBK here.
//
// The mapping is x/text's, with the user-defined areas computed and the 256
// other characters that differ listed (tables.go); it equals OpenJDK 17's GBK
// on all of its 23,940 characters in both directions, which the tests check
// against a dump of the JDK's table (testdata). 0x80, 0xFF and a lead byte
// without a valid trail byte are invalid input.
package javagbk
