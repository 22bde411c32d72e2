package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/enginetest"
)

// TestCrossSiteAttacksInChromium serves a hostile page on another loopback
// origin and opens it in headless Chromium while `cinegraph serve` runs:
// the page tries to post a chat message and change My List as the visitor
// with every request a browser sends without asking the server first (an
// EventSource, a no-cors text/plain POST asking for an event stream, a
// no-cors multipart GET, a websocket, a form). The router must refuse each,
// and the API must show nothing changed. The page even holds the visitor's
// token, which its websocket sends in connection_init the way the web app
// does (the browser attaches no credential of its own: tokens travel in
// headers, not cookies). With the page's origin allowed
// (router.cors.allowed_origins) its websocket gets through, which shows the
// page's attacks are real, while the CSRF rule still refuses the rest.
func TestCrossSiteAttacksInChromium(t *testing.T) {
	bin := prepare(t)
	chromium := findChromium(t)
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	hostile := serveHostilePage(t)
	dir := t.TempDir()

	// Protected by default.
	serve := start(ctx, t, bin, servingAt, nil, "serve", "--listen", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "default"))
	room, title, before := victim(ctx, t, serve.url)
	mark := fmt.Sprintf("cross-site %d", time.Now().UnixNano())
	report := browse(ctx, t, chromium, serve.url, hostile, room, title, mark)
	report.expectRefused(t, "websocket-postMessage", "websocket-addToMyList")
	for _, name := range []string{"websocket-postMessage", "websocket-addToMyList"} {
		if r := report.Results[name]; slices.Contains(r.Events, "open") || r.TimedOut {
			t.Errorf("%s: the websocket opened: %+v", name, r)
		}
		// The protocol does not report a refused handshake's status; the
		// console does.
		if !slices.ContainsFunc(report.Console, func(l string) bool { return strings.Contains(l, "attack="+name) && strings.Contains(l, "403") }) {
			t.Errorf("%s: no 403 for the handshake in the console", name)
		}
	}
	after := snapshot(ctx, t, serve.url, room)
	if after.messages != before.messages || after.count != before.count {
		t.Errorf("chat room %s changed: %d messages %v, then %d %v", room, before.count, before.messages, after.count, after.messages)
	}
	for _, body := range after.bodies {
		if strings.Contains(body, mark) {
			t.Errorf("a message from the hostile page was stored: %q", body)
		}
	}
	if after.myList != before.myList {
		t.Errorf("My List changed from %v to %v", before.myList, after.myList)
	}
	if t.Failed() {
		t.Logf("browser report: %s", report.raw)
		return
	}

	// The page's origin trusted: websockets carry its attacks through,
	// simple HTTP requests are still refused.
	trusting := start(ctx, t, bin, servingAt, []string{"CINEGRAPH_ROUTER_CORS_ALLOWED_ORIGINS=" + hostile},
		"serve", "--listen", "127.0.0.1:0", "--data-dir", filepath.Join(dir, "trusting"))
	room, title, before = victim(ctx, t, trusting.url)
	report = browse(ctx, t, chromium, trusting.url, hostile, room, title, mark)
	report.expectRefused(t)
	after = snapshot(ctx, t, trusting.url, room)
	if !slices.Contains(after.bodies, mark+" websocket-postMessage") || after.count != before.count+1 {
		t.Errorf("want the websocket's message alone stored: %d messages, then %d %q", before.count, after.count, after.bodies)
	}
	if !strings.Contains(after.myList, title) {
		t.Errorf("want %s added to My List by the websocket, have %v", title, after.myList)
	}
	if t.Failed() {
		t.Logf("browser report: %s", report.raw)
	}
}

// findChromium returns the browser to drive: $CINEGRAPH_CHROMIUM, or the
// Debian chromium package deploy/local/chromium.sh installs. Without one
// the test is skipped, except in CI, which installs it first.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CINEGRAPH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium (deploy/local/chromium.sh installs Debian's chromium; or set CINEGRAPH_CHROMIUM)"
	if enginetest.Required() {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// serveHostilePage serves testdata/hostile.html on another loopback
// address, which is another site to the browser, or on another port where
// that address is not configured (another origin, the same site). It
// returns the page's origin.
func serveHostilePage(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Logf("127.0.0.2 unavailable (%v): the page gets another port of 127.0.0.1", err)
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.ServeFile(w, r, filepath.Join("testdata", "hostile.html"))
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// attackReport is what browse.mjs prints.
type attackReport struct {
	Results map[string]struct {
		Events   []string `json:"events"`
		Code     int      `json:"code"`
		TimedOut bool     `json:"timedOut"`
	} `json:"results"`
	Responses []struct {
		URL    string `json:"url"`
		Method string `json:"method"`
		Type   string `json:"type"`
		Status int    `json:"status"`
	} `json:"responses"`
	Console []string `json:"console"`
	raw     []byte
}

// refusedWith is the router's answer to each simple HTTP attack: 400 from
// the CSRF rule, 415 for a body that is not application/json.
var refusedWith = map[string]int{
	"eventsource-postMessage":    http.StatusBadRequest,
	"eventsource-addToMyList":    http.StatusBadRequest,
	"eventsource-myList":         http.StatusBadRequest,
	"textplain-post-postMessage": http.StatusUnsupportedMediaType,
	"textplain-post-addToMyList": http.StatusUnsupportedMediaType,
	"multipart-get-postMessage":  http.StatusBadRequest,
	"multipart-get-addToMyList":  http.StatusBadRequest,
	"multipart-get-myList":       http.StatusBadRequest,
	"form-postMessage":           http.StatusUnsupportedMediaType,
}

// expectRefused checks that every HTTP attack, and the named others, ran
// in the page and that each HTTP attack reached the router and was
// refused.
func (r *attackReport) expectRefused(t *testing.T, others ...string) {
	t.Helper()
	for name, want := range refusedWith {
		if _, ok := r.Results[name]; !ok {
			t.Errorf("%s did not run in the page", name)
		}
		var got []int
		for _, resp := range r.Responses {
			if u, err := url.Parse(resp.URL); err == nil && u.Query().Get("attack") == name {
				got = append(got, resp.Status)
			}
		}
		if len(got) == 0 || slices.ContainsFunc(got, func(s int) bool { return s != want }) {
			t.Errorf("%s: the router answered %v, want %d", name, got, want)
		}
	}
	for _, name := range others {
		if _, ok := r.Results[name]; !ok {
			t.Errorf("%s did not run in the page", name)
		}
	}
}

// browse opens the hostile page against base in Chromium.
func browse(ctx context.Context, t *testing.T, chromium, base, hostile, room, title, mark string) *attackReport {
	t.Helper()
	q := url.Values{"target": {base}, "room": {room}, "title": {title}, "token": {demoToken(ctx, t, base)}, "mark": {mark}}
	cmd := exec.CommandContext(ctx, "node", "browse.mjs", hostile+"/?"+q.Encode())
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium, "CINEGRAPH_URL="+base)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("browse.mjs: %v\n%s", err, stderr.String())
	}
	r := &attackReport{raw: out}
	if err := json.Unmarshal(out, r); err != nil {
		t.Fatalf("browse.mjs printed %q: %v", out, err)
	}
	return r
}

// state is what the attacks try to change: a room's messages and
// profile-1's My List.
type state struct {
	count    int
	messages string // newest message ids
	bodies   []string
	myList   string // title ids
}

// victim picks a room and a title not on profile-1's My List, and reads
// their state.
func victim(ctx context.Context, t *testing.T, base string) (room, title string, s state) {
	t.Helper()
	var rooms struct {
		ActiveRooms []struct{ ID string } `json:"activeRooms"`
	}
	api(ctx, t, base, `{ activeRooms(first: 1) { id } }`, nil, &rooms)
	if len(rooms.ActiveRooms) == 0 {
		t.Fatal("the seeded data has no chat room")
	}
	room = rooms.ActiveRooms[0].ID
	s = snapshot(ctx, t, base, room)
	var titles struct {
		Titles struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	api(ctx, t, base, `{ titles(first: 50) { edges { node { id } } } }`, nil, &titles)
	for _, e := range titles.Titles.Edges {
		if !strings.Contains(s.myList, " "+e.Node.ID+" ") {
			return room, e.Node.ID, s
		}
	}
	t.Fatal("every title is on My List already")
	return
}

func snapshot(ctx context.Context, t *testing.T, base, room string) state {
	t.Helper()
	var data struct {
		ChatRoom struct {
			MessageCount int
			Messages     struct {
				Edges []struct{ Node struct{ ID, Body string } }
			}
		} `json:"chatRoom"`
		Viewer struct {
			MyList []struct{ ID string } `json:"myList"`
		}
	}
	api(ctx, t, base, `query($room: ID!) { chatRoom(id: $room) { messageCount messages(first: 50) { edges { node { id body } } } } viewer { myList { id } } }`,
		map[string]any{"room": room}, &data)
	s := state{count: data.ChatRoom.MessageCount, myList: " "}
	for _, e := range data.ChatRoom.Messages.Edges {
		s.messages += e.Node.ID + " "
		s.bodies = append(s.bodies, e.Node.Body)
	}
	for _, m := range data.Viewer.MyList {
		s.myList += m.ID + " "
	}
	return s
}

// demoToken signs in as profile-1 on the router at base, the way the web
// app's sign-in menu does.
func demoToken(ctx context.Context, t *testing.T, base string) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/auth/demo-token", strings.NewReader(`{"profile":"profile-1"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK || out.Token == "" {
		t.Fatalf("demo token: %d %v", resp.StatusCode, err)
	}
	return out.Token
}

// api runs a query as profile-1, the way the web app does.
func api(ctx context.Context, t *testing.T, base, query string, vars map[string]any, into any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+demoToken(ctx, t, base))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("%s: %v %+v", query, err, out.Errors)
	}
	if err := json.Unmarshal(out.Data, into); err != nil {
		t.Fatal(err)
	}
}
