package fetch

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/wire"
)

func TestConnPoolFetch(t *testing.T) {
	t.Parallel()
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.Header.Get("X-Mode") {
		case "chunked":
			// Bigger than net/http's buffer, so it goes out chunked.
			w.Write([]byte(`{"data":{"s":"` + strings.Repeat("x", 10000) + `"}}`))
		case "close":
			w.Header().Set("Connection", "close")
			w.Write([]byte(`{"data":{"closed":true}}`))
		case "slow":
			time.Sleep(time.Second)
		case "status":
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte("bad gateway"))
		default:
			w.Write([]byte(`{"data":{"echo":` + strings.TrimSuffix(strings.TrimPrefix(string(body), `{"query":`), "}") + `,"auth":"` + r.Header.Get("Authorization") + `"}}`))
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	f := NewHTTP("a", srv.URL+"/graphql", HTTPOptions{Conns: NewConnPool(), Timeout: 5 * time.Second})
	t.Cleanup(f.Conns.Close)

	fetch := func(ctx context.Context, mode string) (*wire.SubgraphResponse, error) {
		h := http.Header{"Authorization": {"Bearer t"}, "X-Mode": {mode}}
		return f.Fetch(ctx, &wire.SubgraphRequest{Query: "{ q }"}, h)
	}
	cases := []struct {
		name, mode string
		check      func(*wire.SubgraphResponse, error) error
	}{
		{"echo with headers", "", func(r *wire.SubgraphResponse, err error) error {
			if err != nil {
				return err
			}
			if r.Data["echo"] != "{ q }" || r.Data["auth"] != "Bearer t" {
				return errors.New("unexpected data")
			}
			return nil
		}},
		{"chunked", "chunked", func(r *wire.SubgraphResponse, err error) error {
			if err != nil {
				return err
			}
			if s, _ := r.Data["s"].(string); len(s) != 10000 {
				return errors.New("short chunked body")
			}
			return nil
		}},
		{"connection close", "close", func(r *wire.SubgraphResponse, err error) error { return err }},
		{"http status", "status", func(r *wire.SubgraphResponse, err error) error {
			if err == nil || !strings.Contains(err.Error(), "HTTP 502") {
				return errors.New("want an HTTP 502 error")
			}
			return nil
		}},
	}
	for _, tc := range cases {
		for i := 0; i < 3; i++ {
			if err := tc.check(fetch(context.Background(), tc.mode)); err != nil {
				t.Fatalf("%s #%d: %v", tc.name, i, err)
			}
		}
	}
	// Three close responses need three connections; everything else reuses.
	if n := conns.Load(); n > 5 {
		t.Errorf("%d connections for 12 sequential requests", n)
	}

	// The subgraph dropping idle connections: the next request redials.
	srv.CloseClientConnections()
	if err := cases[0].check(fetch(context.Background(), "")); err != nil {
		t.Fatalf("after the subgraph closed idle connections: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := fetch(ctx, "slow"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slow subgraph: err = %v, want a deadline error", err)
	}
}
