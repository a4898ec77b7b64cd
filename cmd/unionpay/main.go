package main

import (
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/goacp/unionpay/cert"
	"github.com/goacp/unionpay/internal/textesc"
	"github.com/goacp/unionpay/sign"
)

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1 // a check failed: bad signature, invalid certificate, wrong password, malformed input
	exitUsage  = 2 // the command line is wrong
	exitNoFile = 3 // UnionPay has no file for that day (respCode 98): nothing settled, or not yet published
	// exitDiscrepancies is reconcile -orders's status for a report that is whole and lists
	// discrepancies (or error transactions to review): a cron job alerts on it as on a failure,
	// but the report can be trusted.
	exitDiscrepancies = 4
	// exitQueryAgain is query's status when the transaction's outcome is not final or not known:
	// pending, not found (yet), or the query itself failed (a timeout, a network error, a
	// rejected or unverified answer). Query again later; never send the transaction again
	// because of it. It is download's status too when the download failed in a way that may
	// pass (a timeout, a network error, an HTTP status other than 200, an answer that could not
	// be read or verified): try again later.
	exitQueryAgain = 5
	// exitRefused is query's and download's status when the service's credentials or
	// configuration are refused (they did not load, are of the other environment, or NewClient or
	// the call refused them): nothing was asked of UnionPay; or UnionPay refused the request's
	// signature (respCode 11), which it would refuse again. A script must not read it as the
	// transaction's failure (1), nor query again before the credentials are fixed.
	exitRefused = 6
	// exitExpiring is certinfo -expires-within's status when the certificate was read but is
	// not valid now (expired, or not yet valid) or expires within DURATION: a monitor pages on
	// it to renew, and on 1 (the file could not be read, a wrong password) to fix the check.
	exitExpiring = 7
)

// errNoFile is matched (errors.Is) by an error meaning UnionPay's answer was respCode 98, no file
// for that day: the exit status is then exitNoFile, so that a nightly job can retry later
// rather than alert.
var errNoFile = errors.New("no file for that day")

// errQueryAgain is matched (errors.Is) by an error meaning the outcome is not final or not
// known: the exit status is then exitQueryAgain.
var errQueryAgain = errors.New("query again later")

// errTryAgain is matched (errors.Is) by download's error meaning the download failed in a way
// that may pass, the answer to come later: the exit status is then exitQueryAgain.
var errTryAgain = errors.New("try again later")

// errRefused is matched (errors.Is) by an error meaning the service's credentials or
// configuration were refused, before anything was asked of UnionPay or by UnionPay (respCode
// 11, the request's signature): the exit status is then exitRefused.
var errRefused = errors.New("credentials or configuration refused")

// errExpiring is matched (errors.Is) by certinfo's error meaning the certificate is not valid
// now or expires within -expires-within: the exit status is then exitExpiring.
var errExpiring = errors.New("certificate expiring")

// passwordEnv is read when -password is not given.
const passwordEnv = "UNIONPAY_PASSWORD"

// passwordSeen ends the help of every -password flag: a command line is not private.
const passwordSeen = "\ngiven here, it is visible to other users (ps) and kept in shell history: prefer $" + passwordEnv

// secureKeyEnv holds the secure key (signMethod 11/12), read only when asked for with
// -secure-key-env (or by sign -sign-method 11/12 without -secure-key): a key on the command line
// shows in process listings and shell history.
const secureKeyEnv = "UNIONPAY_SECURE_KEY"

func main() {
	ctx := context.Background()
	if len(os.Args) > 1 && os.Args[1] == "sandbox" {
		// Only the sandbox runs until interrupted, and cleans up (its private key) when it is;
		// the other commands keep the default, an interrupt ending them at once. After the first
		// interrupt the default comes back too, so that a second one ends a stuck shutdown.
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
		context.AfterFunc(ctx, stop)
	}
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// env carries what a subcommand may touch: its streams, the process environment and a context
// that ends on an interrupt (the sandbox runs until then).
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// stdoutTTY reports whether stdout is a terminal: sign ends its body with a line feed only then.
	stdoutTTY bool
	// now is the current time, for certificate validity in certinfo and sign; nil: time.Now.
	now func() time.Time
	// transport carries query's and download's requests to UnionPay; nil: the SDK's own HTTP
	// client. Tests give one that reaches the fake gateway.
	transport http.RoundTripper
	// buildInfo is the build's information, for version; nil: runtime/debug.ReadBuildInfo.
	buildInfo buildInfo
}

// clock returns the current time.
func (e *env) clock() time.Time {
	if e.now == nil {
		return time.Now()
	}
	return e.now()
}

// validity describes c's validity at now: "valid", "EXPIRED ..." or "NOT YET VALID ...".
func validity(c *x509.Certificate, now time.Time) string {
	switch {
	case now.After(c.NotAfter):
		return "EXPIRED since " + c.NotAfter.UTC().Format(time.RFC3339)
	case now.Before(c.NotBefore):
		return "NOT YET VALID, from " + c.NotBefore.UTC().Format(time.RFC3339)
	}
	return "valid"
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(e *env, args []string) error
}

func commands() []command {
	return []command{
		{"certinfo", "print a certificate's or PFX's certId, names, validity and key type", runCertinfo},
		{"sign", "sign a message read from standard input", runSign},
		{"verify", "verify a response or notification read from standard input", runVerify},
		{"decrypt", "decrypt a base64 field (accNo, encryptedInfo) with the merchant key", runDecrypt},
		{"filecontent", "decode a file-download response's fileContent into the file", runFilecontent},
		{"reconcile", "print a settlement file's records as JSON or CSV, or match them against orders", runReconcile},
		{"sandbox", "run the fake gateway as a standalone server", runSandbox},
		{"preflight", "check a service's configuration before going live, without network calls", runPreflight},
		{"query", "query one transaction's state at UnionPay with a service's credentials", runQuery},
		{"download", "download a settle day's file from UnionPay with a service's credentials", runDownload},
		{"version", "print this program's version, the commit it was built from and its Go version", runVersion},
	}
}

// run executes the command line args (without the program name) and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, stdoutTTY: isTerminal(stdout)}
	return e.dispatch(args)
}

// isTerminal reports whether w is a character device (a terminal), not a file or a pipe.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (e *env) dispatch(args []string) (code int) {
	name := "unionpay"
	defer func() {
		// A panic is a bug; the contract is an exit status and one line on stderr, never a trace.
		if r := recover(); r != nil {
			fmt.Fprintf(e.stderr, "%s: internal error: %s\n", name, oneLine(fmt.Sprint(r)))
			code = exitFailed
		}
	}()
	if len(args) == 0 {
		e.usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "help":
		if len(args) > 1 {
			// unionpay help COMMAND: the command's own help, as COMMAND -h prints it.
			return e.dispatch([]string{args[1], "-h"})
		}
		e.usage(e.stdout)
		return exitOK
	case "-h", "-help", "--help":
		e.usage(e.stdout)
		return exitOK
	case "-version", "--version":
		return e.dispatch(append([]string{"version"}, args[1:]...))
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		name = "unionpay " + c.name
		err := c.run(e, args[1:])
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case isUsage(err):
			fmt.Fprintf(e.stderr, "%s: %s (see %s -h)\n", name, oneLine(err.Error()), name)
			return exitUsage
		}
		fmt.Fprintf(e.stderr, "%s: %s\n", name, oneLine(err.Error()))
		return failureStatus(err)
	}
	if strings.HasPrefix(args[0], "-") {
		// unionpay -password=000000 certinfo ...: flags go after the command; the flag may hold a
		// secret, so it is not quoted.
		fmt.Fprintln(e.stderr, "unionpay: a flag before the command (not shown: it may hold a secret): write "+
			"unionpay COMMAND [flags] [args] (see unionpay -h)")
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "unionpay: unknown command %q (see unionpay -h)\n", args[0])
	return exitUsage
}

func (e *env) usage(w io.Writer) {
	fmt.Fprintln(w, "unionpay: tools for UnionPay full-channel (全渠道, ACP) messages and files")
	fmt.Fprintln(w, "\nUsage: unionpay COMMAND [flags] [args]   (unionpay COMMAND -h, or unionpay help COMMAND, for details)\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nExit status: 0 success, 1 a check failed (or a file could not be read or written),")
	fmt.Fprintln(w, "2 usage error, 3 no file for that day (filecontent of a respCode 98 answer, download),")
	fmt.Fprintln(w, "4 discrepancies between a settlement file and the merchant's orders (reconcile -orders),")
	fmt.Fprintln(w, "5 not final or not known yet (query: pending, not found, the query failed): query again later;")
	fmt.Fprintln(w, "  download: the download failed (a timeout, the network, an answer not read or verified): try again later,")
	fmt.Fprintln(w, "6 the service's credentials or configuration refused (query, download): nothing was asked,")
	fmt.Fprintln(w, "  or UnionPay refused the request's signature (respCode 11): check them, do not retry,")
	fmt.Fprintln(w, "7 a certificate not valid now or expiring within DURATION (certinfo -expires-within).")
}

// failureStatus is the exit status of a command's error other than a usage error: the status
// of the first sentinel it matches (errors.Is), else exitFailed.
func failureStatus(err error) int {
	for _, s := range []struct {
		sentinel error
		code     int
	}{{errDiscrepancies, exitDiscrepancies}, {errNoFile, exitNoFile}, {errQueryAgain, exitQueryAgain}, {errTryAgain, exitQueryAgain},
		{errRefused, exitRefused}, {errExpiring, exitExpiring}} {
		if errors.Is(err, s.sentinel) {
			return s.code
		}
	}
	return exitFailed
}

// usageError is a mistake on the command line (exit status 2).
type usageError struct{ msg string }

// Error returns the message.
func (u *usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

func isUsage(err error) bool {
	var u *usageError
	return errors.As(err, &u)
}

// oneLine folds an error message onto one line.
func oneLine(s string) string {
	return printable(strings.Join(strings.Fields(s), " "))
}

// printable returns s with the characters a terminal would act on instead of showing (C0 and
// C1 controls, DEL, bidirectional overrides and isolates, bytes that are not UTF-8) written as
// Go escapes (\x1b, \u202e): text from a settlement file, a zip or an answer is shown, never
// run (a member name could move the cursor and print a false "OK").
// Tabs, line feeds and CR LF pairs stay.
func printable(s string) string { return textesc.Escape(s, true) }

// flagSet is a subcommand's flags with its help text.
type flagSet struct {
	*flag.FlagSet
	help func()
}

// newFlags returns a flag set for a subcommand whose -h text is synopsis and description.
// The flag package's own messages are discarded: parseFlags reports problems in one line.
func newFlags(e *env, name, synopsis, description string) *flagSet {
	fs := flag.NewFlagSet("unionpay "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	help := func() {
		w := e.stdout
		fmt.Fprintf(w, "Usage: %s\n\n%s\n", strings.TrimSpace("unionpay "+name+" "+synopsis), strings.TrimSpace(description))
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(w, "\nFlags:")
			fs.SetOutput(w)
			fs.PrintDefaults()
			fs.SetOutput(io.Discard)
		}
	}
	return &flagSet{FlagSet: fs, help: help}
}

// parseFlags parses args; -h prints the help to stdout and yields flag.ErrHelp, any other
// problem a usage error. want is the number of positional arguments required.
func parseFlags(fs *flagSet, args []string, want int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.help()
			return flag.ErrHelp
		}
		return flagParseError(fs.FlagSet, err)
	}
	if err := flagGivenAFlag(fs.FlagSet, args[:len(args)-fs.NArg()]); err != nil {
		return err
	}
	// Extra arguments are named by position, never quoted: a password typed without -password
	// (certinfo FILE PASSWORD) must not be echoed into terminal scrollback and CI logs.
	if fs.NArg() != want {
		if want == 0 {
			return usagef("unexpected argument (%d of them; flags take the form -name value)", fs.NArg())
		}
		if fs.NArg() < want {
			return usagef("missing FILE argument")
		}
		return usagef("unexpected argument at position %d after the flags (only FILE is expected; flags go before FILE)",
			want+1)
	}
	return nil
}

// secureKey returns the secure key of -secure-key, or of $UNIONPAY_SECURE_KEY when
// -secure-key-env is given; the variable is read only then.
func (e *env) secureKey(flagValue string, fromEnv bool) (string, error) {
	k, from := flagValue, "-secure-key"
	if fromEnv {
		if flagValue != "" {
			return "", usagef("-secure-key and -secure-key-env exclude each other")
		}
		k, from = e.getenv(secureKeyEnv), "-secure-key-env: $"+secureKeyEnv
		if k == "" {
			return "", usagef("%s is empty or not set", from)
		}
	}
	if k != "" {
		if _, err := sign.NewSecureKeySigner(sign.MethodSHA256Key, []byte(k)); err != nil {
			return "", usagef("%s: %v", from, err) // not ASCII: never the key itself
		}
	}
	return k, nil
}

// noPassword turns a wrong-password error, when no password was given at all, into a usage
// error saying so: "wrong password" would send the user looking for a typo.
func noPassword(err error, password string) error {
	if password == "" && errors.Is(err, cert.ErrPassword) {
		return usagef("no password given: use -password or $%s", passwordEnv)
	}
	return err
}

// password returns the -password value, or UNIONPAY_PASSWORD when the flag was not set.
func (e *env) password(fs *flagSet, value string) string {
	if flagGiven(fs, "password") {
		return value
	}
	return e.getenv(passwordEnv)
}

// passwordFrom names where e.password takes the password from: "-password" when the flag was
// given, else "$UNIONPAY_PASSWORD".
func passwordFrom(fs *flagSet) string {
	if flagGiven(fs, "password") {
		return "-password"
	}
	return "$" + passwordEnv
}

// wrongPassword adds to a wrong-password error where the password came from (from, as
// passwordFrom names it; never the password itself): with $UNIONPAY_PASSWORD exported, an
// operator often does not know which one was used. Other errors are returned as they are.
func wrongPassword(err error, from string) error {
	if err == nil || from == "" || isUsage(err) || !errors.Is(err, cert.ErrPassword) {
		return err
	}
	return &hintError{msg: fmt.Sprintf("%s (the password from %s)", err, from), err: err}
}

// flagGiven reports whether the flag name was given on the command line.
func flagGiven(fs *flagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}
