package router

import (
	"os/exec"
	"strings"
	"testing"
)

// The router's data path is layered: wire at the bottom, fetch above it,
// execute above that, and the transports and subscriptions beside
// execute, speaking wire. These checks fail when an import, tests
// included, crosses a layer the wrong way.
func TestLayers(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	const mod = "github.com/cinegraph/cinegraph/router/"
	cases := []struct {
		name   string
		pkgs   []string
		forbid []string
	}{
		{"transports and subscriptions use wire, not the executor", []string{"./transport/...", "./subscription"}, []string{"execute"}},
		{"wire is the floor", []string{"./wire"}, []string{"execute", "fetch", "introspect", "plan", "transport", "subscription"}},
		{"the request reader stands on wire alone", []string{"./request"}, []string{"execute", "fetch", "introspect", "plan", "transport", "subscription"}},
		{"fetch knows nothing of plans", []string{"./fetch"}, []string{"execute", "introspect", "plan"}},
		{"introspection does not execute", []string{"./introspect"}, []string{"execute", "fetch"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command("go", append([]string{"list", "-deps", "-test"}, tc.pkgs...)...).CombinedOutput()
			if err != nil {
				t.Fatalf("go list: %v\n%s", err, out)
			}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				// Test variants read "pkg [pkg.test]".
				dep, _, _ := strings.Cut(line, " ")
				for _, f := range tc.forbid {
					if dep == mod+f || strings.HasPrefix(dep, mod+f+"/") {
						t.Errorf("%s depends on %s", strings.Join(tc.pkgs, " "), dep)
					}
				}
			}
		})
	}
}
