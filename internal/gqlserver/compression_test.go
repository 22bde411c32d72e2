package gqlserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/klauspost/compress/zstd"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cinegraph/cinegraph/internal/compression"
)

// longSchema answers every query with a string of the length the request
// body's query asks for: "{ long }" 4000 bytes, "{ short }" 10.
func longSchema() graphql.ExecutableSchema {
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `type Query { long: String short: String }`})
	return &graphql.ExecutableSchemaMock{
		SchemaFunc: func() *ast.Schema { return schema },
		ComplexityFunc: func(context.Context, string, string, int, map[string]any) (int, bool) {
			return 0, false
		},
		ExecFunc: func(ctx context.Context) graphql.ResponseHandler {
			op := graphql.GetOperationContext(ctx)
			n := 10
			if strings.Contains(op.RawQuery, "long") {
				n = 4000
			}
			data, _ := json.Marshal(map[string]string{"v": strings.Repeat("x", n)})
			return graphql.OneShot(&graphql.Response{Data: data})
		},
	}
}

// A subgraph reads gzip request bodies and answers in zstd when the router
// asks, above the threshold; an inflating body is refused.
func TestSubgraphCompression(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(New(longSchema(), Options{Name: "test", Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(srv.Close)
	body := func(query string) []byte { b, _ := json.Marshal(map[string]string{"query": query}); return b }
	bomb := compression.AppendGzip(nil, []byte(`{"query":"{ long `+strings.Repeat(" ", 4<<20)+`}"}`))
	tests := []struct {
		name     string
		body     []byte
		encoding string
		accept   string
		status   int
		wantEnc  string
		wantLen  int
	}{
		{"gzip request, zstd answer", compression.AppendGzip(nil, body("{ long }")), "gzip", "gzip, zstd", 200, "zstd", 4000},
		{"gzip answer", body("{ long }"), "", "gzip", 200, "gzip", 4000},
		{"short answer as it is", compression.AppendGzip(nil, body("{ short }")), "gzip", "gzip, zstd", 200, "", 10},
		{"nothing asked", body("{ long }"), "", "", 200, "", 4000},
		{"unsupported request coding", body("{ long }"), "br", "", http.StatusUnsupportedMediaType, "", 0},
		{"inflating past the body bound", bomb, "gzip", "", 0, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, bytes.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			if tt.encoding != "" {
				req.Header.Set("Content-Encoding", tt.encoding)
			}
			if tt.accept != "" {
				req.Header.Set("Accept-Encoding", tt.accept)
			}
			resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if tt.status == 0 {
				// gqlgen answers a body it could not read with an error of
				// its own.
				raw, _ := io.ReadAll(resp.Body)
				if !bytes.Contains(raw, []byte("request body too large")) || !bytes.Contains(raw, []byte(`"data":null`)) {
					t.Fatalf("an inflating body: %d %.200s", resp.StatusCode, raw)
				}
				return
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.status != 200 {
				return
			}
			if got := resp.Header.Get("Content-Encoding"); got != tt.wantEnc {
				t.Fatalf("Content-Encoding %q, want %q", got, tt.wantEnc)
			}
			rd, release, err := compression.NewReader(resp.Header.Values("Content-Encoding"), resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if release != nil {
				defer release()
			}
			var out struct {
				Data struct{ V string }
			}
			if err := json.NewDecoder(rd).Decode(&out); err != nil || len(out.Data.V) != tt.wantLen {
				t.Fatalf("answer of %d bytes, %v", len(out.Data.V), err)
			}
		})
	}
	// A zstd request body too.
	var zbuf bytes.Buffer
	zw, _ := zstd.NewWriter(&zbuf)
	_, _ = zw.Write(body("{ short }"))
	_ = zw.Close()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, &zbuf)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "zstd")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(raw, []byte(`"v":"xxxxxxxxxx"`)) {
		t.Fatalf("zstd request: %d %s", resp.StatusCode, raw)
	}
}
