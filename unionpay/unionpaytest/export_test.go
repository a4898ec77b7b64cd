package unionpaytest

// FilePAN and MessagePAN give the external tests the gateway's masks.
var (
	FilePAN    = filePAN
	MessagePAN = messagePAN
)
