package cert

import (
	"crypto/x509"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests in this file pin the validity checks that a mutation-testing
// review found no test depended on; the IDs in parentheses are that
// review's mutants.

// testClock is a settable clock for VerifierConfig.Now.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// A certificate is valid from NotBefore to NotAfter inclusive, to the
// second: accepted at both ends, refused one second outside them (C03).
// UnionPay's real test signing certificate is the leaf; the generated chain
// checks the same boundary on the middle and the root.
func TestValidityBoundary(t *testing.T) {
	t.Parallel()
	real := loadTestCert(t, "unipayCertPublicKey.cer")
	require.Less(t, real.NotAfter, loadTestCert(t, "acp_test_middle.cer").NotAfter, "the leaf ends first")

	middleEnd := time.Date(2027, 3, 4, 5, 6, 7, 0, time.UTC)
	middleStart := time.Date(2021, 2, 3, 4, 5, 6, 0, time.UTC)
	shortMiddle := windowChain(t, windowSpec{middleFrom: middleStart, middleTo: middleEnd})
	rootEnd := time.Date(2028, 8, 9, 10, 11, 12, 0, time.UTC)
	shortRoot := windowChain(t, windowSpec{rootTo: rootEnd})

	realVerifier := func(t testing.TB, now time.Time) *Verifier { return testVerifier(t, now) }
	tests := []struct {
		name     string
		verifier func(t testing.TB, now time.Time) *Verifier
		leaf     *x509.Certificate
		now      time.Time
		want     Reason // 0: accepted
		atFault  string // subject CN of the certificate at fault
	}{
		{"real leaf at NotAfter", realVerifier, real, real.NotAfter, 0, ""},
		{"real leaf one second after NotAfter", realVerifier, real, real.NotAfter.Add(time.Second), Expired, real.Subject.CommonName},
		{"real leaf at NotBefore", realVerifier, real, real.NotBefore, 0, ""},
		{"real leaf one second before NotBefore", realVerifier, real, real.NotBefore.Add(-time.Second), NotYetValid, real.Subject.CommonName},
		{"middle at NotAfter", shortMiddle.verifier, shortMiddle.leaf.cert, middleEnd, 0, ""},
		{"middle one second after NotAfter", shortMiddle.verifier, shortMiddle.leaf.cert, middleEnd.Add(time.Second), Expired, windowMiddleCN},
		{"middle at NotBefore", shortMiddle.verifier, shortMiddle.leaf.cert, middleStart, 0, ""},
		{"middle one second before NotBefore", shortMiddle.verifier, shortMiddle.leaf.cert, middleStart.Add(-time.Second), NotYetValid, windowMiddleCN},
		{"root at NotAfter", shortRoot.verifier, shortRoot.leaf.cert, rootEnd, 0, ""},
		{"root one second after NotAfter", shortRoot.verifier, shortRoot.leaf.cert, rootEnd.Add(time.Second), Expired, windowRootCN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.verifier(t, tt.now).ValidateCertificate(tt.leaf)
			if tt.want == 0 {
				require.NoError(t, err)
				return
			}
			inv := requireReason(t, err, tt.want)
			assert.Equal(t, tt.atFault, inv.Cert.Subject.CommonName)
		})
	}
}

// The validated-certificate cache serves an entry only within the window
// in which the whole chain is valid: the leaf's validity narrowed by the
// middle's and the root's (C19, C20), and never before the window opens
// (C22). Each case verifies a notification at a time when everything is
// valid, which caches the leaf, then moves the clock just outside the
// window (where, but in the last case, the leaf alone is still valid): the
// cached entry must not be used.
func TestCacheWindowNarrowedByChain(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name    string
		spec    windowSpec
		first   time.Time // everything valid: verified and cached
		edge    time.Time // the window's own end: still served
		outside time.Time // the leaf is valid, the chain is not
		want    Reason
		atFault string
	}{
		{"middle expires before the leaf", windowSpec{middleTo: day(2027, 1, 1)},
			day(2026, 6, 1), day(2027, 1, 1), day(2027, 1, 1).Add(time.Second), Expired, windowMiddleCN},
		{"root expires before the leaf", windowSpec{rootTo: day(2027, 1, 1)},
			day(2026, 6, 1), day(2027, 1, 1), day(2027, 1, 1).Add(time.Second), Expired, windowRootCN},
		{"middle starts after the leaf", windowSpec{middleFrom: day(2024, 1, 1)},
			day(2025, 6, 1), day(2024, 1, 1), day(2024, 1, 1).Add(-time.Second), NotYetValid, windowMiddleCN},
		{"root starts after the leaf", windowSpec{rootFrom: day(2024, 1, 1)},
			day(2025, 6, 1), day(2024, 1, 1), day(2024, 1, 1).Add(-time.Second), NotYetValid, windowRootCN},
		// The clock going back before the leaf's own NotBefore (C22).
		{"clock back before the leaf's NotBefore", windowSpec{leafFrom: day(2024, 1, 1)},
			day(2025, 6, 1), day(2024, 1, 1), day(2024, 1, 1).Add(-time.Second), NotYetValid, unionPayCN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ch := windowChain(t, tt.spec)
			clock := &testClock{now: tt.first}
			v, err := NewVerifier(VerifierConfig{Root: ch.root.cert, Middle: ch.middle.cert, Now: clock.Now})
			require.NoError(t, err)
			f := ch.notification(t)
			_, err = v.Verify(f)
			require.NoError(t, err)
			require.Equal(t, 1, v.cache.len(), "the leaf is cached")

			clock.set(tt.edge)
			_, err = v.Verify(f)
			require.NoError(t, err, "at the edge of the chain's window")

			clock.set(tt.outside)
			if tt.atFault != unionPayCN {
				require.NoError(t, checkValidity(ch.leaf.cert, tt.outside), "the leaf alone is valid then")
			}
			_, err = v.Verify(f)
			inv := requireReason(t, err, tt.want)
			assert.Equal(t, tt.atFault, inv.Cert.Subject.CommonName)

			clock.set(tt.first)
			_, err = v.Verify(f)
			require.NoError(t, err, "valid again once the clock is back")
		})
	}
}

const (
	windowRootCN   = "Window Root"
	windowMiddleCN = "Window Middle"
)

// windowSpec sets validity bounds of a generated chain; zero values keep
// the defaults (2020-01-01 to 2030-01-01).
type windowSpec struct {
	rootFrom, rootTo, middleFrom, middleTo, leafFrom time.Time
}

// windowChain builds a root, middle and UnionPay leaf with the validity
// periods of spec, reusing three cached keys.
func windowChain(t testing.TB, spec windowSpec) *testChain {
	t.Helper()
	rs := caSpec(windowRootCN)
	rs.notBefore, rs.notAfter = spec.rootFrom, spec.rootTo
	ms := caSpec(windowMiddleCN)
	ms.notBefore, ms.notAfter = spec.middleFrom, spec.middleTo
	ls := leafSpec()
	ls.notBefore = spec.leafFrom
	root := issue(t, rs, nil)
	middle := issue(t, ms, root)
	return &testChain{root: root, middle: middle, leaf: issue(t, ls, middle)}
}
