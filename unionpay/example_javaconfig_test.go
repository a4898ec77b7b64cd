package unionpay_test

import (
	"fmt"

	"github.com/goacp/unionpay/unionpay"
)

// A merchant leaving UnionPay's Java SDK starts from its acp_sdk.properties: the certificates and
// URLs it names become the Config; the merchant number, which the file does not hold, is added.
func ExampleLoadJavaConfig() {
	jc, err := unionpay.LoadJavaConfig("testdata/javaconfig/test.properties")
	if err != nil {
		fmt.Println(err) // names the file, the line and the key
		return
	}
	fmt.Println(jc.Environment, jc.Config.Version, jc.Config.Signer.Method(), jc.Config.Signer.CertID())
	fmt.Println(jc.Config.Endpoints.Back)
	for _, k := range jc.Dropped {
		fmt.Printf("%s (line %d): %s\n", k.Key, k.Line, k.Reason)
	}

	cfg := jc.Config
	cfg.MerchantID = "777290058110048" // merId: not in acp_sdk.properties
	if _, err := unionpay.NewClient(cfg); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("client ready")
	// Output:
	// test 5.1.0 01 69629715588
	// https://gateway.test.95516.com/gateway/api/backTransReq.do
	// acpsdk.jfFrontTransUrl (line 15): the product (缴费, 综合认证 or 6.0.0) is not in this module
	// acpsdk.jfBackTransUrl (line 16): the product (缴费, 综合认证 or 6.0.0) is not in this module
	// acpsdk.ifValidateRemoteCert (line 24): TLS is always verified here (the Java SDK skips it unless the key is true)
	// client ready
}
