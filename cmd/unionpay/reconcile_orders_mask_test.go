package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReconcileOrdersMasksCardNumber: a card number in the orders file where another column was
// meant (the cells of a row shifted, a card column mapped to amount) is masked in the error on
// stderr and in the report's errors, as everything else this tool prints masks one.
func TestReconcileOrdersMasksCardNumber(t *testing.T) {
	const card = "6216261000000000018"
	for _, format := range []string{"json", "csv"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			zipPath := dayFile{}.write(t, dir)
			orders := writeTestFile(t, dir, "orders.csv", []byte(ordersHeaderRow+consumeRow+
				"SHOP0002,20261125110000,"+card+",04,succeeded\n"))
			r := runCLI(t, "", "reconcile", "-format", format, "-orders", orders, zipPath)
			require.Equal(t, exitFailed, r.code, "stderr %q", r.stderr)
			assert.Contains(t, r.stderr, filepath.Base(orders)+` line 3, column 3 (amount): "621626******0018"`)
			assert.NotContains(t, r.stderr, card)
			assert.NotContains(t, r.stdout, card)
			assert.Contains(t, r.stdout, "621626******0018", "the report lists the error")
		})
	}
}
