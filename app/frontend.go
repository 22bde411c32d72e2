package app

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// frontendHandler serves the built web app from dir: files as they are,
// /playground from playground/index.html, and index.html for every other
// path so client-side routes load the app. Without a built app it answers
// with a short page saying how to build it.
func frontendHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("Cinegraph: the web app is not built (run `make frontend`). GraphQL is at /graphql.\n"))
			return
		}
		clean := filepath.Clean("/" + r.URL.Path)
		if clean == "/playground" {
			http.ServeFile(w, r, filepath.Join(dir, "playground", "index.html"))
			return
		}
		if info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(clean))); err == nil && !info.IsDir() {
			if strings.HasPrefix(clean, "/assets/") {
				// Vite fingerprints asset names, so they never change.
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			}
			files.ServeHTTP(w, r)
			return
		}
		http.ServeFile(w, r, filepath.Join(dir, "index.html"))
	})
}
