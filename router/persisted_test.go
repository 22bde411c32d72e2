package router

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/persisted"
	"github.com/gorilla/websocket"
)

// via sends one GraphQL request body (query, extensions ...) over a
// transport and returns what the client saw: the HTTP status, or 0 and the
// payloads of a websocket operation.
type via func(t *testing.T, endpoint string, body map[string]any) answer

func viaPOST(t *testing.T, endpoint string, body map[string]any) answer {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	return doHTTP(t, req)
}

// viaGET sends the body as query parameters, extensions as URL-encoded
// JSON, as Apollo Client does for hashed queries so CDNs can cache them.
func viaGET(t *testing.T, endpoint string, body map[string]any) answer {
	q := url.Values{}
	for k, v := range body {
		if s, ok := v.(string); ok {
			q.Set(k, s)
			continue
		}
		raw, _ := json.Marshal(v)
		q.Set(k, string(raw))
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, endpoint+"?"+q.Encode(), nil)
	return doHTTP(t, req)
}

func viaSSE(t *testing.T, endpoint string, body map[string]any) answer {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	return doHTTP(t, req)
}

func viaMultipart(t *testing.T, endpoint string, body map[string]any) answer {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, endpoint, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", `multipart/mixed;subscriptionSpec="1.0"`)
	return doHTTP(t, req)
}

func doHTTP(t *testing.T, req *http.Request) answer {
	t.Helper()
	for k, v := range preflighted {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, allow: resp.Header.Get("Allow"), body: string(b)}
}

// viaWS runs the body as one graphql-transport-ws operation.
func viaWS(t *testing.T, endpoint string, body map[string]any) answer {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	c, resp, err := d.DialContext(t.Context(), "ws"+strings.TrimPrefix(endpoint, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := c.WriteJSON(map[string]any{"type": "connection_init"}); err != nil {
		t.Fatal(err)
	}
	var ack struct{ Type string }
	if err := c.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("got %v %v, want connection_ack", ack, err)
	}
	if err := c.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": body}); err != nil {
		t.Fatal(err)
	}
	var a answer
	var types []string
	for {
		var m struct {
			Type    string
			Payload json.RawMessage
		}
		if err := c.ReadJSON(&m); err != nil {
			t.Fatalf("read: %v", err)
		}
		types = append(types, m.Type)
		a.body += string(m.Payload)
		if m.Type == "complete" || m.Type == "error" {
			break
		}
	}
	a.types = strings.Join(types, ",")
	return a
}

// pq is a request body naming its document by hash, with the document when
// query is not empty.
func pq(query, hash string) map[string]any {
	body := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}}
	if query != "" {
		body["query"] = query
	}
	return body
}

// TestAutomaticPersistedQueries walks the APQ protocol on every transport:
// a hash the router has not seen is PERSISTED_QUERY_NOT_FOUND, the client
// then sends document and hash, which registers it, and the hash alone
// works from then on; a hash that is not the document's is refused.
func TestAutomaticPersistedQueries(t *testing.T) {
	t.Parallel()
	const (
		query = "{ count }"
		other = "query Other { count }"
	)
	transports := []struct {
		name string
		send via
	}{
		{"post", viaPOST},
		{"get", viaGET},
		{"sse", viaSSE},
		{"multipart", viaMultipart},
		{"websocket", viaWS},
	}
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			docs, err := persisted.New(persisted.Config{APQ: persisted.NewMemory(0, time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			_, endpoint := tallyRouter(t, func(c *Config) { c.Persisted = docs })
			steps := []struct {
				name string
				body map[string]any
				want []string
			}{
				{"miss", pq("", persisted.Hash(query)), []string{`"PersistedQueryNotFound"`, `"code":"PERSISTED_QUERY_NOT_FOUND"`}},
				{"register", pq(query, persisted.Hash(query)), []string{`"count":0`}},
				{"hit", pq("", persisted.Hash(query)), []string{`"count":0`}},
				{"hash in upper case", pq("", strings.ToUpper(persisted.Hash(query))), []string{`"count":0`}},
				{"mismatch", pq(other, persisted.Hash(query)), []string{"provided sha does not match query", `"code":"BAD_USER_INPUT"`}},
				{"mismatch registers nothing", pq("", persisted.Hash(other)), []string{`"code":"PERSISTED_QUERY_NOT_FOUND"`}},
				{"plain query still runs", map[string]any{"query": other}, []string{`"count":0`}},
			}
			for _, st := range steps {
				a := tr.send(t, endpoint, st.body)
				for _, w := range st.want {
					if !strings.Contains(a.body, w) {
						t.Fatalf("%s: got %d %q, want %s", st.name, a.status, a.body, w)
					}
				}
			}
		})
	}
}

// TestPersistedQueryRules: a persisted mutation is still no GET's to run,
// a malformed extension is the client's error, and a router without
// persisted queries says so in the protocol's words.
func TestPersistedQueryRules(t *testing.T) {
	t.Parallel()
	const mutation = "mutation { bump }"
	manifest, err := persisted.NewManifest([]persisted.Operation{{ID: "bump", Name: "Bump", Type: "mutation", Body: mutation}})
	if err != nil {
		t.Fatal(err)
	}
	docs, err := persisted.New(persisted.Config{APQ: persisted.NewMemory(0, 0), Manifest: manifest})
	if err != nil {
		t.Fatal(err)
	}
	_, withAPQ := tallyRouter(t, func(c *Config) { c.Persisted = docs })
	_, without := tallyRouter(t, nil)
	cases := []struct {
		name     string
		endpoint string
		send     via
		body     map[string]any
		status   int
		want     string
	}{
		{"manifest id over POST", withAPQ, viaPOST, pq("", "bump"), http.StatusOK, `"bump":1`},
		{"persisted mutation over GET", withAPQ, viaGET, pq("", "bump"), http.StatusMethodNotAllowed, "Mutations cannot be sent with GET"},
		{"version 2", withAPQ, viaPOST, map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 2, "sha256Hash": "x"}}}, http.StatusBadRequest, "version must be 1"},
		{"no hash", withAPQ, viaPOST, map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1}}}, http.StatusBadRequest, "sha256Hash"},
		{"not supported", without, viaPOST, pq("", persisted.Hash("{ count }")), http.StatusOK, `"code":"PERSISTED_QUERY_NOT_SUPPORTED"`},
		{"not supported with the document runs it", without, viaPOST, pq("{ count }", persisted.Hash("{ count }")), http.StatusOK, `"count":`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.send(t, tc.endpoint, tc.body)
			if a.status != tc.status || !strings.Contains(a.body, tc.want) {
				t.Fatalf("got %d %q, want %d with %s", a.status, a.body, tc.status, tc.want)
			}
		})
	}
}

// TestSafelist: with the safelist on, only the manifest's documents run,
// sent whole or by id, on every transport; off, the manifest only saves
// clients sending bodies.
func TestSafelist(t *testing.T) {
	t.Parallel()
	const (
		trusted   = "query Count { count }"
		untrusted = "{ count }"
	)
	id := persisted.Hash(trusted)
	manifest, err := persisted.NewManifest([]persisted.Operation{{ID: id, Name: "Count", Type: "query", Body: trusted}})
	if err != nil {
		t.Fatal(err)
	}
	const refused = "not in the persisted query manifest"
	cases := []struct {
		name     string
		safelist bool
		send     via
		body     map[string]any
		want     string
	}{
		{"on: trusted body", true, viaPOST, map[string]any{"query": trusted}, `"count":0`},
		{"on: trusted id", true, viaGET, pq("", id), `"count":0`},
		{"on: trusted id over websocket", true, viaWS, pq("", id), `"count":0`},
		{"on: trusted body and id", true, viaPOST, pq(trusted, id), `"count":0`},
		{"on: untrusted body", true, viaPOST, map[string]any{"query": untrusted}, refused},
		{"on: untrusted body over websocket", true, viaWS, map[string]any{"query": untrusted}, refused},
		{"on: untrusted registration", true, viaPOST, pq(untrusted, persisted.Hash(untrusted)), refused},
		{"on: unknown hash", true, viaPOST, pq("", persisted.Hash(untrusted)), refused},
		{"off: untrusted body", false, viaPOST, map[string]any{"query": untrusted}, `"count":0`},
		{"off: trusted id", false, viaPOST, pq("", id), `"count":0`},
		{"off: unknown hash", false, viaPOST, pq("", persisted.Hash(untrusted)), "PERSISTED_QUERY_NOT_FOUND"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			docs, err := persisted.New(persisted.Config{APQ: persisted.NewMemory(0, 0), Manifest: manifest, Safelist: tc.safelist})
			if err != nil {
				t.Fatal(err)
			}
			_, endpoint := tallyRouter(t, func(c *Config) { c.Persisted = docs })
			a := tc.send(t, endpoint, tc.body)
			if !strings.Contains(a.body, tc.want) {
				t.Fatalf("got %d %q, want %s", a.status, a.body, tc.want)
			}
			if tc.want == refused && !strings.Contains(a.body, `"code":"BAD_USER_INPUT"`) {
				t.Fatalf("refusal %q lacks BAD_USER_INPUT", a.body)
			}
		})
	}
}

// TestSafelistSparesPlanning: `cinegraph router plan` is no client's
// request, so the safelist does not hold it.
func TestSafelistSparesPlanning(t *testing.T) {
	t.Parallel()
	manifest, err := persisted.NewManifest([]persisted.Operation{{ID: "count", Body: "query Count { count }"}})
	if err != nil {
		t.Fatal(err)
	}
	docs, err := persisted.New(persisted.Config{Manifest: manifest, Safelist: true})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{SupergraphSDL: composeTally(t), Persisted: docs})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Plan(t.Context(), "{ count }", "", nil); err != nil {
		t.Fatalf("plan under the safelist: %v", err)
	}
}
