package router

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cinegraph/cinegraph/internal/compression"
	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/gorilla/websocket"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// itemsSDL answers a long list (items) or one short object (one).
const itemsSDL = `
type Query { items: [Item!]! one: Item! }
type Item { id: ID! name: String! }
`

// itemsSubgraph answers every query with 50 items and one, behind the
// compression middleware the subgraph servers use; it records how each
// request reached it and how it was answered.
type itemsSubgraph struct {
	url string
	mu  sync.Mutex
	// seen holds "Content-Encoding|Accept-Encoding -> answer's Content-Encoding".
	seen []string
}

func newItemsSubgraph(t *testing.T) *itemsSubgraph {
	t.Helper()
	items := make([]map[string]any, 50)
	for i := range items {
		items[i] = map[string]any{"id": fmt.Sprint(i), "name": fmt.Sprintf("item number %d", i)}
	}
	answer, _ := json.Marshal(map[string]any{"data": map[string]any{"items": items, "one": items[0]}})
	c, err := compression.New(compression.Options{MinBytes: 64})
	if err != nil {
		t.Fatal(err)
	}
	s := &itemsSubgraph{}
	inner := c.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Query string `json:"query"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Query == "" {
			http.Error(w, "bad request body", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}), 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("Content-Encoding") + "|" + r.Header.Get("Accept-Encoding")
		inner.ServeHTTP(w, r)
		s.mu.Lock()
		s.seen = append(s.seen, got+" -> "+w.Header().Get("Content-Encoding"))
		s.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

func (s *itemsSubgraph) last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.seen) == 0 {
		return ""
	}
	return s.seen[len(s.seen)-1]
}

// itemsRouter serves a router over a fresh items subgraph.
func itemsRouter(t *testing.T, cc CompressionConfig) (*itemsSubgraph, string) {
	t.Helper()
	sub := newItemsSubgraph(t)
	sdl, err := compose.Compose([]compose.Subgraph{{Name: "items", URL: sub.url,
		SDL: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [])` + itemsSDL}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{SupergraphSDL: sdl, Compression: cc})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return sub, srv.URL + "/graphql"
}

// rawPost posts body (sent with the given Content-Encoding) and returns the
// response with its body as it came over the wire: the transport decodes
// nothing.
func rawPost(t *testing.T, endpoint string, body []byte, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, raw
}

// decodeBody reads raw as its Content-Encoding says.
func decodeBody(t *testing.T, enc string, raw []byte) string {
	t.Helper()
	var rd io.Reader
	switch enc {
	case "":
		return string(raw)
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rd = zr
	case "zstd":
		d, err := zstd.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		rd = d
	default:
		t.Fatalf("Content-Encoding %q", enc)
	}
	out, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func queryBody(query string) []byte {
	b, _ := json.Marshal(map[string]string{"query": query})
	return b
}

// Responses to clients are compressed as their Accept-Encoding asks, above
// the threshold, and decode to what an uncompressed client gets.
func TestCompressedResponses(t *testing.T) {
	t.Parallel()
	_, endpoint := itemsRouter(t, CompressionConfig{Responses: true, MinBytes: 1024})
	_, offEndpoint := itemsRouter(t, CompressionConfig{})
	_, plain := rawPost(t, endpoint, queryBody(`{ items { id name } }`), nil)
	if !strings.HasPrefix(string(plain), `{"data":{"items":[{"id":"0"`) || len(plain) < 1024 {
		t.Fatalf("uncompressed answer: %s", plain)
	}
	tests := []struct {
		name     string
		endpoint string
		query    string
		accept   string
		wantEnc  string
	}{
		{"zstd preferred", endpoint, `{ items { id name } }`, "gzip, deflate, br, zstd", "zstd"},
		{"gzip", endpoint, `{ items { id name } }`, "gzip", "gzip"},
		{"q-values", endpoint, `{ items { id name } }`, "zstd;q=0.1, gzip;q=0.9", "gzip"},
		{"identity", endpoint, `{ items { id name } }`, "identity", ""},
		{"none asked", endpoint, `{ items { id name } }`, "", ""},
		{"unknown only", endpoint, `{ items { id name } }`, "br", ""},
		{"below the threshold", endpoint, `{ one { id } }`, "gzip, zstd", ""},
		{"off", offEndpoint, `{ items { id name } }`, "gzip, zstd", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			header := map[string]string{}
			if tt.accept != "" {
				header["Accept-Encoding"] = tt.accept
			}
			resp, raw := rawPost(t, tt.endpoint, queryBody(tt.query), header)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, raw)
			}
			if got := resp.Header.Get("Content-Encoding"); got != tt.wantEnc {
				t.Fatalf("Content-Encoding %q, want %q", got, tt.wantEnc)
			}
			vary := strings.Join(resp.Header.Values("Vary"), ",")
			if on := tt.endpoint != offEndpoint; on != strings.Contains(vary, "Accept-Encoding") {
				t.Fatalf("Vary %q", vary)
			}
			got := decodeBody(t, tt.wantEnc, raw)
			if tt.query == `{ items { id name } }` && got != string(plain) {
				t.Fatalf("decoded answer differs:\n%s\n%s", got, plain)
			}
			if tt.wantEnc != "" && len(raw) >= len(plain)/2 {
				t.Fatalf("compressed to %d of %d bytes", len(raw), len(plain))
			}
		})
	}
}

// Compressed request bodies are read; one inflating past the router's
// request bound is refused as any body too large is.
func TestCompressedRequests(t *testing.T) {
	t.Parallel()
	sub := newItemsSubgraph(t)
	sdl, err := compose.Compose([]compose.Subgraph{{Name: "items", URL: sub.url,
		SDL: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: [])` + itemsSDL}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{SupergraphSDL: sdl, MaxRequestBytes: 64 << 10, Compression: CompressionConfig{Responses: true}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	endpoint := srv.URL + "/graphql"

	var zbuf bytes.Buffer
	zw, _ := zstd.NewWriter(&zbuf)
	_, _ = zw.Write(queryBody(`{ one { id name } }`))
	_ = zw.Close()
	// 10 MiB of spaces inside the query string, gzipped to about 10 KiB.
	bomb := compression.AppendGzip(nil, []byte(`{"query":"{ one { id } `+strings.Repeat(" ", 10<<20)+`}"}`))
	tests := []struct {
		name     string
		encoding string
		body     []byte
		status   int
		want     string
	}{
		{"gzip", "gzip", compression.AppendGzip(nil, queryBody(`{ one { id name } }`)), 200, `{"data":{"one":{"id":"0","name":"item number 0"}}}`},
		{"zstd", "zstd", zbuf.Bytes(), 200, `{"data":{"one":{"id":"0","name":"item number 0"}}}`},
		{"zip bomb", "gzip", bomb, http.StatusRequestEntityTooLarge,
			`{"errors":[{"message":"request body is larger than 65536 bytes once decompressed","extensions":{"code":"BAD_USER_INPUT"}}]}`},
		{"unsupported coding", "br", queryBody(`{ one { id } }`), http.StatusUnsupportedMediaType,
			`{"errors":[{"message":"Content-Encoding \"br\" is not supported: send gzip, zstd or identity","extensions":{"code":"BAD_USER_INPUT"}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, raw := rawPost(t, endpoint, tt.body, map[string]string{"Content-Encoding": tt.encoding})
			if resp.StatusCode != tt.status || string(raw) != tt.want {
				t.Fatalf("%d %s\nwant %d %s", resp.StatusCode, raw, tt.status, tt.want)
			}
		})
	}
}

// Streams are never compressed, whatever the client accepts: SSE and
// multipart subscriptions, and websockets (whose upgrade would fail).
func TestCompressionLeavesStreams(t *testing.T) {
	t.Parallel()
	_, endpoint := tallyRouter(t, func(c *Config) { c.Compression = CompressionConfig{Responses: true, MinBytes: 0} })
	for _, tt := range []struct {
		name, accept, want string
	}{
		{"SSE", "text/event-stream", "event: next"},
		{"multipart", `multipart/mixed;subscriptionSpec="1.0", application/json`, `"payload":{"data":{"bumped":1}}`},
		{"plain query, threshold 0: compressed", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			header := map[string]string{"Accept-Encoding": "gzip, zstd"}
			query := `subscription { bumped }`
			if tt.accept != "" {
				header["Accept"] = tt.accept
			} else {
				query = `{ count }`
			}
			resp, raw := rawPost(t, endpoint, queryBody(query), header)
			enc := resp.Header.Get("Content-Encoding")
			if tt.want == "" {
				if enc != "zstd" || decodeBody(t, enc, raw) != `{"data":{"count":0}}` {
					t.Fatalf("Content-Encoding %q, body %q", enc, raw)
				}
				return
			}
			if enc != "" || !strings.Contains(string(raw), tt.want) {
				t.Fatalf("Content-Encoding %q, body %q", enc, raw)
			}
		})
	}
	t.Run("websocket", func(t *testing.T) {
		t.Parallel()
		d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
		conn, resp, err := d.DialContext(t.Context(), "ws"+strings.TrimPrefix(endpoint, "http"), http.Header{"Accept-Encoding": {"gzip"}})
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if resp.Header.Get("Content-Encoding") != "" {
			t.Fatalf("upgrade answered with Content-Encoding %q", resp.Header.Get("Content-Encoding"))
		}
		if err := conn.WriteJSON(map[string]any{"type": "connection_init"}); err != nil {
			t.Fatal(err)
		}
		var ack map[string]any
		if err := conn.ReadJSON(&ack); err != nil || ack["type"] != "connection_ack" {
			t.Fatalf("%v %v", ack, err)
		}
	})
}

// With subgraph compression on, the router gzips its requests above the
// threshold, asks for zstd or gzip, and reads the zstd answer; off, it asks
// for nothing and sends bodies as they are.
func TestSubgraphCompression(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cc   CompressionConfig
		want string
	}{
		{"on", CompressionConfig{Subgraphs: true, MinBytes: 16}, "gzip|gzip, zstd -> zstd"},
		{"on, request below the threshold", CompressionConfig{Subgraphs: true, MinBytes: 4096}, "|gzip, zstd -> zstd"},
		{"off", CompressionConfig{MinBytes: 16}, "| -> "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sub, endpoint := itemsRouter(t, tt.cc)
			resp, raw := rawPost(t, endpoint, queryBody(`{ items { id name } }`), nil)
			if resp.StatusCode != 200 || !strings.HasPrefix(string(raw), `{"data":{"items":[{"id":"0","name":"item number 0"}`) {
				t.Fatalf("%d %s", resp.StatusCode, raw)
			}
			if got := sub.last(); got != tt.want {
				t.Fatalf("subgraph saw %q, want %q", got, tt.want)
			}
		})
	}
}
