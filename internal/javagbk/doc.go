// Package javagbk is the GBK of UnionPay's gateway: the charset Java calls "GBK"
// (the JDK's, which UnionPay's servers and official SDKs use to turn messages
// into bytes), not the WHATWG GBK of golang.org/x/text. The two agree on every
// character but the euro sign, which Java writes A2 E3 and x/text 80 (a byte
// Java cannot read), and Java also maps the user-defined areas (AAA1-AFFE,
// F8A1-FEFE, A140-A7A0) to and from the Private Use Area, which x/text
// refuses. A message signed over other bytes than UnionPay's fails
// verification on one side or the other, so every package of this module
// encodes and decodes GBK here.
//
// The mapping is GB18030's two-byte part (from x/text), which equals the JDK's
// GBK on all of its 23,940 characters (checked against a dump of OpenJDK 17's
// table in testdata/gbk); a character GB18030 writes in four bytes is not in
// GBK, and four-byte sequences, 0x80 and 0xFF are invalid input.
package javagbk
