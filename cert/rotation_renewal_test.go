package cert

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestNextChainRenewedMiddle: UnionPay renews its middle certificate under the same name and key
// (a new validity), under the same root or re-issued by a new one, and announces it as
// NextMiddle (and NextRoot). The old middle's leaves verify with either middle, so once the
// current middle has expired they verify through the next chain. (chain.verify tried the next
// chain only for a leaf the current middle did not issue: every message failed as Expired while
// CheckChainValidity, and so NewClient, accepted the configuration; found by a review.)
func TestNextChainRenewedMiddle(t *testing.T) {
	t.Parallel()
	root := issue(t, caSpec("Renewal Root"), nil)
	oldSpec := caSpec("Renewal Middle")
	oldSpec.notAfter = renewDay(2024, 12, 31)
	oldMiddle := issue(t, oldSpec, root)
	newSpec := caSpec("Renewal Middle") // same name, same key (keyName defaults to cn)
	newSpec.notAfter = renewDay(2032, 1, 1)
	newMiddle := issue(t, newSpec, root)
	leaf := issue(t, leafSpec(), oldMiddle)
	require.NoError(t, checkIssued(leaf.cert, newMiddle.cert, 0), "the renewed middle verifies the leaf")

	// A new root that re-issued the middle (same name and key) is the other common form.
	newRoot := issue(t, caSpec("Renewal Root 2"), nil)
	crossMiddle := issue(t, newSpec, newRoot)

	for name, next := range map[string][2]*issued{"same root": {root, newMiddle}, "new root": {newRoot, crossMiddle}} {
		v, err := NewVerifier(VerifierConfig{Root: root.cert, Middle: oldMiddle.cert,
			NextRoot: next[0].cert, NextMiddle: next[1].cert, Now: fixedNow(renewDay(2025, 6, 1))})
		require.NoError(t, err)
		require.NoError(t, v.CheckChainValidity(false), "%s: the next chain is valid", name)
		_, err = v.Verify((&testChain{leaf: leaf}).notification(t))
		require.NoError(t, err, "%s: a leaf the valid next chain verifies", name)
	}
}

func renewDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
