//go:build !race

package scaling

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records what Check reports instead of failing the test.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper()                      {}
func (r *recorder) Logf(format string, a ...any) { r.TB.Logf(format, a...) }
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatalf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
	r.fatal = true
	runtime.Goexit()
}

// check runs Check with a recorder on its own goroutine (Fatalf ends it) and returns the record.
func check(t *testing.T, c Case, small, large int) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Check(r, c, small, large)
	}()
	<-done
	return r
}

// TestCheck: a linear decoder passes; one that rescans what it has read, or copies it as it goes,
// is reported, naming time or allocation; inputs that do not grow as asked are refused.
func TestCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("times decoders: not with -short")
	}
	var sink int
	build := func(n int) []byte { return bytes.Repeat([]byte("ab"), n) }
	tests := []struct {
		name string
		run  func([]byte)
		want string // in the error; "" for none
	}{
		{"linear", func(b []byte) { sink += bytes.Count(b, []byte("a")) }, ""},
		{"rescans", func(b []byte) {
			for i := range b {
				for j := 0; j < i; j += 2 { // every other byte before, each time
					sink += int(b[j])
				}
			}
		}, "ns per byte"},
		{"concatenates", func(b []byte) {
			s := ""
			for i := 0; i < len(b); i += 64 {
				s += string(b[i : i+64])
			}
			sink += len(s)
		}, "bytes allocated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// 32 times the input, not the least 16: a rescan then costs 32 times as much per byte, which
			// a loaded machine (its small runs waiting for a core) does not bring down under MaxGrowth.
			r := check(t, Case{Name: tt.name, Build: build, Run: tt.run}, 512, 32*512)
			if r.fatal {
				t.Fatalf("fatal: %v", r.errors)
			}
			got := strings.Join(r.errors, "\n")
			switch {
			case tt.want == "" && got != "":
				t.Errorf("reported a linear decoder: %s", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("want an error about %q, got %q", tt.want, got)
			}
		})
	}
	r := check(t, Case{Name: "fixed", Build: func(int) []byte { return []byte("ab") }, Run: func([]byte) {}}, 16, 256)
	if !r.fatal {
		t.Errorf("inputs that do not grow: %v", r.errors)
	}
	r = check(t, Case{Name: "close sizes", Build: build, Run: func([]byte) {}}, 16, 32)
	if !r.fatal {
		t.Errorf("large only twice small: %v", r.errors)
	}
	_ = sink
}
