package app

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/health"
	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/subscription"
	"github.com/cinegraph/cinegraph/router/transport/ws"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/gorilla/websocket"
)

// pollUntil checks cond every 10 ms until it holds, failing the test
// after 5 s.
func pollUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// oneShot sends one request on a connection of its own.
func oneShot(url string) (*http.Response, string, error) {
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(url)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, string(body), err
}

// foreverSubscriber gives every operation a stream that never ends.
type foreverSubscriber struct{}

func (foreverSubscriber) Subscribe(context.Context, *request.Request) (*subscription.Stream, *subscription.Refusal) {
	m := subscription.NewManager(blockingUpstream{}, 4, nil)
	return m.Subscribe(subscription.Source{Key: "forever", Request: nil}), nil
}

type blockingUpstream struct{}

func (blockingUpstream) Open(ctx context.Context, _ string, _ *wire.SubgraphRequest, _ http.Header, _ func(*wire.SubgraphResponse)) error {
	<-ctx.Done()
	return ctx.Err()
}

// TestServeDrainsInOrder walks a rolling deploy's stop: readiness turns to
// draining while new connections are still served, then the listener
// closes, a websocket gets 1012, a slow request in flight finishes, and
// Serve returns nil.
func TestServeDrainsInOrder(t *testing.T) {
	t.Parallel()
	checker := health.New()
	sockets := &ws.Server{Subscriber: foreverSubscriber{}, KeepAlive: -1}
	var hook sync.Once
	slowStarted, release := make(chan struct{}), make(chan struct{})
	mux := http.NewServeMux()
	checker.Register(mux)
	mux.HandleFunc("/fast", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "fast") })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		close(slowStarted)
		<-release
		_, _ = io.WriteString(w, "slow")
	})
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		// As the router does: the server's shutdown closes the sockets.
		hook.Do(func() { r.Context().Value(http.ServerContextKey).(*http.Server).RegisterOnShutdown(sockets.Shutdown) })
		sockets.ServeHTTP(w, r)
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	drainEnds := make(chan time.Time)
	served := make(chan error, 1)
	sc := config.Default().Server
	sc.DrainDelay = time.Hour // ended by drainEnds
	go func() {
		served <- serve(ctx, ln, mux, checker, sc, 10*time.Second, slog.New(slog.DiscardHandler), func() <-chan time.Time { return drainEnds })
	}()

	pollUntil(t, "ready", func() bool {
		resp, _, err := oneShot(base + "/health/ready")
		return err == nil && resp.StatusCode == http.StatusOK
	})
	d := websocket.Dialer{Subprotocols: []string{ws.ProtocolTransportWS}, HandshakeTimeout: 5 * time.Second}
	sock, _, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	_ = sock.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := sock.WriteJSON(map[string]any{"type": "connection_init"}); err != nil {
		t.Fatal(err)
	}
	var ack struct{ Type string }
	if err := sock.ReadJSON(&ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("connection_ack: %v %q", err, ack.Type)
	}
	if err := sock.WriteJSON(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": "subscription { x }"}}); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		body string
		err  error
	}
	slow := make(chan answer, 1)
	go func() {
		resp, body, err := oneShot(base + "/slow")
		if err == nil && resp.StatusCode != http.StatusOK {
			err = errors.New(resp.Status)
		}
		slow <- answer{body, err}
	}()
	<-slowStarted

	stop() // SIGTERM

	t.Run("unready at once, still serving", func(t *testing.T) {
		pollUntil(t, "readiness to turn to draining", func() bool {
			resp, body, err := oneShot(base + "/health/ready")
			if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
				return false
			}
			var report health.Report
			return json.Unmarshal([]byte(body), &report) == nil && report.Status == "draining"
		})
		resp, body, err := oneShot(base + "/fast")
		if err != nil || resp.StatusCode != http.StatusOK || body != "fast" {
			t.Fatalf("a new request while draining: %v %v %q, want it served", resp, err, body)
		}
		if !resp.Close {
			t.Error("a response while draining did not ask the client to close its connection")
		}
		if n := sockets.Connections(); n != 1 {
			t.Errorf("%d websockets open while draining, want the one", n)
		}
	})

	close(drainEnds)

	t.Run("listener closed, websocket closed with 1012", func(t *testing.T) {
		pollUntil(t, "the listener to close", func() bool {
			conn, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
			if err == nil {
				conn.Close()
			}
			return err != nil
		})
		for {
			_, _, err := sock.ReadMessage()
			if err == nil {
				continue
			}
			var ce *websocket.CloseError
			if !errors.As(err, &ce) || ce.Code != websocket.CloseServiceRestart || ce.Text == "" {
				t.Fatalf("websocket ended with %v, want close 1012 with a reason", err)
			}
			break
		}
	})

	t.Run("in-flight request finishes, then Serve returns nil", func(t *testing.T) {
		select {
		case err := <-served:
			t.Fatalf("Serve returned (%v) with a request in flight", err)
		default:
		}
		close(release)
		if a := <-slow; a.err != nil || a.body != "slow" {
			t.Fatalf("the request in flight: %q %v, want it answered", a.body, a.err)
		}
		if err := <-served; err != nil {
			t.Fatalf("Serve: %v", err)
		}
	})
}

// TestServeDrainDelay stops with the configured delay: nothing when it is
// zero, at least the delay otherwise.
func TestServeDrainDelay(t *testing.T) {
	t.Parallel()
	for _, delay := range []time.Duration{0, 300 * time.Millisecond} {
		t.Run(delay.String(), func(t *testing.T) {
			t.Parallel()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			sc := config.Default().Server
			sc.DrainDelay = delay
			ctx, stop := context.WithCancel(context.Background())
			served := make(chan error, 1)
			go func() {
				served <- Serve(ctx, ln, http.NotFoundHandler(), health.New(), sc, 5*time.Second, slog.New(slog.DiscardHandler))
			}()
			stopped := time.Now()
			stop()
			if err := <-served; err != nil {
				t.Fatal(err)
			}
			if took := time.Since(stopped); took < delay {
				t.Errorf("stopped after %s, before the drain delay %s", took, delay)
			}
		})
	}
}
