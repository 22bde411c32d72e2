package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestBrowser runs the web app's browser suite (browser/*.test.mjs, node
// --test driving headless Chromium with puppeteer-core) against one
// `cinegraph serve` that serves the built app (frontend/dist, which
// `make frontend` builds): browsing to My List, search facets and the Back
// button, a watch party between two profiles, the playground offline, the
// phone layout, and axe-core's accessibility rules on every screen.
//
// A failing check leaves a screenshot of its page in the artifacts folder,
// $CINEGRAPH_E2E_ARTIFACTS or else a temporary folder kept when the test
// fails (its path is logged). With CINEGRAPH_E2E_SCREENSHOTS=<dir>, full-page
// screenshots of the main screens are saved there as well.
func TestBrowser(t *testing.T) {
	bin := prepare(t)
	chromium := findChromium(t)
	dist, err := filepath.Abs("../frontend/dist")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dist, "index.html")); err != nil {
		t.Fatalf("the web app is not built (%v): run `make frontend` (make test-e2e does)", err)
	}
	artifacts := artifactsDir(t)

	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	serve := start(ctx, t, bin, servingAt, []string{"CINEGRAPH_FRONTEND_DIR=" + dist},
		"serve", "--listen", "127.0.0.1:0", "--data-dir", filepath.Join(t.TempDir(), "data"))

	files, err := filepath.Glob("browser/*.test.mjs")
	if err != nil || len(files) == 0 {
		t.Fatalf("no browser/*.test.mjs (%v)", err)
	}
	began := time.Now()
	// One file at a time: each drives its own browser, and the pages are
	// timed against the server's answers.
	args := append([]string{"--test", "--test-concurrency=1", "--test-timeout=120000", "--test-reporter=spec"}, files...)
	node := exec.CommandContext(ctx, "node", args...)
	node.Env = append(slices.Clone(os.Environ()),
		"CINEGRAPH_URL="+serve.url,
		"CHROMIUM="+chromium,
		"CINEGRAPH_E2E_ARTIFACTS="+artifacts,
	)
	out, err := node.CombinedOutput()
	t.Logf("browser suite (%s):\n%s", time.Since(began).Round(100*time.Millisecond), out)
	if err != nil {
		t.Errorf("browser suite failed: %v; screenshots of the failing pages in %s", err, artifacts)
	}
	if dir := os.Getenv("CINEGRAPH_E2E_SCREENSHOTS"); dir != "" {
		t.Logf("screenshots of the screens in %s", dir)
	}
}

// artifactsDir is $CINEGRAPH_E2E_ARTIFACTS (created), or a temporary folder
// removed after the test unless it failed.
func artifactsDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("CINEGRAPH_E2E_ARTIFACTS"); dir != "" {
		dir, err := filepath.Abs(dir)
		if err == nil {
			err = os.MkdirAll(dir, 0o755)
		}
		if err != nil {
			t.Fatal(err)
		}
		return dir
	}
	dir, err := os.MkdirTemp("", "cinegraph-browser-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("browser artifacts kept in %s", dir)
			return
		}
		_ = os.RemoveAll(dir)
	})
	return dir
}
