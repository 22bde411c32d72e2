// Package e2e runs Cinegraph end to end with the real client libraries: it
// builds and starts `cinegraph serve` on a free loopback port with a fresh
// data directory and runs the Node checks in this folder against it
// (npm ci first). Set CINEGRAPH_E2E=1 to run; `make test-e2e` does.
package e2e

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

var servingAt = regexp.MustCompile(`graphql=(http://127\.0\.0\.1:\d+)/graphql`)

func TestSubscriptionsWithGraphQLWsClient(t *testing.T) {
	if os.Getenv("CINEGRAPH_E2E") != "1" {
		t.Skip("set CINEGRAPH_E2E=1 (make test-e2e) to run the Node end-to-end checks")
	}
	if _, err := os.Stat("node_modules"); err != nil {
		t.Fatal("e2e/node_modules is missing: run npm ci in e2e (make test-e2e does)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "cinegraph")
	build := exec.Command("go", "build", "-o", bin, "github.com/cinegraph/cinegraph/cmd/cinegraph")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build cinegraph: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	serve := exec.CommandContext(ctx, bin, "serve", "--listen", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "data"))
	// The config loader refuses unknown CINEGRAPH_ variables, this
	// test's switch among them.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CINEGRAPH_E2E=") {
			env = append(env, kv)
		}
	}
	serve.Env = env
	serve.Cancel = func() error { return serve.Process.Signal(os.Interrupt) }
	serve.WaitDelay = 10 * time.Second
	logs, err := serve.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatalf("start cinegraph serve: %v", err)
	}
	defer func() {
		cancel()
		_ = serve.Wait()
	}()
	url := make(chan string, 1)
	exited := make(chan struct{})
	var logMu sync.Mutex
	var logText strings.Builder
	go func() {
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			logMu.Lock()
			logText.WriteString(sc.Text() + "\n")
			logMu.Unlock()
			if m := servingAt.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case url <- m[1]:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, logs)
		close(exited)
	}()
	var base string
	select {
	case base = <-url:
	case <-exited:
		logMu.Lock()
		defer logMu.Unlock()
		t.Fatalf("cinegraph serve exited:\n%s", logText.String())
	case <-time.After(60 * time.Second):
		logMu.Lock()
		defer logMu.Unlock()
		t.Fatalf("cinegraph serve did not start within 60 s:\n%s", logText.String())
	}
	// A second router process in front of the same subgraphs: each router
	// instance opens its own upstream subscriptions for its own clients.
	router2 := startRouter(ctx, t, bin, base, env)
	node := exec.CommandContext(ctx, "npm", "test")
	node.Env = append(os.Environ(), "CINEGRAPH_URL="+base, "CINEGRAPH_ROUTER2_URL="+router2)
	out, err := node.CombinedOutput()
	if err != nil {
		t.Fatalf("node end-to-end checks failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)

	// Stopping the server closes open websockets with 1001 (going away).
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.DialContext(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql", nil)
	if err != nil {
		t.Fatalf("dial router: %v", err)
	}
	defer conn.Close()
	if err := conn.WriteJSON(map[string]any{"type": "connection_init"}); err != nil {
		t.Fatal(err)
	}
	var ack map[string]any
	if err := conn.ReadJSON(&ack); err != nil || ack["type"] != "connection_ack" {
		t.Fatalf("connection_ack: %v %v", ack, err)
	}
	if err := serve.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		_, _, err := conn.ReadMessage()
		if err == nil {
			continue
		}
		if !websocket.IsCloseError(err, websocket.CloseGoingAway) {
			t.Fatalf("on shutdown the socket ended with %v, want close 1001", err)
		}
		return
	}
}

var listeningAt = regexp.MustCompile(`addr=(http://127\.0\.0\.1:\d+)`)

// startRouter runs `cinegraph router` against the subgraphs of the serve
// process at base and returns its URL; ctx's end stops it.
func startRouter(ctx context.Context, t *testing.T, bin, base string, env []string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, "router", "--listen", "127.0.0.1:0")
	cmd.Env = slices.Clone(env)
	for _, name := range []string{"catalog", "video", "chat", "insights"} {
		cmd.Env = append(cmd.Env, "CINEGRAPH_ROUTER_SUBGRAPH_URLS_"+strings.ToUpper(name)+"="+base+"/subgraphs/"+name+"/graphql")
	}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	logs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start cinegraph router: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Wait() })
	found := make(chan string, 1)
	var text strings.Builder
	go func() {
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			text.WriteString(sc.Text() + "\n")
			if m := listeningAt.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		close(found)
		_, _ = io.Copy(io.Discard, logs)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatalf("cinegraph router exited:\n%s", text.String())
		}
		return u
	case <-time.After(30 * time.Second):
		t.Fatal("cinegraph router did not start within 30 s")
		return ""
	}
}
