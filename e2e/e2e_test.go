// Package e2e runs Cinegraph end to end with the real client libraries: it
// builds and starts `cinegraph serve` on free loopback ports with fresh data
// directories and runs the Node checks in this folder (graphql-ws, Apollo
// Client) and the web app's live tests (frontend/src/e2e) against them, and
// a hostile page from another origin in headless Chromium (puppeteer-core),
// the built web app's browser suite in Chromium (browser/, with axe-core),
// and faults injected into a router and subgraphs running as separate
// processes (bench/faults), and a rolling restart of routers and subgraph
// instances in cluster mode. Set CINEGRAPH_E2E=1 to run; `make test-e2e`
// does, after npm ci and installing Chromium.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/cinegraph/cinegraph/internal/enginetest"
)

var (
	servingAt   = regexp.MustCompile(`graphql=(http://127\.0\.0\.1:\d+)/graphql`)
	listeningAt = regexp.MustCompile(`addr=(http://127\.0\.0\.1:\d+)`)
	// internalAt is where serve's subgraphs answer the router.
	internalAt = regexp.MustCompile(`listener=internal.* addr=(http://127\.0\.0\.1:\d+)`)
)

// kafkaBroker is where deploy/config/cluster.yaml expects Kafka.
const kafkaBroker = "127.0.0.1:59092"

func TestSubscriptionsEmbedded(t *testing.T) {
	bin := prepare(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	data := filepath.Join(t.TempDir(), "data")
	// A second router process in front of the same subgraphs: each router
	// instance opens its own upstream subscriptions for its own clients. It
	// shares serve's router token (the subgraphs believe it) and data
	// directory (the demo token key, so one token works on both).
	env := []string{"CINEGRAPH_ROUTER_AUTH_TOKEN=e2e-" + strconv.FormatInt(time.Now().UnixNano(), 36)}
	serve := start(ctx, t, bin, servingAt, env, "serve", "--listen", "127.0.0.1:0", "--data-dir", data)
	internal := serve.find(t, internalAt)
	for _, name := range []string{"catalog", "video", "chat", "insights"} {
		env = append(env, "CINEGRAPH_ROUTER_SUBGRAPH_URLS_"+strings.ToUpper(name)+"="+internal+"/subgraphs/"+name+"/graphql")
	}
	router2 := start(ctx, t, bin, listeningAt, env, "router", "--listen", "127.0.0.1:0", "--data-dir", data)
	runNode(ctx, t, serve.url, router2.url)
	runWebApp(ctx, t, serve.url)
	checkServiceRestart(ctx, t, serve)
}

// TestSubscriptionsAcrossInstancesWithKafka runs two cinegraph serve
// processes in cluster mode: a message posted through one reaches
// subscribers of both, through Kafka.
func TestSubscriptionsAcrossInstancesWithKafka(t *testing.T) {
	bin := prepare(t)
	conn, err := net.DialTimeout("tcp", kafkaBroker, time.Second)
	if err != nil {
		msg := fmt.Sprintf("no Kafka at %s (make services-up starts the cluster engines): %v", kafkaBroker, err)
		if enginetest.Required() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	_ = conn.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cfg, err := filepath.Abs("../deploy/config/cluster.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a := start(ctx, t, bin, servingAt, nil, "serve", "--config", cfg, "--listen", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "a"))
	b := start(ctx, t, bin, servingAt, nil, "serve", "--config", cfg, "--listen", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "b"))
	runNode(ctx, t, a.url, b.url)
}

// prepare skips unless asked to run, and builds cinegraph.
func prepare(t *testing.T) string {
	t.Helper()
	if os.Getenv("CINEGRAPH_E2E") != "1" {
		t.Skip("set CINEGRAPH_E2E=1 (make test-e2e) to run the Node end-to-end checks")
	}
	if _, err := os.Stat("node_modules"); err != nil {
		t.Fatal("e2e/node_modules is missing: run npm ci in e2e (make test-e2e does)")
	}
	bin := filepath.Join(t.TempDir(), "cinegraph")
	build := exec.Command("go", "build", "-o", bin, "github.com/cinegraph/cinegraph/cmd/cinegraph")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build cinegraph: %v\n%s", err, out)
	}
	return bin
}

type process struct {
	cmd *exec.Cmd
	url string
	log func() string
}

// find waits (a few seconds at most) for re in the process's log and
// returns its first submatch.
func (p *process) find(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := re.FindStringSubmatch(p.log()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("%s not in the log:\n%s", re, p.log())
	return ""
}

// start runs bin with args until ctx ends (then it is interrupted) and
// returns its URL, read from its log with ready.
func start(ctx context.Context, t *testing.T, bin string, ready *regexp.Regexp, extraEnv []string, args ...string) *process {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, args...)
	// The config loader refuses unknown CINEGRAPH_ variables, these tests'
	// switches among them (CINEGRAPH_E2E and its CINEGRAPH_E2E_* folders).
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CINEGRAPH_E2E") && !strings.HasPrefix(kv, "CINEGRAPH_CHROMIUM=") && !strings.HasPrefix(kv, "CINEGRAPH_ZIPKIN_URL=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	logs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout strings.Builder
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start cinegraph %s: %v", args[0], err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	found := make(chan string, 1)
	var mu sync.Mutex
	var text strings.Builder
	go func() {
		sc := bufio.NewScanner(logs)
		sent := false
		for sc.Scan() {
			mu.Lock()
			text.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := ready.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, logs)
		if !sent {
			close(found)
		}
	}()
	logText := func() string {
		mu.Lock()
		defer mu.Unlock()
		return text.String()
	}
	select {
	case u, ok := <-found:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("cinegraph %s exited (%v):\n%s%s", args[0], cmd.ProcessState, logText(), stdout.String())
		}
		return &process{cmd: cmd, url: u, log: logText}
	case <-time.After(90 * time.Second):
		t.Fatalf("cinegraph %s did not start within 90 s:\n%s", args[0], logText())
		return nil
	}
}

func runNode(ctx context.Context, t *testing.T, url, url2 string) {
	t.Helper()
	node := exec.CommandContext(ctx, "npm", "test")
	node.Env = append(slices.Clone(os.Environ()), "CINEGRAPH_URL="+url, "CINEGRAPH_ROUTER2_URL="+url2)
	out, err := node.CombinedOutput()
	if err != nil {
		t.Fatalf("node end-to-end checks failed: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// runWebApp runs the web app's live tests (frontend/src/e2e: its
// operations, the whole app in jsdom and its subscription) against url;
// plain npm test skips them for want of a server.
func runWebApp(ctx context.Context, t *testing.T, url string) {
	t.Helper()
	if _, err := os.Stat("../frontend/node_modules"); err != nil {
		t.Fatal("frontend/node_modules is missing: run npm ci in frontend (make test does)")
	}
	vitest := exec.CommandContext(ctx, "npx", "vitest", "run", "src/e2e")
	vitest.Dir = "../frontend"
	// Node 20 has its global WebSocket behind a flag (on by default from 22).
	vitest.Env = append(slices.Clone(os.Environ()), "CINEGRAPH_E2E_URL="+url, "NODE_OPTIONS=--experimental-websocket")
	out, err := vitest.CombinedOutput()
	if err != nil {
		t.Fatalf("the web app's live tests failed: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "skipped") {
		t.Fatalf("the web app's live tests skipped some checks:\n%s", out)
	}
	t.Logf("%s", out)
}

// checkServiceRestart stops p and expects its open websocket to close with
// 1012 (service restart), which clients take as a reason to reconnect.
func checkServiceRestart(ctx context.Context, t *testing.T, p *process) {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.DialContext(ctx, "ws"+strings.TrimPrefix(p.url, "http")+"/graphql", nil)
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
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		_, _, err := conn.ReadMessage()
		if err == nil {
			continue
		}
		if !websocket.IsCloseError(err, websocket.CloseServiceRestart) {
			t.Fatalf("on shutdown the socket ended with %v, want close 1012", err)
		}
		return
	}
}
