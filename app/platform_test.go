package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/demotoken"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/subgraphs/chat/store/chatsqlite"
)

// instance is one running `serve` platform on a loopback port.
type instance struct {
	url     string
	dataDir string
	cfg     config.Config
	// internal is where the subgraphs answer the router.
	internal string
	p        *Platform
	stop     func()
}

func start(t *testing.T, dataDir string) *instance {
	t.Helper()
	return startWith(t, dataDir, nil)
}

// startWith is start with the configuration changed by change first.
func startWith(t *testing.T, dataDir string, change func(*config.Config)) *instance {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = dataDir
	cfg.Frontend.Dir = t.TempDir()
	if change != nil {
		change(&cfg)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	base := "http://" + ln.Addr().String()
	p, err := Open(ctx, cfg, logger)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, p.Handler(), p.Health(), cfg.Server, 5*time.Second, logger) }()
	return &instance{url: base, dataDir: dataDir, cfg: cfg, internal: p.InternalURL(), p: p, stop: func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if err := p.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	}}
}

// token is a demo token for profile, signed with the instance's key.
func (in *instance) token(t *testing.T, profile string) string {
	t.Helper()
	issuer, err := demotoken.Open(in.dataDir, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := issuer.Issue(profile, false)
	if err != nil {
		t.Fatal(err)
	}
	return tok.Token
}

type gqlResponse struct {
	Data   map[string]any   `json:"data"`
	Errors []map[string]any `json:"errors"`
}

func (in *instance) do(t *testing.T, profile, query string, vars map[string]any) gqlResponse {
	t.Helper()
	token := ""
	if profile != "" {
		token = in.token(t, profile)
	}
	return in.doWith(t, token, query, vars)
}

// doWith runs query with token, or anonymously when it is empty.
func (in *instance) doWith(t *testing.T, token, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, in.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("status %d, body %s: %v", resp.StatusCode, raw, err)
	}
	return out
}

func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			s, _ := v.([]any)
			if k >= len(s) {
				return nil
			}
			v = s[k]
		}
	}
	return v
}

const titlesQuery = `{
  titles(first: 3) {
    edges { node { id name kind videos { id kind renditions { resolution } } chatRoom { id messageCount } } }
  }
}`

func TestServeAnswersFederatedQueriesAndSurvivesRestart(t *testing.T) {
	dataDir := t.TempDir()
	in := start(t, dataDir)

	resp := in.do(t, "", titlesQuery, nil)
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %v", resp.Errors)
	}
	edges, _ := dig(resp.Data, "titles", "edges").([]any)
	if len(edges) != 3 {
		t.Fatalf("want 3 titles, got %v", resp.Data)
	}
	for i := range edges {
		if videos, _ := dig(edges[i], "node", "videos").([]any); len(videos) == 0 {
			t.Fatalf("title %d has no videos (video subgraph): %v", i, edges[i])
		}
		if dig(edges[i], "node", "chatRoom", "id") == nil {
			t.Fatalf("title %d has no chat room (chat subgraph): %v", i, edges[i])
		}
	}
	titleID, _ := dig(edges[0], "node", "id").(string)
	roomID, _ := dig(edges[0], "node", "chatRoom", "id").(string)

	post := `mutation($room: ID!, $body: String!) { postMessage(roomId: $room, body: $body) { id body author { id } sentiment { label score } } }`
	resp = in.do(t, "profile-2", post, map[string]any{"room": roomID, "body": "What a wonderful, brilliant film!"})
	if len(resp.Errors) > 0 {
		t.Fatalf("postMessage errors: %v", resp.Errors)
	}
	if got := dig(resp.Data, "postMessage", "sentiment", "label"); got != "POSITIVE" {
		t.Fatalf("sentiment %v (insights subgraph via @requires)", got)
	}
	messageID, _ := dig(resp.Data, "postMessage", "id").(string)

	// A bad input gets a coded error and stores nothing.
	resp = in.do(t, "profile-2", post, map[string]any{"room": roomID, "body": "   "})
	if len(resp.Errors) == 0 || dig(resp.Errors[0], "extensions", "code") != "BAD_USER_INPUT" {
		t.Fatalf("blank body: %v", resp.Errors)
	}
	in.stop()

	// Everything survives a restart of the process.
	in = start(t, dataDir)
	defer in.stop()
	resp = in.do(t, "", `query($id: ID!) { title(id: $id) { chatRoom { messages(first: 5) { edges { node { id body sentiment { label } } } } } } }`, map[string]any{"id": titleID})
	if len(resp.Errors) > 0 {
		t.Fatalf("errors after restart: %v", resp.Errors)
	}
	msgs, _ := dig(resp.Data, "title", "chatRoom", "messages", "edges").([]any)
	if len(msgs) == 0 || dig(msgs[0], "node", "id") != messageID {
		t.Fatalf("newest message after restart is %v, want %s", dig(msgs, 0), messageID)
	}
	for _, m := range msgs {
		if body, _ := dig(m, "node", "body").(string); strings.TrimSpace(body) == "" {
			t.Fatal("the rejected blank message was stored")
		}
	}
}

func TestHealth(t *testing.T) {
	in := start(t, t.TempDir())
	defer in.stop()
	for _, path := range []string{"/health/live", "/health/ready"} {
		resp, err := http.Get(in.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
	}
}

// TestLostStoreIsNotReseeded: a store file that disappears between two
// starts stops the platform with a clear error instead of coming back as
// fresh demo data.
func TestLostStoreIsNotReseeded(t *testing.T) {
	dataDir := t.TempDir()
	in := start(t, dataDir)
	in.stop()
	if err := os.Remove(filepath.Join(dataDir, chatsqlite.FileName)); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = dataDir
	cfg.Frontend.Dir = t.TempDir()
	p, err := Open(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err == nil {
		_ = p.Close()
		t.Fatal("the platform started without its chat store")
	}
	if !errors.Is(err, sqlite.ErrMissing) || !strings.Contains(err.Error(), chatsqlite.FileName) {
		t.Fatalf("err %v, want the missing chat store named", err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, chatsqlite.FileName)); err == nil {
		t.Fatal("a new chat store was created")
	}
}
