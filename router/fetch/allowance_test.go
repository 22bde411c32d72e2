package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/wire"
)

func TestAllowance(t *testing.T) {
	t.Parallel()
	body := `{"data":{"s":"` + strings.Repeat("x", 1000) + `"}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	for _, transport := range []struct {
		name string
		opts HTTPOptions
	}{
		{"net/http", HTTPOptions{Client: srv.Client()}},
		{"connection pool", HTTPOptions{Conns: NewConnPool()}},
	} {
		tests := []struct {
			name      string
			allowance int64 // -1: none
			own       int64
			wantErr   error
			wantText  string
		}{
			{"no allowance", -1, 0, nil, ""},
			{"within the allowance", 2000, 0, nil, ""},
			{"over the allowance", 500, 0, ErrOverAllowance, "over the request's allowance (500 bytes)"},
			{"none left", 0, 0, ErrOverAllowance, "(0 bytes)"},
			{"the fetcher's own bound is lower", 2000, 100, nil, "larger than 100 bytes"},
		}
		for _, tc := range tests {
			t.Run(transport.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				opts := transport.opts
				opts.MaxResponseBytes = tc.own
				f := NewHTTP("a", srv.URL, opts)
				ctx := context.Background()
				if tc.allowance >= 0 {
					ctx = WithAllowance(ctx, func() int64 { return tc.allowance })
				}
				resp, err := f.Fetch(ctx, &wire.SubgraphRequest{Query: "{s}"}, nil)
				switch {
				case tc.wantText == "" && err != nil:
					t.Fatalf("err = %v", err)
				case tc.wantText == "":
					if resp.Bytes != len(body) {
						t.Fatalf("Bytes = %d, want %d", resp.Bytes, len(body))
					}
				case err == nil || !strings.Contains(err.Error(), tc.wantText) || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)):
					t.Fatalf("err = %v, want %q", err, tc.wantText)
				}
			})
		}
	}
}
