package main

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestProbe(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ok", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("GET /down", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "draining", http.StatusServiceUnavailable)
	})
	mux.HandleFunc("GET /moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusFound) })
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tlsSrv := httptest.NewUnstartedServer(mux)
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake
	tlsSrv.StartTLS()
	defer tlsSrv.Close()

	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string // empty: success
		wantOut string
	}{
		{name: "2xx", args: []string{srv.URL + "/ok"}, wantOut: "204 No Content"},
		{name: "flag after the URL", args: []string{srv.URL + "/ok", "-timeout", "1s"}, wantOut: "204 No Content"},
		{name: "503", args: []string{srv.URL + "/down"}, wantErr: "503 Service Unavailable"},
		{name: "404", args: []string{srv.URL + "/nothing"}, wantErr: "404 Not Found"},
		{name: "redirect not followed", args: []string{srv.URL + "/moved"}, wantErr: "302 Found"},
		{name: "timeout", args: []string{"-timeout", "100ms", srv.URL + "/slow"}, wantErr: "deadline exceeded"},
		{name: "nothing listening", args: []string{"http://127.0.0.1:1/health/live"}, wantErr: "connect"},
		{name: "untrusted certificate", args: []string{tlsSrv.URL + "/ok"}, wantErr: "certificate"},
		{name: "insecure", args: []string{"-insecure", tlsSrv.URL + "/ok"}, wantOut: "204 No Content"},
		{name: "no URL", args: nil, wantErr: "a URL is required"},
		{name: "not http", args: []string{"ftp://127.0.0.1/x"}, wantErr: "not an http"},
		{name: "two URLs", args: []string{srv.URL + "/ok", srv.URL + "/ok"}, wantErr: "unexpected arguments"},
		{name: "zero timeout", args: []string{"-timeout", "0s", srv.URL + "/ok"}, wantErr: "must be positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			start := time.Now()
			err := run(t.Context(), append([]string{"probe"}, tc.args...), &out, io.Discard)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("probe %v: %v", tc.args, err)
				}
				if got := strings.TrimSpace(out.String()); got != tc.wantOut {
					t.Errorf("printed %q, want %q", got, tc.wantOut)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("probe %v: got %v, want an error containing %q", tc.args, err, tc.wantErr)
			}
			if elapsed := time.Since(start); elapsed > 3*time.Second {
				t.Errorf("probe took %s", elapsed)
			}
		})
	}
}
