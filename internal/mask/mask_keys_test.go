package mask

import (
	"maps"
	"testing"
)

// TestKeys: a field name is shown whole; a key holding a value is cut as Key cuts it; keys cut to
// the same text are numbered in one order (shorter first, then byte order), so that none is lost
// and a map shows the same way every time; the texts Keys writes are cut to themselves again.
func TestKeys(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want map[string]string
	}{
		{"field names whole", []string{"merId", "orderId", "txnAmt", "cvn2", "reserved1", "accNo"},
			map[string]string{"merId": "merId", "orderId": "orderId", "txnAmt": "txnAmt", "cvn2": "cvn2",
				"reserved1": "reserved1", "accNo": "accNo"}},
		{"a key holding a card number", []string{"accNo", "accNo=6216261000000000018", "6228480402564890018"},
			map[string]string{"accNo": "accNo", "accNo=6216261000000000018": "accNo...", "6228480402564890018": "..."}},
		{"two cut alike, numbered", []string{"accNo=6216261000000000018", "accNo 6228480402564890018", "merId"},
			map[string]string{"accNo 6228480402564890018": "accNo...#1", "accNo=6216261000000000018": "accNo...#2",
				"merId": "merId"}},
		{"shorter first", []string{"accNo=62162610000000000189", "accNo=6216261000000000018"},
			map[string]string{"accNo=6216261000000000018": "accNo...#1", "accNo=62162610000000000189": "accNo...#2"}},
		{"a literal cut text collides", []string{"accNo...", "accNo=6216261000000000018"},
			map[string]string{"accNo...": "accNo...#1", "accNo=6216261000000000018": "accNo...#2"}},
		{"numbers past 9", []string{"...#1", "...#2", "...#3", "...#4", "...#5", "...#6", "...#7", "...#8", "...#9",
			"...#10", "...#11"},
			map[string]string{"...#1": "...#1", "...#2": "...#2", "...#3": "...#3", "...#4": "...#4", "...#5": "...#5",
				"...#6": "...#6", "...#7": "...#7", "...#8": "...#8", "...#9": "...#9", "...#10": "...#10",
				"...#11": "...#11"}},
		{"empty key", []string{""}, map[string]string{"": ""}},
		{"one cut key keeps no number", []string{"accNo...#7"}, map[string]string{"accNo...#7": "accNo..."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := make(map[string]int, len(tt.keys))
			for i, k := range tt.keys {
				m[k] = i
			}
			got := Keys(m)
			if !maps.Equal(got, tt.want) {
				t.Fatalf("Keys(%q) = %q, want %q", tt.keys, got, tt.want)
			}
			// Distinct for distinct keys, whatever order the map gives its keys.
			for range 20 {
				if again := Keys(maps.Clone(m)); !maps.Equal(again, got) {
					t.Fatalf("Keys(%q) = %q, then %q", tt.keys, got, again)
				}
			}
			seen := map[string]string{}
			shownAgain := map[string]bool{}
			for k, s := range got {
				if other, dup := seen[s]; dup {
					t.Fatalf("Keys(%q): %q and %q both shown as %q", tt.keys, k, other, s)
				}
				seen[s] = k
				shownAgain[s] = true
			}
			// Shown again, each shows as itself (but a lone cut key, which loses its number).
			for s, s2 := range Keys(shownAgain) {
				if s2 != s && len(shownAgain) > 1 {
					t.Errorf("Keys of the shown keys: %q shows as %q", s, s2)
				}
			}
		})
	}
}

// TestIsName: the keys a log shows whole.
func TestIsName(t *testing.T) {
	for k, want := range map[string]bool{
		"merId": true, "orderId": true, "cvn2": true, "reserved1": true, "a1b2": true,
		"": false, "accNo...": false, "...": false, "accNo=1": false, "cvn2741": false, "6216261000000000018": false,
		"accNo 6216261000000000018": false, "accNo...#1": false, "_charset_": false, "name\u00e9": false,
	} {
		if got := IsName(k); got != want {
			t.Errorf("IsName(%q) = %v, want %v", k, got, want)
		}
	}
}

// TestCutValue: the value of a key that is not a field name is hidden; "" stays "".
func TestCutValue(t *testing.T) {
	for v, want := range map[string]string{"": "", "x": Hidden, "6216261000000000018": Hidden} {
		if got := CutValue(v); got != want {
			t.Errorf("CutValue(%q) = %q, want %q", v, got, want)
		}
	}
}

// TestIsCut: the keys Key cuts and Keys numbers read as cut; no field name does.
func TestIsCut(t *testing.T) {
	for k, want := range map[string]bool{
		"...": true, "accNo...": true, "accNo...#1": true, "...#12": true,
		"": false, "accNo": false, "cvn2": false, "a...b": false, "accNo...#": false, "accNo...#x": false, "#1": false,
	} {
		if got := IsCut(k); got != want {
			t.Errorf("IsCut(%q) = %v, want %v", k, got, want)
		}
	}
}
