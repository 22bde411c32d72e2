package fetch

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/wire"
)

// echo answers with the subgraph, the instance and the X-Trail header it
// was sent.
func echo(subgraph, url string) Fetcher {
	return Func(func(_ context.Context, _ *wire.SubgraphRequest, h http.Header) (*wire.SubgraphResponse, error) {
		return &wire.SubgraphResponse{Data: map[string]any{"subgraph": subgraph, "url": url, "trail": strings.Join(h.Values("X-Trail"), ",")}}, nil
	})
}

// trail is a middleware that adds its name and the instance to X-Trail.
func trail(name string) Middleware {
	return func(subgraph, instance string, next Fetcher) Fetcher {
		return Func(func(ctx context.Context, req *wire.SubgraphRequest, h http.Header) (*wire.SubgraphResponse, error) {
			h = h.Clone()
			h.Add("X-Trail", name+"@"+subgraph+"="+instance)
			return next.Fetch(ctx, req, h)
		})
	}
}

func TestSet(t *testing.T) {
	t.Parallel()
	urls := map[string]string{"catalog": "http://catalog/query", "chat": "http://chat/query"}
	cases := []struct {
		name     string
		mws      []Middleware
		subgraph string
		want     map[string]any
		wantErr  string
	}{
		{"no middleware", nil, "chat", map[string]any{"subgraph": "chat", "url": "http://chat/query", "trail": ""}, ""},
		{"first middleware is outermost", []Middleware{trail("a"), trail("b")}, "catalog",
			map[string]any{"subgraph": "catalog", "url": "http://catalog/query", "trail": "a@catalog=http://catalog/query,b@catalog=http://catalog/query"}, ""},
		{"unknown subgraph", nil, "video", nil, "no fetcher for subgraph video"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := NewSet(urls, echo, tc.mws...)
			resp, err := s.Fetch(t.Context(), tc.subgraph, &wire.SubgraphRequest{Query: "{ a }"}, http.Header{})
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(resp.Data, tc.want) {
				t.Errorf("got %v, want %v", resp.Data, tc.want)
			}
		})
	}
}

// Bind sends one subgraph's fetches through a fetcher of every subgraph.
func TestBind(t *testing.T) {
	t.Parallel()
	all := NewSet(map[string]string{"catalog": "u1", "chat": "u2"}, echo)
	resp, err := Bind(all, "chat").Fetch(t.Context(), &wire.SubgraphRequest{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Data["subgraph"] != "chat" || resp.Data["url"] != "u2" {
		t.Errorf("got %v, want the chat instance", resp.Data)
	}
}

// An unparsable URL fails each fetch, as it did before instances were
// built up front, whether or not the pool carries the request.
func TestHTTPBadURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		opts HTTPOptions
	}{
		{"pooled", HTTPOptions{Conns: NewConnPool()}},
		{"client", HTTPOptions{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := NewHTTP("catalog", "http://[::1", tc.opts)
			_, err := f.Fetch(t.Context(), &wire.SubgraphRequest{Query: "{ a }"}, nil)
			if err == nil || !strings.HasPrefix(err.Error(), "request to catalog: ") {
				t.Fatalf("err = %v, want a request error", err)
			}
		})
	}
}
