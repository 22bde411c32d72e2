package mediastore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/cinegraph/cinegraph/internal/mediastore"
	"github.com/cinegraph/cinegraph/internal/mediastore/mediastoretest"
)

func TestFileStoreContract(t *testing.T) {
	t.Parallel()
	mediastoretest.Run(t, func(t *testing.T) mediastore.Store {
		s, err := mediastore.OpenFileStore(filepath.Join(t.TempDir(), "media"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestFileStoreStaysInsideRoot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("s"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := mediastore.OpenFileStore(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(context.Background(), "../secret.txt"); err == nil {
		t.Fatal("Stat reached a file outside the root")
	}
	// A directory is not a file.
	if err := os.MkdirAll(filepath.Join(s.Root(), "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(context.Background(), "dir"); err == nil {
		t.Fatal("Stat described a directory")
	}
}

func TestContentType(t *testing.T) {
	t.Parallel()
	for key, want := range map[string]string{
		"v/master.m3u8":   "application/vnd.apple.mpegurl",
		"v/seg-001.ts":    "video/mp2t",
		"v/seg-001.m4s":   "video/iso.segment",
		"v/1080p.mp4":     "video/mp4",
		"a/poster.jpg":    "image/jpeg",
		"a/poster.JPEG":   "image/jpeg",
		"a/poster.webp":   "image/webp",
		"avatars/p-1.png": "image/png",
		"a/poster.svg":    "image/svg+xml",
		"v/en.vtt":        "text/vtt; charset=utf-8",
		"v/blob":          "application/octet-stream",
		"v/page.html":     "application/octet-stream",
	} {
		t.Run(key, func(t *testing.T) {
			if got := mediastore.ContentType(key); got != want {
				t.Errorf("ContentType(%q) = %q, want %q", key, got, want)
			}
		})
	}
}
