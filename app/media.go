package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cinegraph/cinegraph/internal/artwork"
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/mediastore"
	"github.com/cinegraph/cinegraph/internal/viewer"
)

// mediaPrefix is where the platform serves media: the URLs the catalog and
// video subgraphs hand out (artwork, renditions, manifests, avatars).
const mediaPrefix = "/media/"

// Cache lifetimes by kind of file.
const (
	// cacheImmutable is for files whose name never points at other bytes:
	// segments and content-addressed names.
	cacheImmutable = "public, max-age=31536000, immutable"
	// cachePlaylist is for manifests, which a live or re-encoded video
	// rewrites in place.
	cachePlaylist = "public, max-age=5"
	// cacheDefault is for everything else (renditions, artwork, avatars):
	// an hour, then a cheap revalidation against the ETag.
	cacheDefault = "public, max-age=3600"
)

// mediaPolicy keeps a stored file, an SVG above all, from running script or
// loading anything when opened on its own rather than as an image.
const mediaPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox"

// openMediaStore opens the store media is served from: a directory under
// the data directory. Cluster mode uses it too for now; an S3-compatible
// store would implement the same mediastore.Store and pass the same
// contract (mediastoretest), and be chosen here.
func openMediaStore(cfg config.Config) (mediastore.Store, error) {
	return mediastore.OpenFileStore(filepath.Join(cfg.DataDir, "media"))
}

// titleSource looks up what a title's artwork is drawn from; ok is false
// for a title the catalog does not hold.
type titleSource func(ctx context.Context, id string) (t artwork.Title, ok bool, err error)

// mediaHandler serves GET and HEAD under /media/ from store, with byte
// ranges, validators and caching by kind of file; anything else under
// /media/ is 404 (405 for other methods), never the web app. Artwork URLs,
// /media/artwork/<titleId>/<shape>-<width>, serve a real image from the
// store when one is there and otherwise the title's drawing (artwork),
// made on each request: it takes microseconds, and browsers keep it an
// hour and then revalidate against its ETag, so nothing is written.
func mediaHandler(store mediastore.Store, titles titleSource, logger *slog.Logger) http.Handler {
	m := &media{store: store, titles: titles, logger: logger}
	return http.HandlerFunc(m.serve)
}

type media struct {
	store  mediastore.Store
	titles titleSource
	logger *slog.Logger
}

// artworkPath is an artwork URL's key: the title id, the shape, the width.
var artworkPath = regexp.MustCompile(`^artwork/([A-Za-z0-9_-]+)/(poster|backdrop|thumbnail)-([0-9]{2,4})$`)

// contentAddressed matches a file name carrying a hash of its bytes
// (poster.3f9a1c0b.jpg, seg-9f86d081884c7d65.m4s).
var contentAddressed = regexp.MustCompile(`[.-][0-9a-f]{8,}\.[a-z0-9]+$`)

func (m *media) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", mediaPolicy)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		mediaError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	key, ok := strings.CutPrefix(r.URL.Path, mediaPrefix)
	if !ok || mediastore.ValidKey(key) != nil {
		mediaError(w, http.StatusNotFound, "not found")
		return
	}
	if a := artworkPath.FindStringSubmatch(key); a != nil {
		m.serveArtwork(w, r, a[1], artwork.Shape(a[2]), a[3])
		return
	}
	if !m.serveStored(w, r, key) {
		mediaError(w, http.StatusNotFound, "not found")
	}
}

// serveStored serves the file at key if the store holds one; false when it
// does not (and nothing has been written).
func (m *media) serveStored(w http.ResponseWriter, r *http.Request, key string) bool {
	f, info, err := m.store.Open(r.Context(), key)
	if errors.Is(err, mediastore.ErrNotFound) || errors.Is(err, mediastore.ErrInvalidKey) {
		return false
	}
	if err != nil {
		m.logger.Error("media: open", "key", key, "err", err)
		mediaError(w, http.StatusInternalServerError, "internal error")
		return true
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", info.ContentType)
	h.Set("Cache-Control", cacheControl(key))
	h.Set("ETag", fmt.Sprintf(`"%x-%x"`, info.Size, info.ModTime.UnixNano()))
	http.ServeContent(w, r, path.Base(key), info.ModTime, f)
	return true
}

// serveArtwork serves a title's artwork: a stored image for this width or
// for the shape (the first of webp, jpg, png), or else its drawing.
func (m *media) serveArtwork(w http.ResponseWriter, r *http.Request, id string, shape artwork.Shape, width string) {
	px, _ := strconv.Atoi(width)
	if !artwork.Size(shape, px) {
		mediaError(w, http.StatusNotFound, "not found")
		return
	}
	// One listing rather than a probe per name: a bucket charges per call.
	base := "artwork/" + id + "/"
	stored, err := m.store.List(r.Context(), base)
	if err != nil {
		m.logger.Warn("media: list artwork", "title", id, "err", err)
	}
	have := map[string]bool{}
	for _, in := range stored {
		have[in.Key] = true
	}
	for _, name := range []string{string(shape) + "-" + width, string(shape)} {
		for _, ext := range []string{".webp", ".jpg", ".png"} {
			if have[base+name+ext] && m.serveStored(w, r, base+name+ext) {
				return
			}
		}
	}
	t, ok, err := m.titles(r.Context(), id)
	if err != nil {
		m.logger.Error("media: artwork title", "title", id, "err", err)
		mediaError(w, http.StatusServiceUnavailable, "catalog unavailable")
		return
	}
	if !ok {
		mediaError(w, http.StatusNotFound, "not found")
		return
	}
	svg, err := artwork.SVG(t, shape, px)
	if err != nil {
		mediaError(w, http.StatusNotFound, "not found")
		return
	}
	sum := sha256.Sum256(svg)
	h := w.Header()
	h.Set("Content-Type", mediastore.ContentType(".svg"))
	h.Set("Cache-Control", cacheDefault)
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(svg))
}

// cacheControl is how long a client may keep the file at key.
func cacheControl(key string) string {
	switch ext := strings.ToLower(path.Ext(key)); {
	case ext == ".m3u8" || ext == ".mpd":
		return cachePlaylist
	case ext == ".ts" || ext == ".m4s" || contentAddressed.MatchString(path.Base(key)):
		return cacheImmutable
	default:
		return cacheDefault
	}
}

// mediaError answers with a small JSON body, never the web app's page, so
// a missing image fails as an image rather than loading HTML.
func mediaError(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Del("ETag")
	h.Del("Cache-Control")
	h.Set("Content-Type", "application/json")
	if status == http.StatusNotFound {
		// Short, so artwork that arrives later shows up soon.
		h.Set("Cache-Control", "public, max-age=60")
	} else {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// catalogTitles looks titles up in the catalog subgraph at url (its
// endpoint on the internal listener), as the router would, with the
// shared token and no viewer.
func catalogTitles(client *http.Client, url, token string) titleSource {
	const query = `query($id: ID!) { title(id: $id) { name genres { slug } } }`
	return func(ctx context.Context, id string) (artwork.Title, bool, error) {
		body, err := json.Marshal(map[string]any{"query": query, "variables": map[string]string{"id": id}})
		if err != nil {
			return artwork.Title{}, false, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return artwork.Title{}, false, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(viewer.RouterTokenHeader, token)
		resp, err := client.Do(req)
		if err != nil {
			return artwork.Title{}, false, fmt.Errorf("catalog: %w", err)
		}
		defer resp.Body.Close()
		var out struct {
			Data struct {
				Title *struct {
					Name   string
					Genres []struct{ Slug string }
				}
			}
			Errors []struct{ Message string }
		}
		if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&out); err != nil {
			return artwork.Title{}, false, fmt.Errorf("catalog: %s: %w", resp.Status, err)
		}
		if len(out.Errors) > 0 {
			return artwork.Title{}, false, fmt.Errorf("catalog: %s", out.Errors[0].Message)
		}
		if out.Data.Title == nil {
			return artwork.Title{}, false, nil
		}
		t := artwork.Title{ID: id, Name: out.Data.Title.Name}
		if len(out.Data.Title.Genres) > 0 {
			t.Genre = out.Data.Title.Genres[0].Slug
		}
		return t, true, nil
	}
}
