package request_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/compression"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/klauspost/compress/zstd"
)

func TestReadHTTP(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		method    string
		ctype     string
		body      string     // POST
		params    url.Values // GET
		transport request.Transport
		wantErr   string
		status    int
		allow     string
		query     string
		vars      int
		exts      int
		hash      string
	}{
		{name: "post", method: http.MethodPost, ctype: "application/json", body: `{"query":"{ a }","operationName":null,"variables":{"x":1,"y":"z"},"extensions":{}}`, query: "{ a }", vars: 2},
		{name: "post query only", method: http.MethodPost, ctype: "application/json; charset=utf-8", body: `{"query":"{ b }"}`, query: "{ b }"},
		{name: "post graphql-response+json", method: http.MethodPost, ctype: "application/graphql-response+json", body: `{"query":"{ b }"}`, query: "{ b }"},
		{name: "get", method: http.MethodGet, params: url.Values{"query": {"{ a }"}, "variables": {`{"x":1}`}, "extensions": {`{"plan":true}`}}, query: "{ a }", vars: 1, exts: 1},
		{name: "get over sse", method: http.MethodGet, params: url.Values{"query": {"subscription { a }"}}, transport: request.SSE, query: "subscription { a }"},
		{name: "query not a string", method: http.MethodPost, ctype: "application/json", body: `{"query":5}`, wantErr: "query must be a string", status: 400},
		{name: "variables a list", method: http.MethodPost, ctype: "application/json", body: `{"query":"{ a }","variables":[1]}`, wantErr: "variables must be a JSON object", status: 400},
		{name: "get variables not json", method: http.MethodGet, params: url.Values{"query": {"{ a }"}, "variables": {"{"}}, wantErr: "variables must be a JSON object", status: 400},
		{name: "get extensions a list", method: http.MethodGet, params: url.Values{"query": {"{ a }"}, "extensions": {"[]"}}, wantErr: "extensions must be a JSON object", status: 400},
		{name: "not an object", method: http.MethodPost, ctype: "application/json", body: `[1]`, wantErr: "the body must be a JSON object", status: 400},
		{name: "not json", method: http.MethodPost, ctype: "application/json", body: `{`, wantErr: "request body is not a GraphQL JSON request", status: 400},
		{name: "trailing data", method: http.MethodPost, ctype: "application/json", body: `{"query":"{ a }"} {}`, wantErr: "request body is not a GraphQL JSON request", status: 400},
		{name: "no query", method: http.MethodPost, ctype: "application/json", body: `{"variables":{}}`, wantErr: "the request has no query", status: 400},
		{name: "get no query", method: http.MethodGet, wantErr: "the request has no query", status: 400},
		// A persisted query may leave the document out: the router finds it
		// by hash.
		{name: "get persisted query", method: http.MethodGet, params: url.Values{"extensions": {`{"persistedQuery":{"version":1,"sha256Hash":"abc"}}`}}, exts: 1, hash: "abc"},
		{name: "post persisted query with document", method: http.MethodPost, ctype: "application/json", body: `{"query":"{ a }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}`, query: "{ a }", exts: 1, hash: "abc"},
		{name: "persisted query null", method: http.MethodPost, ctype: "application/json", body: `{"extensions":{"persistedQuery":null}}`, wantErr: "the request has no query", status: 400},
		{name: "persisted query a string", method: http.MethodPost, ctype: "application/json", body: `{"extensions":{"persistedQuery":"abc"}}`, wantErr: "extensions.persistedQuery must be a JSON object", status: 400},
		{name: "persisted query version 2", method: http.MethodPost, ctype: "application/json", body: `{"extensions":{"persistedQuery":{"version":2,"sha256Hash":"abc"}}}`, wantErr: "extensions.persistedQuery.version must be 1", status: 400},
		{name: "persisted query without hash", method: http.MethodPost, ctype: "application/json", body: `{"extensions":{"persistedQuery":{"version":1}}}`, wantErr: "sha256Hash must be a non-empty string", status: 400},
		// Every transport reads POST bodies alike: a form or text/plain body
		// could come from another site without a CORS preflight.
		{name: "text/plain over plain http", method: http.MethodPost, ctype: "text/plain", body: `{"query":"{ a }"}`, wantErr: "POST bodies must be application/json", status: 415},
		{name: "text/plain over sse", method: http.MethodPost, ctype: "text/plain", body: `{"query":"{ a }"}`, transport: request.SSE, wantErr: "POST bodies must be application/json", status: 415},
		{name: "no content type over multipart", method: http.MethodPost, body: `{"query":"{ a }"}`, transport: request.Multipart, wantErr: "POST bodies must be application/json", status: 415},
		{name: "too large", method: http.MethodPost, ctype: "application/json", body: `{"query":"{ a ` + strings.Repeat(" ", 200) + `}"}`, wantErr: "larger than 128 bytes", status: 413},
		{name: "put", method: http.MethodPut, ctype: "application/json", body: `{"query":"{ a }"}`, wantErr: "method PUT is not allowed", status: 405, allow: "GET, POST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var r *http.Request
			if tc.method == http.MethodGet {
				r = httptest.NewRequest(http.MethodGet, "/graphql?"+tc.params.Encode(), nil)
			} else {
				r = httptest.NewRequest(tc.method, "/graphql", strings.NewReader(tc.body))
			}
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			w := httptest.NewRecorder()
			req, bad := request.ReadHTTP(w, r, tc.transport, 128)
			if tc.wantErr != "" {
				if bad == nil || !strings.Contains(bad.Message, tc.wantErr) || bad.Status != tc.status {
					t.Fatalf("got %v, want %d %q", bad, tc.status, tc.wantErr)
				}
				if got := w.Header().Get("Allow"); got != tc.allow {
					t.Fatalf("Allow %q, want %q", got, tc.allow)
				}
				return
			}
			if bad != nil {
				t.Fatal(bad)
			}
			if req.Query != tc.query || len(req.Variables) != tc.vars || len(req.Extensions) != tc.exts {
				t.Fatalf("got %+v", req)
			}
			if got := persistedHash(req); got != tc.hash {
				t.Fatalf("persisted hash %q, want %q", got, tc.hash)
			}
			if req.Method != tc.method || req.Transport != tc.transport || req.ReadOnly() != (tc.method == http.MethodGet) {
				t.Fatalf("method %s transport %s read-only %v", req.Method, req.Transport, req.ReadOnly())
			}
			if n, ok := req.Variables["x"].(json.Number); tc.vars > 0 && (!ok || n != "1") {
				t.Fatalf("variable x = %#v, want json.Number 1", req.Variables["x"])
			}
		})
	}
}

func TestFromPayload(t *testing.T) {
	t.Parallel()
	header := http.Header{"Authorization": {"Bearer t"}}
	tests := []struct {
		name    string
		payload string
		wantErr string
		query   string
		vars    int
	}{
		{"full", `{"query":"subscription { a }","operationName":"A","variables":{"x":1},"extensions":{"e":1}}`, "", "subscription { a }", 1},
		{"null variables", `{"query":"{ a }","variables":null}`, "", "{ a }", 0},
		{"no query", `{}`, "subscribe payload must hold a query", "", 0},
		{"persisted query", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}`, "", "", 0},
		{"persisted query version 0", `{"extensions":{"persistedQuery":{"version":0,"sha256Hash":"abc"}}}`, "extensions.persistedQuery.version must be 1", "", 0},
		{"not an object", `"{ a }"`, "subscribe payload must be a JSON object", "", 0},
		{"variables a string", `{"query":"{ a }","variables":"x"}`, "variables must be a JSON object", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := request.FromPayload(json.RawMessage(tc.payload), header)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if req.Query != tc.query || len(req.Variables) != tc.vars || req.Transport != request.WebSocket || req.ReadOnly() || req.Header.Get("Authorization") != "Bearer t" {
				t.Fatalf("got %+v", req)
			}
		})
	}
}

func persistedHash(req *request.Request) string {
	if req.Persisted == nil {
		return ""
	}
	return req.Persisted.Hash
}

func TestCanSubscribe(t *testing.T) {
	t.Parallel()
	for tr, want := range map[request.Transport]bool{request.HTTP: false, request.SSE: true, request.Multipart: true, request.WebSocket: true, request.InProcess: true} {
		t.Run(tr.String(), func(t *testing.T) {
			t.Parallel()
			if got := tr.CanSubscribe(); got != want {
				t.Fatalf("CanSubscribe = %v, want %v", got, want)
			}
		})
	}
}

// Compressed bodies are read decoded, and held to the limit once decoded
// as well as sent: a zip bomb is refused like any body too large.
func TestReadHTTPCompressed(t *testing.T) {
	t.Parallel()
	small := []byte(`{"query":"{ a }"}`)
	var zbuf bytes.Buffer
	zw, _ := zstd.NewWriter(&zbuf)
	_, _ = zw.Write(small)
	_ = zw.Close()
	bomb := compression.AppendGzip(nil, []byte(`{"query":"{ a `+strings.Repeat(" ", 10<<20)+`}"}`))
	tests := []struct {
		name     string
		encoding string
		body     []byte
		status   int
		wantErr  string
	}{
		{"gzip", "gzip", compression.AppendGzip(nil, small), 0, ""},
		{"zstd", "zstd", zbuf.Bytes(), 0, ""},
		{"identity", "identity", small, 0, ""},
		{"zip bomb", "gzip", bomb, 413, "request body is larger than 128 bytes once decompressed"},
		{"unsupported coding", "br", small, 415, `Content-Encoding "br" is not supported`},
		{"not gzip", "gzip", small, 400, "read request body: gzip"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(tc.body))
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Content-Encoding", tc.encoding)
			req, bad := request.ReadHTTP(httptest.NewRecorder(), r, request.HTTP, 128)
			if tc.wantErr != "" {
				if bad == nil || bad.Status != tc.status || !strings.Contains(bad.Message, tc.wantErr) {
					t.Fatalf("got %v, want %d %q", bad, tc.status, tc.wantErr)
				}
				return
			}
			if bad != nil {
				t.Fatal(bad)
			}
			if req.Query != "{ a }" {
				t.Fatalf("query %q", req.Query)
			}
		})
	}
}
