package unionpay

import (
	"sort"

	"github.com/goacp/unionpay/sign"
)

// javaKey reports whether key is one of acp_sdk.properties that UnionPay's Java SDK reads
// (SDKConfig and, for 国密, GmSDKConfig), and the reason this package drops it ("" for a key it
// uses). acpsdk.encoding, which some of the SDK's ports to other languages read, is taken too.
func javaKey(key string) (reason string, known bool) {
	switch key {
	case "acpsdk.frontTransUrl", "acpsdk.backTransUrl", "acpsdk.singleQueryUrl", "acpsdk.batchTransUrl",
		"acpsdk.fileTransUrl", "acpsdk.appTransUrl", "acpsdk.cardTransUrl",
		"acpsdk.version", "acpsdk.signMethod", "acpsdk.encoding", "acpsdk.ifValidateCNName",
		"acpsdk.signCert.path", "acpsdk.signCert.pwd", "acpsdk.signCert.type", "acpsdk.encryptCert.path",
		"acpsdk.middleCert.path", "acpsdk.rootCert.path", "acpsdk.validateCert.dir", "acpsdk.secureKey",
		"acpsdk.sm2.signCert.path", "acpsdk.sm2.signCert.pwd", "acpsdk.sm2.encryptCert.path",
		"acpsdk.sm2.middleCert.path", "acpsdk.sm2.rootCert.path", "acpsdk.sm2.validateCert.dir",
		"acpsdk.sm2.secureKey", "acpsdk.frontUrl", "acpsdk.backUrl", "acpsdk.frontFailUrl":
		return "", true
	case "acpsdk.ifValidateRemoteCert":
		return "TLS is always verified here (the Java SDK skips it unless the key is true)", true
	case "acpsdk.batchQueryUrl":
		return "Client.QueryBatch posts to Endpoints.Batch (acpsdk.batchTransUrl)", true
	case "acpsdk.singleMode":
		return "one Client per merchant number, each with its own Signer, replaces the multi-certificate mode", true
	case "acpsdk.sm2.signCert.type":
		return "the Java SDK does not use it either (a .sm2 file has one format)", true
	case "acpsdk.cvn2.enc", "acpsdk.date.enc", "acpsdk.pan.enc":
		return "Config.PlainCardData says whether card data is encrypted (neither Java SDK generation reads the key)", true
	case "acpsdk.pinEncryptCert.path", "acpsdk.sm2.pinEncryptCert.path":
		return "the 6.0.0 (统一支付) products are not in this module", true
	case "acpsdk.encryptTrackCert.path", "acpsdk.encryptTrackKey.modulus", "acpsdk.encryptTrackKey.exponent",
		"acpsdk.sm2.encryptTrackCert.path", "acpsdk.sm2.encryptTrackKey.modulus", "acpsdk.sm2.encryptTrackKey.exponent":
		return "track data (card-present products) is not sent", true
	case "acpsdk.jfFrontTransUrl", "acpsdk.jfBackTransUrl", "acpsdk.jfSingleQueryUrl", "acpsdk.jfCardTransUrl",
		"acpsdk.jfAppTransUrl", "acpsdk.zhrzFrontTransUrl", "acpsdk.zhrzBackTransUrl",
		"acpsdk.zhrzSingleQueryUrl", "acpsdk.zhrzCardTransUrl", "acpsdk.zhrzAppTransUrl", "acpsdk.zhrzFaceTransUrl",
		"acpsdk.orderTransUrl", "acpsdk.transUrl":
		return "the product (缴费, 综合认证 or 6.0.0) is not in this module", true
	case "acpsdk.qrcBackTransUrl", "acpsdk.qrcB2cIssBackTransUrl", "acpsdk.qrcB2cMerBackTransUrl",
		"acpsdk.qrcB2cMerBackSynTransUrl":
		return "the qrc endpoints are not used: Client.ApplyQRCode and QRConsume post to Endpoints.Back, " +
			"as UnionPay's QR samples (upacp_demo_qrc) post to backTransUrl", true
	}
	return "", false
}

// dropUnused lists in Dropped the keys of the file this package does not use: those of javaKeys
// with a reason, and the signing and encryption keys of the algorithm signMethod does not sign
// with (which only the Java SDK's other generation would read).
func (l *javaLoader) dropUnused() {
	var notRSA, notSM2 string
	switch l.method {
	case sign.MethodSM2:
		notRSA = "signMethod 21 signs with acpsdk.sm2.signCert and encrypts to acpsdk.sm2.encryptCert"
	case sign.MethodRSA:
		notSM2 = "signMethod 01 signs with acpsdk.signCert and encrypts to acpsdk.encryptCert"
	default:
		notRSA = "signMethod " + l.method + " signs with acpsdk.secureKey"
		notSM2 = notRSA + " and encrypts to acpsdk.encryptCert"
	}
	reasons := map[string]string{}
	for _, k := range []string{"acpsdk.signCert.path", "acpsdk.signCert.pwd", "acpsdk.signCert.type", "acpsdk.encryptCert.path"} {
		if notRSA != "" && (l.method == sign.MethodSM2 || k != "acpsdk.encryptCert.path") {
			reasons[k] = notRSA
		}
	}
	for _, k := range []string{"acpsdk.sm2.signCert.path", "acpsdk.sm2.signCert.pwd", "acpsdk.sm2.encryptCert.path"} {
		if notSM2 != "" {
			reasons[k] = notSM2
		}
	}
	keys := make([]string, 0, len(l.props))
	for k := range l.props {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return l.props[keys[i]].line < l.props[keys[j]].line })
	for _, k := range keys {
		if r, _ := javaKey(k); r != "" {
			l.drop(k, r)
		} else if r := reasons[k]; r != "" {
			l.drop(k, r)
		}
	}
}
