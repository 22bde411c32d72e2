package app

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/artwork"
	"github.com/cinegraph/cinegraph/internal/mediastore"
)

// testMedia is a media handler over a store holding files, with one
// title in its catalog (t0001) and a catalog that fails for t-down.
func testMedia(t *testing.T, files map[string]string) http.Handler {
	t.Helper()
	store, err := mediastore.OpenFileStore(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatal(err)
	}
	for key, body := range files {
		if _, err := store.Put(context.Background(), key, strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}
	titles := func(_ context.Context, id string) (artwork.Title, bool, error) {
		switch id {
		case "t0001":
			return artwork.Title{ID: id, Name: `Fish & "Chips" <Live>`, Genre: "comedy"}, true, nil
		case "t-down":
			return artwork.Title{}, false, errors.New("catalog down")
		}
		return artwork.Title{}, false, nil
	}
	return mediaHandler(store, titles, slog.New(slog.DiscardHandler))
}

func TestMediaContentTypes(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"v-1/master.m3u8":              "#EXTM3U\n",
		"v-1/seg-00001.ts":             "ts",
		"v-1/seg-00001.m4s":            "m4s",
		"v-1/1080p.mp4":                "mp4",
		"artwork/t0002/poster.jpg":     "jpg",
		"artwork/t0002/still.jpeg":     "jpeg",
		"artwork/t0002/poster.webp":    "webp",
		"avatars/profile-1.png":        "png",
		"artwork/t0002/logo.svg":       "<svg/>",
		"v-1/en.vtt":                   "WEBVTT\n",
		"artwork/t0002/a.3f9a1c0b.jpg": "hashed",
		"v-1/notes.html":               "<script>alert(1)</script>",
	}
	h := testMedia(t, files)
	for _, tc := range []struct {
		key, ctype, cache string
	}{
		{"v-1/master.m3u8", "application/vnd.apple.mpegurl", cachePlaylist},
		{"v-1/seg-00001.ts", "video/mp2t", cacheImmutable},
		{"v-1/seg-00001.m4s", "video/iso.segment", cacheImmutable},
		{"v-1/1080p.mp4", "video/mp4", cacheDefault},
		{"artwork/t0002/poster.jpg", "image/jpeg", cacheDefault},
		{"artwork/t0002/still.jpeg", "image/jpeg", cacheDefault},
		{"artwork/t0002/poster.webp", "image/webp", cacheDefault},
		{"avatars/profile-1.png", "image/png", cacheDefault},
		{"artwork/t0002/logo.svg", "image/svg+xml", cacheDefault},
		{"v-1/en.vtt", "text/vtt; charset=utf-8", cacheDefault},
		{"artwork/t0002/a.3f9a1c0b.jpg", "image/jpeg", cacheImmutable},
		// Not a media type: served as bytes, never rendered as a page.
		{"v-1/notes.html", "application/octet-stream", cacheDefault},
	} {
		t.Run(tc.key, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/media/"+tc.key, nil))
			res := rec.Result()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d, want 200", res.StatusCode)
			}
			if got := rec.Body.String(); got != files[tc.key] {
				t.Errorf("body %q, want %q", got, files[tc.key])
			}
			for name, want := range map[string]string{
				"Content-Type":            tc.ctype,
				"Cache-Control":           tc.cache,
				"X-Content-Type-Options":  "nosniff",
				"Content-Security-Policy": mediaPolicy,
			} {
				if got := res.Header.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			if res.Header.Get("ETag") == "" || res.Header.Get("Last-Modified") == "" || res.Header.Get("Accept-Ranges") != "bytes" {
				t.Errorf("validators missing: %v", res.Header)
			}
		})
	}
}

func TestMediaRangesAndValidators(t *testing.T) {
	t.Parallel()
	h := testMedia(t, map[string]string{"v-1/720p.mp4": "0123456789abcdef"})
	do := func(method string, hdr map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "/media/v-1/720p.mp4", nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	t.Run("range", func(t *testing.T) {
		rec := do(http.MethodGet, map[string]string{"Range": "bytes=4-9"})
		if rec.Code != http.StatusPartialContent || rec.Body.String() != "456789" {
			t.Fatalf("got %d %q, want 206 456789", rec.Code, rec.Body.String())
		}
		if got := rec.Header().Get("Content-Range"); got != "bytes 4-9/16" {
			t.Errorf("Content-Range %q", got)
		}
		if got := rec.Header().Get("Content-Type"); got != "video/mp4" {
			t.Errorf("Content-Type %q", got)
		}
	})
	t.Run("suffix range", func(t *testing.T) {
		rec := do(http.MethodGet, map[string]string{"Range": "bytes=-3"})
		if rec.Code != http.StatusPartialContent || rec.Body.String() != "def" {
			t.Fatalf("got %d %q, want 206 def", rec.Code, rec.Body.String())
		}
	})
	t.Run("unsatisfiable range", func(t *testing.T) {
		if rec := do(http.MethodGet, map[string]string{"Range": "bytes=100-"}); rec.Code != http.StatusRequestedRangeNotSatisfiable {
			t.Fatalf("got %d, want 416", rec.Code)
		}
	})
	t.Run("head", func(t *testing.T) {
		rec := do(http.MethodHead, nil)
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
			t.Fatalf("got %d with %d bytes, want 200 and no body", rec.Code, rec.Body.Len())
		}
		if rec.Header().Get("Content-Length") != "16" || rec.Header().Get("Content-Type") != "video/mp4" {
			t.Errorf("headers %v", rec.Header())
		}
	})
	t.Run("not modified", func(t *testing.T) {
		etag := do(http.MethodGet, nil).Header().Get("ETag")
		if rec := do(http.MethodGet, map[string]string{"If-None-Match": etag}); rec.Code != http.StatusNotModified {
			t.Fatalf("If-None-Match %s: got %d, want 304", etag, rec.Code)
		}
	})
}

func TestMediaRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := testMedia(t, map[string]string{"v-1/master.m3u8": "#EXTM3U\n"})
	for _, tc := range []struct {
		name, method, path string
		status             int
	}{
		{"missing file", http.MethodGet, "/media/v-1/missing.m3u8", 404},
		{"missing directory", http.MethodGet, "/media/nothing/here.jpg", 404},
		{"a directory", http.MethodGet, "/media/v-1", 404},
		{"the root", http.MethodGet, "/media/", 404},
		{"dot dot", http.MethodGet, "/media/../secret.txt", 404},
		{"encoded dot dot", http.MethodGet, "/media/%2e%2e/%2e%2e/secret.txt", 404},
		{"backslash", http.MethodGet, "/media/v-1%5c..%5c..%5csecret.txt", 404},
		{"nul", http.MethodGet, "/media/v-1/master.m3u8%00.jpg", 404},
		{"absolute", http.MethodGet, "/media//etc/passwd", 404},
		{"hidden", http.MethodGet, "/media/v-1/.put-123", 404},
		{"artwork of an unknown title", http.MethodGet, "/media/artwork/t9999/poster-342", 404},
		{"artwork at a width not drawn", http.MethodGet, "/media/artwork/t0001/poster-343", 404},
		{"artwork in an unknown shape", http.MethodGet, "/media/artwork/t0001/banner-342", 404},
		{"artwork while the catalog is down", http.MethodGet, "/media/artwork/t-down/poster-342", 503},
		{"post", http.MethodPost, "/media/v-1/master.m3u8", 405},
		{"put", http.MethodPut, "/media/v-1/master.m3u8", 405},
		{"delete", http.MethodDelete, "/media/v-1/master.m3u8", 405},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tc.method, "http://cinegraph.example"+strings.ReplaceAll(tc.path, "//etc", "/%2Fetc"), nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("%s %s: status %d, want %d", tc.method, tc.path, rec.Code, tc.status)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
			var body struct{ Error string }
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error == "" {
				t.Errorf("body %q: want a small JSON error", rec.Body.String())
			}
			if strings.Contains(rec.Body.String(), "secret") {
				t.Errorf("body leaked a file outside the store")
			}
			if tc.status == 405 && rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow %q", rec.Header().Get("Allow"))
			}
		})
	}
}

func TestMediaArtwork(t *testing.T) {
	t.Parallel()
	h := testMedia(t, map[string]string{
		"artwork/t0002/poster.jpg":        "real poster",
		"artwork/t0002/backdrop-1280.jpg": "real backdrop at 1280",
		"artwork/t0002/backdrop.webp":     "real backdrop",
	})
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	t.Run("drawn", func(t *testing.T) {
		rec := get("/media/artwork/t0001/poster-342")
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("got %d %q, want 200 image/svg+xml", rec.Code, rec.Header().Get("Content-Type"))
		}
		want, err := artwork.SVG(artwork.Title{ID: "t0001", Name: `Fish & "Chips" <Live>`, Genre: "comedy"}, artwork.Poster, 342)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Body.String() != string(want) {
			t.Errorf("body is not the title's drawing")
		}
		if !strings.Contains(rec.Body.String(), "Fish &amp; ") {
			t.Errorf("name not escaped in %s", rec.Body.String())
		}
		etag := rec.Header().Get("ETag")
		if etag == "" || rec.Header().Get("Cache-Control") != cacheDefault {
			t.Errorf("headers %v", rec.Header())
		}
		if again := get("/media/artwork/t0001/poster-342"); again.Header().Get("ETag") != etag {
			t.Errorf("ETag changed between requests")
		}
		req := httptest.NewRequest(http.MethodGet, "/media/artwork/t0001/poster-342", nil)
		req.Header.Set("If-None-Match", etag)
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			t.Errorf("If-None-Match: %d, want 304", rec.Code)
		}
	})
	for _, tc := range []struct{ path, body, ctype string }{
		{"/media/artwork/t0002/poster-342", "real poster", "image/jpeg"},
		{"/media/artwork/t0002/backdrop-1280", "real backdrop at 1280", "image/jpeg"},
		{"/media/artwork/t0002/backdrop-780", "real backdrop", "image/webp"},
	} {
		t.Run("stored "+tc.path, func(t *testing.T) {
			rec := get(tc.path)
			if rec.Code != 200 || rec.Body.String() != tc.body || rec.Header().Get("Content-Type") != tc.ctype {
				t.Fatalf("got %d %q %q, want the stored file", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
			}
		})
	}
}

func TestFrontendNeverServesMedia(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html>app"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := frontendHandler(dir, true, "")
	for _, p := range []string{"/media", "/media/", "/media/artwork/t0001/poster.jpg", "/media/../media/x.m3u8"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://cinegraph.example"+p, nil))
		body, _ := io.ReadAll(rec.Result().Body)
		if rec.Code != http.StatusNotFound || strings.Contains(string(body), "html") {
			t.Errorf("%s: %d %q, want 404 without the app", p, rec.Code, body)
		}
	}
	// The app's page may load the artwork and the videos served here.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://cinegraph.example/", nil))
	for _, want := range []string{"img-src 'self' ", "media-src 'self' "} {
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, want) {
			t.Errorf("the app's policy %q lacks %q", csp, want)
		}
	}
}

// TestServeMediaThroughThePlatform: the artwork URLs the API hands out load
// the title's drawing from the platform, and missing media is a 404, not
// the web app.
func TestServeMediaThroughThePlatform(t *testing.T) {
	in := start(t, t.TempDir())
	defer in.stop()
	if err := os.WriteFile(filepath.Join(in.cfg.Frontend.Dir, "index.html"), []byte("<!doctype html>app"), 0o644); err != nil {
		t.Fatal(err)
	}
	resp := in.do(t, "", `{ title(id: "t0001") { name artwork { posterUrl backdropUrl thumbnailUrl } } }`, nil)
	if len(resp.Errors) > 0 {
		t.Fatalf("errors: %v", resp.Errors)
	}
	name, _ := dig(resp.Data, "title", "name").(string)
	for _, field := range []string{"posterUrl", "backdropUrl", "thumbnailUrl"} {
		u, _ := dig(resp.Data, "title", "artwork", field).(string)
		res, err := http.Get(in.url + u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s %s: %d %q", field, u, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if !strings.Contains(string(body), ">"+strings.Fields(name)[0]) {
			t.Errorf("%s: drawing lacks the title's name %q", field, name)
		}
	}
	for _, p := range []string{"/media/v-t0001-feature/1080p.mp4", "/media/artwork/t0001/poster.jpg", "/media/avatars/nobody.png"} {
		res, err := http.Get(in.url + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 404 || strings.Contains(string(body), "html") {
			t.Errorf("%s: %d %q, want a 404 without the app", p, res.StatusCode, body)
		}
	}
	// The SPA still answers its own routes.
	res, err := http.Get(in.url + "/title/t0001")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("/title/t0001: %d", res.StatusCode)
	}
}
