package compose

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// cinegraphSubgraphs loads the four subgraph schemas of the repository.
func cinegraphSubgraphs(t *testing.T) []Subgraph {
	t.Helper()
	var out []Subgraph
	for i, name := range []string{"catalog", "video", "chat", "insights"} {
		files, err := filepath.Glob(filepath.Join("..", "..", "schema", name, "*.graphqls"))
		if err != nil || len(files) == 0 {
			t.Fatalf("schema files of %s: %v", name, err)
		}
		var sdl string
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatalf("read %s: %v", f, err)
			}
			sdl += string(b) + "\n"
		}
		out = append(out, Subgraph{Name: name, URL: fmt.Sprintf("http://127.0.0.1:%d/graphql", 4001+i), SDL: sdl})
	}
	return out
}

// assertGolden compares got with testdata/name, rewriting it with -update.
func assertGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("write golden %s: %v", path, err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden %s (run with -update to create it): %v", path, err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the composed output (run with -update to accept):\n%s", path, firstDiff(string(want), got))
	}
}

// firstDiff shows the first differing line, enough to find the problem.
func firstDiff(want, got string) string {
	wl, gl := splitLines(want), splitLines(got)
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %q\n  got:  %q", i+1, w, g)
		}
	}
	return "(no line differs)"
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func TestComposeCinegraph(t *testing.T) {
	t.Parallel()
	out, err := Compose(cinegraphSubgraphs(t))
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	assertGolden(t, "cinegraph.supergraph.graphql", out)
}
