package unionpay

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestUserAgentOf: the version in the User-Agent is this module's, whether it is the main module
// or a dependency, never another dependency's; none recorded (a test binary, "(devel)") gives the
// name alone.
func TestUserAgentOf(t *testing.T) {
	t.Parallel()
	const home = " (+https://github.com/goacp/unionpay)"
	resty := &debug.Module{Path: "github.com/go-resty/resty/v2", Version: "v2.17.2"}
	self := &debug.Module{Path: "github.com/goacp/unionpay", Version: "v1.2.3"}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build information", nil, "goacp-unionpay" + home},
		{"a test binary", &debug.BuildInfo{Main: debug.Module{Path: "github.com/goacp/unionpay", Version: "(devel)"}},
			"goacp-unionpay" + home},
		{"a dependency of a shop", &debug.BuildInfo{Main: debug.Module{Path: "example.com/shop", Version: "v0.9.0"},
			Deps: []*debug.Module{resty, self}}, "goacp-unionpay/v1.2.3" + home},
		{"the main module, stamped", &debug.BuildInfo{Main: *self, Deps: []*debug.Module{resty}},
			"goacp-unionpay/v1.2.3" + home},
		{"only other modules' versions", &debug.BuildInfo{Main: debug.Module{Path: "example.com/shop", Version: "v0.9.0"},
			Deps: []*debug.Module{resty}}, "goacp-unionpay" + home},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, userAgentOf(tt.bi), tt.name)
	}
}
