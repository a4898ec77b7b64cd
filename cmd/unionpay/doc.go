// Command unionpay is a command-line companion to the github.com/goacp/unionpay SDK: it inspects
// certificates, signs and verifies UnionPay full-channel (全渠道, ACP) messages, decrypts fields,
// decodes downloaded files, reads settlement files, runs the fake gateway as a sandbox, checks
// a service's configuration before it goes live (preflight) and, with that configuration, queries
// a transaction (query) or downloads a settle day's file (download) from UnionPay.
//
// Usage:
//
//	unionpay certinfo [-password P] [-expires-within DURATION] FILE
//	unionpay sign [-pfx FILE | -sm2 FILE] [-password P] [-version 5.1.0|5.0.0] [-sign-method 01|11|12|21]
//	              [-secure-key K | -secure-key-env] [-canonical]
//	              (01, the default: -pfx; 21: -sm2; 11 and 12: a secure key, no -pfx, -sm2 or -password)
//	unionpay verify [-root FILE -middle FILE] [-test-names] [-at RFC3339] [-raw] [-verify-cert FILE]...
//	                [-secure-key K | -secure-key-env] [-sm2-root FILE -sm2-middle FILE] [-sm2-verify-cert FILE]...
//	                [-request [-password P]]
//	unionpay decrypt (-pfx FILE | -sm2 FILE) [-password P] [-reveal]
//	unionpay filecontent [-o FILE]
//	unionpay reconcile [-format json|csv] [-summary [-by submer]] [-settle-date YYYYMMDD]
//	                   [-orders ORDERS.csv [-merid MERID]] FILE
//	unionpay sandbox [-addr 127.0.0.1:0] [-dir DIR] [-sha256] [-sm2] [-history N]
//	                 [-script ORDERID=CODE[,CODE...]]... [-fail ORDERID=FAULT[,FAULT...]]...
//	unionpay preflight -merid MERID -env test|production
//	                   (-config acp_sdk.properties | -pfx FILE [-password P] -root FILE -middle FILE [-enc FILE])
//	                   [-expires-within DURATION]
//	unionpay query -order ORDERID -txn-time YYYYMMDDhhmmss [-txn-type TT] [-amount FEN] [-biz-type BIZ]
//	               [-json] [-timeout 30s] -merid MERID (-config acp_sdk.properties [-env test|production]
//	               | -env test|production -pfx FILE [-password P] -root FILE -middle FILE [-enc FILE])
//	               [-acq-ins-code CODE | -sub-mer-id ID -sub-mer-name NAME -sub-mer-abbr ABBR]
//	unionpay download -settle-date YYYYMMDD [-file-type 00] [-o FILE | -force] [-reconcile] [-timeout 30s]
//	                  -merid MERID (-config acp_sdk.properties [-env test|production]
//	                  | -env test|production -pfx FILE [-password P] -root FILE -middle FILE [-enc FILE])
//	                  [-acq-ins-code CODE | -sub-mer-id ID -sub-mer-name NAME -sub-mer-abbr ABBR]
//	unionpay version
//
// Every subcommand takes -h (unionpay help COMMAND prints the same). unionpay version (or
// -version, --version) prints the module's version ("(devel)" when the build recorded none), the
// commit it was built from and the Go version, as "key: value" lines. The exit status is 0 on
// success, 1 when a check fails (a signature that does not verify, an invalid certificate, a wrong
// password, a malformed file), 2 for a usage error, 3 when filecontent is given an answer of
// respCode 98 (no file for that day), or download gets one, 5 when query finds the outcome not
// final or not known (pending, not found, or the query itself failed: query again later; with
// -json it then prints one object all the same, state "unknown" and the error), or 5 when
// download fails in a way that may pass (a timeout, the network, an HTTP status other than 200,
// an answer that could not be read or verified, the gateway busy: try again later), 6 when
// query or download is refused the service's credentials or configuration (nothing was asked of
// UnionPay), 7 when certinfo -expires-within finds the certificate not valid now or expiring
// within DURATION (1 when it could not read the file: a wrong password, a file that does not
// parse), and 4 when reconcile -orders finds discrepancies between a settlement file and the
// merchant's orders (a CSV file with a header row naming orderId, txnTime, amount, txnType and
// state; see unionpay reconcile -h): the report, package reconcile's, is then whole, and lists
// them.
// Errors are written to standard error, one line each. The output formats are stable: scripts
// may rely on them.
//
// Where a password is needed and -password is not given, the environment variable
// UNIONPAY_PASSWORD is used. UNIONPAY_SECURE_KEY holds a secure key, read only when one is asked
// for: by -secure-key-env, or by sign -sign-method 11 or 12 without -secure-key; verify never
// trusts it otherwise. They keep secrets out of the process list and the shell history.
package main
