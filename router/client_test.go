package router

import (
	"net/http"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/router/fetch"
)

// A configured client without a transport keeps its settings but gets the
// tuned transport, not http.DefaultTransport's two idle connections.
func TestClientWithoutTransportIsTuned(t *testing.T) {
	t.Parallel()
	custom := &http.Transport{}
	cases := []struct {
		name    string
		client  *http.Client
		timeout time.Duration
		custom  bool
	}{
		{"nil client", nil, 0, false},
		{"timeout only", &http.Client{Timeout: 7 * time.Second}, 7 * time.Second, false},
		{"own transport", &http.Client{Transport: custom}, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := New(Config{SupergraphSDL: demoSDL(t), Client: tc.client})
			if err != nil {
				t.Fatal(err)
			}
			f, ok := fetch.Unwrap(r.exec.Fetchers["accounts"]).(*fetch.HTTP)
			if !ok {
				t.Fatalf("fetcher is %T", r.exec.Fetchers["accounts"])
			}
			if f.Client.Timeout != tc.timeout {
				t.Errorf("timeout %v, want %v", f.Client.Timeout, tc.timeout)
			}
			if tc.custom {
				if f.Client.Transport != custom {
					t.Errorf("the caller's transport was replaced")
				}
				return
			}
			tr, ok := f.Client.Transport.(*http.Transport)
			if !ok || tr.MaxIdleConnsPerHost < 16 {
				t.Errorf("transport %#v is not the tuned one", f.Client.Transport)
			}
		})
	}
}
