package reconcile

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// FuzzReadLineErr checks readLineErr on any error text (a reader's error may quote a member name
// from the archive): the result wraps the error (errors.Is), names the line, starts with
// "reconcile: " and adds that prefix only when the text lacks it, so that it is said once; and it
// adds no line break.
func FuzzReadLineErr(f *testing.F) {
	for _, s := range []string{"", "unexpected EOF", "reconcile: malformed settlement file: member \"INN.txt\": bad",
		"reconcile: ", "reconcile:", "Reconcile: x", "reconcile: reconcile: x", "zip: not a valid zip file", "a\nb"} {
		f.Add(s, 1)
	}
	f.Add("flate: corrupt input before offset 5", 1<<30)
	f.Fuzz(func(t *testing.T, text string, line int) {
		base := errors.New(text)
		err := readLineErr(line, base)
		if !errors.Is(err, base) {
			t.Fatalf("readLineErr(%d, %q) = %q does not wrap the error", line, text, err)
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "reconcile: ") {
			t.Fatalf("readLineErr(%d, %q) = %q lacks the package prefix", line, text, msg)
		}
		if strings.HasPrefix(msg, "reconcile: reconcile: ") && !strings.HasPrefix(text, "reconcile: reconcile: ") &&
			!strings.HasPrefix(text, "reconcile: ") {
			t.Fatalf("readLineErr(%d, %q) = %q says the prefix twice", line, text, msg)
		}
		if want := fmt.Sprintf("line %d", line); !strings.Contains(strings.TrimPrefix(msg, text), want) &&
			!strings.Contains(strings.TrimSuffix(msg, text), want) {
			t.Fatalf("readLineErr(%d, %q) = %q does not name the line", line, text, msg)
		}
		if strings.Count(msg, "\n") != strings.Count(text, "\n") {
			t.Fatalf("readLineErr(%d, %q) = %q adds a line break", line, text, msg)
		}
		if !strings.Contains(msg, text) {
			t.Fatalf("readLineErr(%d, %q) = %q loses the error's text", line, text, msg)
		}
	})
}
