package cert

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/goacp/unionpay/sign"
)

// FuzzVerifyStreamedAsWhole: a message whose string to sign passes streamAbove (a fileContent
// of 64 KiB and more), with two fields of the fuzzer's added (signed with it, or added after
// signing) and then, maybe, one byte of a value or of the signature changed, verifies through
// Verify (hashed in pieces) exactly as with its string to sign built whole (verifyWhole): both
// accept, with the same Signed, or both refuse, with the same error text, matching
// sign.ErrSignature and sign.ErrCharset alike. Every method and version Verify accepts, in
// UTF-8 and GBK (and the other spellings sign.Canonical knows, and one it does not).
func FuzzVerifyStreamedAsWhole(f *testing.F) {
	// The cases of TestVerifyStreamedAsWhole, as two extra fields and a change.
	for i := range 8 {
		f.Add(uint8(i), uint8(i), "respMsg", "成功[0000000]", "", "", true, uint8(0), uint32(0), uint16(0))
		f.Add(uint8(i), uint8(i+1), "respMsg", "失败[0000000]", "", "", false, uint8(0), uint32(0), uint16(0))
		f.Add(uint8(i), uint8(i), "respMsg", "成功😀", "reserved", "{a=b&c=d}", true, uint8(0), uint32(0), uint16(0))
		f.Add(uint8(i), uint8(i+1), "respMsg", "成\xe5", "a=b&c", "d", false, uint8(0), uint32(0), uint16(0))
		f.Add(uint8(i), uint8(i), "", "", "", "", true, uint8(1), uint32(44), uint16(0))    // signature altered
		f.Add(uint8(i), uint8(i), "", "", "", "", true, uint8(2), uint32(70000), uint16(0)) // fileContent altered
		f.Add(uint8(i), uint8(i), "fileContent", "QUJD", "", "", true, uint8(0), uint32(0), uint16(0))
	}
	f.Add(uint8(0), uint8(4), "encoding", "GB18030", "", "", true, uint8(0), uint32(0), uint16(0))
	f.Add(uint8(4), uint8(1), "signMethod", "01", "version", "5.0.0", false, uint8(0), uint32(0), uint16(0))
	f.Add(uint8(6), uint8(1), "signature", strings.Repeat("ab", 32), "", "", false, uint8(0), uint32(0), uint16(10))
	setup := newStreamSetup(f)
	encodings := []string{"UTF-8", "GBK", "gbk", "UTF8", "utf-8", "", "GB18030"}
	f.Fuzz(func(t *testing.T, which, enc uint8, k1, v1, k2, v2 string, signed bool, change uint8, at uint32, extra uint16) {
		s := setup.signers[int(which)%len(setup.signers)]
		m := sign.Fields{
			"version": s.version, "encoding": encodings[int(enc)%len(encodings)], "txnType": "76", "txnSubType": "01",
			"bizType": "000000", "respCode": "00", "respMsg": "成功[0000000]", "fileName": "777290058110048_20240104.zip",
			"fileContent": strings.Repeat("eJzLSM3JyVcozy/KSQEAGgQEXQ==", (streamAbove+4096)/28+1)[:streamAbove+1+int(extra)%4096],
		}
		if s.pem != "" {
			m[FieldSignPubKeyCert] = s.pem
		}
		add := func() {
			if k1 != "" {
				m[k1] = v1
			}
			if k2 != "" {
				m[k2] = v2
			}
		}
		if signed {
			add()
			if err := sign.Sign(s.s, m); err != nil { // a field sign.Sign refuses: added unsigned
				signed = false
			}
		}
		if !signed {
			m[FieldSignPubKeyCert] = s.pem
			if s.pem == "" {
				delete(m, FieldSignPubKeyCert)
			}
			if err := sign.Sign(s.s, m); err != nil { // an encoding Canonical does not know
				m[sign.FieldSignMethod], m[sign.FieldSignature] = s.s.Method(), "QUJD"
				if id := s.s.CertID(); id != "" {
					m[sign.FieldCertID] = id
				}
			}
			add()
		}
		// One byte changed in a value (the signature's, fileContent's or respMsg's), kept in the
		// value's alphabet where it has one.
		if key := []string{"", sign.FieldSignature, "fileContent", "respMsg"}[int(change)%4]; key != "" && m[key] != "" {
			m[key] = otherChar(m[key], int(at)%len(m[key]))
		}
		got, err := setup.v.Verify(m)
		want, wantErr := verifyWhole(setup.v, m)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%s: streamed %v: %v, %v; whole: %v, %v", s.name, streamedFor(setup.v, m), got, err, want, wantErr)
		}
		if wantErr != nil {
			// verifyWhole builds the string to sign first; Verify checks the method's fields
			// (certId, signPubKeyCert) first, whatever the message's size: when those fail, the
			// string to sign is not reached, streamed or not.
			if _, cerr := sign.Canonical(m); cerr != nil && !strings.Contains(err.Error(), "building the string to sign") {
				return
			}
			if err.Error() != wantErr.Error() {
				t.Fatalf("%s: streamed %v: error\n%v\nwhole:\n%v", s.name, streamedFor(setup.v, m), err, wantErr)
			}
			for _, target := range []error{sign.ErrSignature, sign.ErrCharset, ErrMethod} {
				if errors.Is(err, target) != errors.Is(wantErr, target) {
					t.Fatalf("%s: errors.Is(%v, %v) differs from the whole string's (%v)", s.name, err, target, wantErr)
				}
			}
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: Signed %+v, whole %+v", s.name, got, want)
		}
	})
}
