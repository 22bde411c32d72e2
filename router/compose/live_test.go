package compose

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestFetchSDL(t *testing.T) {
	t.Parallel()
	const sdl = "type Query { hello: String }"
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
		wantErr string
	}{
		{
			name: "answers the service query",
			handler: func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				var req struct{ Query string }
				if r.Method != http.MethodPost || json.Unmarshal(body, &req) != nil || !strings.Contains(req.Query, "_service") {
					http.Error(w, "bad request", http.StatusBadRequest)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"_service": map[string]any{"sdl": sdl}}})
			},
			want: sdl,
		},
		{
			name: "graphql errors",
			handler: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, `{"errors":[{"message":"Cannot query field \"_service\" on type \"Query\"."}]}`)
			},
			wantErr: `Cannot query field "_service"`,
		},
		{
			name: "http failure",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "down", http.StatusBadGateway)
			},
			wantErr: "status 502",
		},
		{
			name: "no sdl",
			handler: func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.WriteString(w, `{"data":{"_service":null}}`)
			},
			wantErr: "no _service.sdl",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			got, err := FetchSDL(ctx, srv.Client(), srv.URL)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("FetchSDL error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("FetchSDL: %v", err)
			}
			if got != tt.want {
				t.Fatalf("FetchSDL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFetchSDLHonoursContext(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := FetchSDL(ctx, srv.Client(), srv.URL); err == nil {
		t.Fatal("FetchSDL succeeded although its context expired")
	}
}
