package layering

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// rules say, per layer (a directory of the module, with everything below
// it), which directories its packages must not import, in production code
// or tests.
var rules = []struct {
	layer     string
	forbidden []string
}{
	{"internal", []string{"router", "subgraphs", "resolvers", "graph", "app", "cmd", "bench"}},
	{"router", []string{"subgraphs", "resolvers", "graph", "schema", "app", "cmd", "bench"}},
	{"subgraphs", []string{"router", "app", "cmd", "bench"}},
	{"resolvers", []string{"router", "app", "cmd", "bench"}},
	// Generated models bind to the subgraphs' domain types, so graph/ may
	// import subgraphs/.
	{"graph", []string{"router", "resolvers", "app", "cmd", "bench"}},
}

// pkg is one package of the module and its direct imports.
type pkg struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

func TestLayers(t *testing.T) {
	module, pkgs := listPackages(t)
	under := func(path, dir string) bool {
		base := module + "/" + dir
		return path == base || strings.HasPrefix(path, base+"/")
	}
	for _, rule := range rules {
		t.Run(rule.layer, func(t *testing.T) {
			checked := 0
			for _, p := range pkgs {
				if !under(p.ImportPath, rule.layer) {
					continue
				}
				checked++
				for _, imports := range []struct {
					kind  string
					paths []string
				}{
					{"", p.Imports},
					{"its tests", p.TestImports},
					{"its external tests", p.XTestImports},
				} {
					for _, imp := range imports.paths {
						for _, dir := range rule.forbidden {
							if !under(imp, dir) {
								continue
							}
							who := p.ImportPath
							if imports.kind != "" {
								who += " (" + imports.kind + ")"
							}
							t.Errorf("%s imports %s: nothing under %s/ may import %s/", who, imp, rule.layer, dir)
						}
					}
				}
			}
			if checked == 0 {
				t.Fatalf("no packages under %s/: the rule checks nothing", rule.layer)
			}
		})
	}
}

// listPackages returns the module path and every package of the module
// with its production and test imports, read with `go list` from the
// module root. Packages that do not build are listed too (-e), so a
// forbidden import that also makes a cycle is still reported here.
func listPackages(t *testing.T) (string, []pkg) {
	t.Helper()
	gomod := goCmd(t, ".", "env", "GOMOD")
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	module := strings.TrimSpace(string(goCmd(t, root, "list", "-m")))
	out := goCmd(t, root, "list", "-e", "-json=ImportPath,Imports,TestImports,XTestImports", "./...")
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		t.Fatal("go list found no packages")
	}
	return module, pkgs
}

func goCmd(t *testing.T, dir string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}
