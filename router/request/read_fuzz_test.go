package request_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/request"
)

// fuzzMaxBytes is the body limit FuzzReadHTTP reads under: small, so that
// the fuzzer reaches it and its inputs stay quick to mutate and minimize.
// Nesting past the JSON reader's depth limit takes more bytes than that:
// TestReadHTTPNesting reads it.
const fuzzMaxBytes = 4 << 10

// fuzzMethods are the methods FuzzReadHTTP picks from; PUT stands for every
// method ReadHTTP refuses.
var fuzzMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut}

// fuzzTransports are the HTTP transports that read requests with ReadHTTP.
var fuzzTransports = []request.Transport{request.HTTP, request.SSE, request.Multipart}

// fuzzContentLength is the Content-Length FuzzReadHTTP claims for a body of
// n bytes: the true one, unknown (chunked), one that understates the body
// and one far over the limit.
func fuzzContentLength(mode byte, n int) int64 {
	switch mode % 4 {
	case 0:
		return int64(n)
	case 1:
		return -1
	case 2:
		return 1
	}
	return 1 << 40
}

// countingReader counts the bytes read through it, to hold ReadHTTP to its
// limit whatever the Content-Length says.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) Close() error { return nil }

// clientErrors are the statuses ReadHTTP may refuse a request with: all of
// them the client's fault, none a 5xx.
var clientErrors = map[int]bool{
	http.StatusBadRequest:            true,
	http.StatusMethodNotAllowed:      true,
	http.StatusRequestEntityTooLarge: true,
	http.StatusUnsupportedMediaType:  true,
}

// FuzzReadHTTP reads arbitrary requests: sel picks the method, the
// Content-Length claimed and the transport; body is the POST body, and for
// a GET also the raw query string. ReadHTTP must never panic, never read
// more of the body than the limit (plus the one byte that tells a body of
// exactly the limit from a longer one), refuse only with a client error
// and accept only requests that carry a document or a persisted-query hash.
func FuzzReadHTTP(f *testing.F) {
	// sel: method in sel%3, Content-Length mode in sel/3%4, transport in
	// sel/12%3.
	const get, post, put, chunked, lyingLength, hugeLength, overSSE = 0, 1, 2, 1 * 3, 2 * 3, 3 * 3, 1 * 12
	deep := strings.Repeat("[", 1_000) + strings.Repeat("]", 1_000)
	huge := strings.Repeat("x", fuzzMaxBytes)
	seeds := []struct {
		name  string
		sel   byte
		ctype string
		body  string
	}{
		{"post", post, "application/json", `{"query":"{ a }","operationName":null,"variables":{"x":1},"extensions":{}}`},
		{"post with charset", post, "application/json; charset=utf-8", `{"query":"query Q($x: Int) { a(x: $x) }","operationName":"Q","variables":{"x":1}}`},
		{"post graphql-response+json over sse", post + overSSE, "application/graphql-response+json", `{"query":"subscription { a }"}`},
		{"post persisted query", post, "application/json", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}`},
		{"get", get, "", `query=%7B+a+%7D&variables=%7B%22x%22%3A1%7D&extensions=%7B%7D`},
		{"get persisted query", get, "", `extensions=%7B%22persistedQuery%22%3A%7B%22version%22%3A1%2C%22sha256Hash%22%3A%22abc%22%7D%7D`},
		{"get bad escapes", get, "", `query=%zz&variables=%7B;query={a}`},
		{"get deep variables", get, "", "query=%7Ba%7D&variables=" + url.QueryEscape(`{"x":`+deep+`}`)},
		{"put", put, "application/json", `{"query":"{ a }"}`},
		{"huge variables", post, "application/json", `{"query":"{ a }","variables":{"x":"` + huge + `"}}`},
		{"huge variables, understated length", post + lyingLength, "application/json", `{"query":"{ a }","variables":{"x":"` + huge + `"}}`},
		{"huge length claimed", post + hugeLength, "application/json", `{"query":"{ a }"}`},
		{"chunked", post + chunked, "application/json", `{"query":"{ a }"}`},
		{"deeply nested variables", post, "application/json", `{"query":"{ a }","variables":{"x":` + deep + `}}`},
		{"deeply nested body", post, "application/json", deep},
		{"deeply nested, unclosed", post, "application/json", `{"query":"{ a }","variables":{"x":` + strings.Repeat(`{"a":[`, 600) + `}}`},
		{"invalid utf-8 in query", post, "application/json", "{\"query\":\"{ a(x: \\\"\xff\xfe\\\") }\"}"},
		{"invalid utf-8 key", post, "application/json", "{\"query\":\"{ a }\",\"\xff\":1}"},
		{"invalid utf-8 escape", post, "application/json", `{"query":"{ a }","variables":{"x":"\ud800"}}`},
		{"duplicate query, number last", post, "application/json", `{"query":"{ a }","query":5}`},
		{"duplicate query, string last", post, "application/json", `{"query":5,"query":"{ a }"}`},
		{"query a number", post, "application/json", `{"query":5}`},
		{"query an object", post, "application/json", `{"query":{"a":1}}`},
		{"operationName a list", post, "application/json", `{"query":"{ a }","operationName":["A"]}`},
		{"variables a string", post, "application/json", `{"query":"{ a }","variables":"{\"x\":1}"}`},
		{"variables a list", post, "application/json", `{"query":"{ a }","variables":[1]}`},
		{"extensions a number", post, "application/json", `{"query":"{ a }","extensions":1}`},
		{"persisted query a string", post, "application/json", `{"extensions":{"persistedQuery":"abc"}}`},
		{"persisted query version 1.0", post, "application/json", `{"extensions":{"persistedQuery":{"version":1.0,"sha256Hash":"abc"}}}`},
		{"persisted query empty hash", post, "application/json", `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":""}}}`},
		{"blank query", post, "application/json", `{"query":" \t\n"}`},
		{"batched", post, "application/json", `[{"query":"{ a }"},{"query":"{ b }"}]`},
		{"null", post, "application/json", `null`},
		{"empty body", post, "application/json", ``},
		{"trailing data", post, "application/json", `{"query":"{ a }"} {}`},
		{"text/plain", post, "text/plain", `{"query":"{ a }"}`},
		{"form", post, "application/x-www-form-urlencoded", `query=%7B+a+%7D`},
		{"broken media type", post, "application/json; charset", `{"query":"{ a }"}`},
		{"no content type", post, "", `{"query":"{ a }"}`},
	}
	for _, s := range seeds {
		f.Add(s.sel, s.ctype, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, sel byte, ctype string, body []byte) {
		method := fuzzMethods[int(sel)%len(fuzzMethods)]
		transport := fuzzTransports[int(sel/12)%len(fuzzTransports)]
		cr := &countingReader{r: strings.NewReader(string(body))}
		r := &http.Request{
			Method:        method,
			URL:           &url.URL{Path: "/graphql", RawQuery: string(body)},
			Header:        http.Header{},
			Body:          cr,
			ContentLength: fuzzContentLength(sel/3, len(body)),
		}
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
		w := httptest.NewRecorder()
		req, bad := request.ReadHTTP(w, r, transport, fuzzMaxBytes)

		if cr.n > fuzzMaxBytes+1 {
			t.Fatalf("read %d body bytes, limit %d", cr.n, fuzzMaxBytes)
		}
		if method != http.MethodPost && cr.n != 0 {
			t.Fatalf("a %s read %d body bytes", method, cr.n)
		}
		if (req == nil) == (bad == nil) {
			t.Fatalf("request %+v and error %v", req, bad)
		}
		if bad != nil {
			if !clientErrors[bad.Status] || bad.Message == "" {
				t.Fatalf("refused with %d %q, want a client error with a message", bad.Status, bad.Message)
			}
			if allow := w.Header().Get("Allow"); (bad.Status == http.StatusMethodNotAllowed) != (allow != "") {
				t.Fatalf("status %d with Allow %q", bad.Status, allow)
			}
			return
		}
		if strings.TrimSpace(req.Query) == "" && (req.Persisted == nil || req.Persisted.Hash == "") {
			t.Fatalf("accepted a request with neither a document nor a persisted-query hash: %+v", req)
		}
		if req.Method != method || req.Transport != transport {
			t.Fatalf("method %q transport %s, want %q %s", req.Method, req.Transport, method, transport)
		}
		if method == http.MethodPost && (len(body) > fuzzMaxBytes || !json.Valid(body)) {
			t.Fatalf("accepted a POST body of %d bytes that is over the limit or not JSON: %q", len(body), body)
		}
	})
}

// TestReadHTTPNesting reads JSON nested past the reader's depth limit, a
// request too large for FuzzReadHTTP's seeds: over GET, which has no body
// limit, and over POST under a limit that lets it through.
func TestReadHTTPNesting(t *testing.T) {
	t.Parallel()
	deep := `{"x":` + strings.Repeat("[", 10_001) + strings.Repeat("]", 10_001) + `}`
	tests := []struct {
		name    string
		request func() *http.Request
		wantErr string
	}{
		{"get", func() *http.Request {
			return httptest.NewRequest(http.MethodGet, "/graphql?"+url.Values{"query": {"{ a }"}, "variables": {deep}}.Encode(), nil)
		}, "variables must be a JSON object"},
		{"post", func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ a }","variables":`+deep+`}`))
			r.Header.Set("Content-Type", "application/json")
			return r
		}, "request body is not a GraphQL JSON request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, bad := request.ReadHTTP(httptest.NewRecorder(), tc.request(), request.HTTP, 1<<20)
			if bad == nil || bad.Status != http.StatusBadRequest || !strings.Contains(bad.Message, tc.wantErr) {
				t.Fatalf("got %v, want 400 %q", bad, tc.wantErr)
			}
		})
	}
}
