package fetch

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/compression"
	"github.com/klauspost/compress/zstd"

	"github.com/cinegraph/cinegraph/router/wire"
)

// compressingSubgraph checks how each request came (its Content-Encoding,
// its Accept-Encoding) and answers with a long string in the coding the
// X-Answer header names, reporting what it saw.
func compressingSubgraph(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rd, release, err := compression.NewReader(r.Header["Content-Encoding"], r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if release != nil {
			defer release()
		}
		body, err := io.ReadAll(rd)
		if err != nil || !bytes.HasPrefix(body, []byte(`{"query":`)) {
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		out := []byte(`{"data":{"got":"` + r.Header.Get("Content-Encoding") + `","accept":"` + r.Header.Get("Accept-Encoding") +
			`","long":"` + strings.Repeat("y", 5000) + `"}}`)
		switch r.Header.Get("X-Answer") {
		case "zstd":
			w.Header().Set("Content-Encoding", "zstd")
			zw, _ := zstd.NewWriter(w)
			_, _ = zw.Write(out)
			_ = zw.Close()
		case "gzip":
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(compression.AppendGzip(nil, out))
		case "br":
			w.Header().Set("Content-Encoding", "br")
			_, _ = w.Write(out)
		case "bomb":
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(compression.AppendGzip(nil, append(out, make([]byte, 1<<20)...)))
		default:
			_, _ = w.Write(out)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// The router gzips requests above the threshold, asks for compressed
// answers, and reads zstd and gzip ones, over its own connection pool and
// over net/http alike.
func TestFetchCompression(t *testing.T) {
	t.Parallel()
	srv := compressingSubgraph(t)
	long := "{ a " + strings.Repeat("b ", 1000) + "}"
	tests := []struct {
		name      string
		compress  bool
		query     string
		answer    string
		wantGot   string
		wantAcc   string
		wantError string
	}{
		{"long request gzipped, zstd answer", true, long, "zstd", "gzip", "gzip, zstd", ""},
		{"long request gzipped, gzip answer", true, long, "gzip", "gzip", "gzip, zstd", ""},
		{"short request as it is", true, "{ a }", "zstd", "", "gzip, zstd", ""},
		{"off: nothing asked", false, long, "", "", "", ""},
		{"off: a compressed answer is still read", false, long, "zstd", "", "", ""},
		{"unsupported answer", true, long, "br", "", "", `Content-Encoding "br" is not supported`},
		{"answer over the limit once decoded", true, long, "bomb", "", "", "larger than 65536 bytes"},
	}
	transports := map[string]func(o HTTPOptions) HTTPOptions{
		"pool":     func(o HTTPOptions) HTTPOptions { o.Conns = NewConnPool(); return o },
		"net/http": func(o HTTPOptions) HTTPOptions { o.Client = DefaultClient(); return o },
	}
	for tname, transport := range transports {
		for _, tt := range tests {
			t.Run(tname+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				opts := transport(HTTPOptions{Timeout: 5 * time.Second, MaxResponseBytes: 64 << 10, Compress: tt.compress, CompressMinBytes: 1024})
				if opts.Conns != nil {
					t.Cleanup(opts.Conns.Close)
				}
				f := NewHTTP("a", srv.URL+"/graphql", opts)
				// Twice: the second goes over a kept-alive connection.
				for range 2 {
					resp, err := f.Fetch(t.Context(), &wire.SubgraphRequest{Query: tt.query}, http.Header{"X-Answer": {tt.answer}, "Content-Encoding": {"br"}})
					if tt.wantError != "" {
						if err == nil || !strings.Contains(err.Error(), tt.wantError) {
							t.Fatalf("err %v, want %q", err, tt.wantError)
						}
						continue
					}
					if err != nil {
						t.Fatal(err)
					}
					data := resp.Data
					if data["got"] != tt.wantGot || data["accept"] != tt.wantAcc || len(data["long"].(string)) != 5000 {
						t.Fatalf("subgraph saw Content-Encoding %q, Accept-Encoding %q; want %q, %q", data["got"], data["accept"], tt.wantGot, tt.wantAcc)
					}
				}
			})
		}
	}
}
