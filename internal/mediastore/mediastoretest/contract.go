// Package mediastoretest is the contract every mediastore.Store must
// honour, whatever keeps the bytes (a directory, an S3-compatible bucket).
// Run it from each implementation's tests with a function that opens a
// fresh, empty store.
package mediastoretest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cinegraph/cinegraph/internal/mediastore"
)

// Run checks a store opened by open against the contract.
func Run(t *testing.T, open func(t *testing.T) mediastore.Store) {
	ctx := context.Background()

	t.Run("put then open and stat", func(t *testing.T) {
		s := open(t)
		body := []byte("#EXTM3U\n#EXT-X-VERSION:7\n")
		before := time.Now().Add(-2 * time.Second)
		put, err := s.Put(ctx, "v-1/master.m3u8", bytes.NewReader(body))
		if err != nil {
			t.Fatalf("Put: %v", err)
		}
		want := mediastore.Info{Key: "v-1/master.m3u8", Size: int64(len(body)), ContentType: "application/vnd.apple.mpegurl"}
		for name, got := range map[string]mediastore.Info{"Put": put, "Stat": mustStat(t, s, "v-1/master.m3u8")} {
			if got.Key != want.Key || got.Size != want.Size || got.ContentType != want.ContentType {
				t.Errorf("%s = %+v, want key, size, type of %+v", name, got, want)
			}
			if got.ModTime.Before(before) {
				t.Errorf("%s ModTime = %v, want about now", name, got.ModTime)
			}
		}
		if got := read(t, s, "v-1/master.m3u8"); !bytes.Equal(got, body) {
			t.Errorf("Open read %q, want %q", got, body)
		}
	})

	t.Run("open seeks for byte ranges", func(t *testing.T) {
		s := open(t)
		mustPut(t, s, "seg/0001.m4s", "0123456789")
		f, _, err := s.Open(ctx, "seg/0001.m4s")
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer f.Close()
		if _, err := f.Seek(4, io.SeekStart); err != nil {
			t.Fatalf("Seek: %v", err)
		}
		buf := make([]byte, 3)
		if _, err := io.ReadFull(f, buf); err != nil || string(buf) != "456" {
			t.Errorf("read after seek = %q, %v; want 456", buf, err)
		}
		if end, err := f.Seek(0, io.SeekEnd); err != nil || end != 10 {
			t.Errorf("Seek end = %d, %v; want 10", end, err)
		}
	})

	t.Run("put replaces", func(t *testing.T) {
		s := open(t)
		mustPut(t, s, "artwork/t1/poster.jpg", "old, and longer than the new one")
		mustPut(t, s, "artwork/t1/poster.jpg", "new")
		if got := string(read(t, s, "artwork/t1/poster.jpg")); got != "new" {
			t.Errorf("after replace read %q, want new", got)
		}
	})

	t.Run("failed put leaves the old file", func(t *testing.T) {
		s := open(t)
		mustPut(t, s, "a/b.ts", "complete")
		_, err := s.Put(ctx, "a/b.ts", io.MultiReader(strings.NewReader("half"), failingReader{}))
		if err == nil {
			t.Fatal("Put from a failing reader succeeded")
		}
		if got := string(read(t, s, "a/b.ts")); got != "complete" {
			t.Errorf("after failed put read %q, want the old file", got)
		}
		if got := keys(t, s, ""); !slices.Equal(got, []string{"a/b.ts"}) {
			t.Errorf("after failed put List = %v, want only a/b.ts (no temporary files)", got)
		}
	})

	t.Run("concurrent puts leave one whole file", func(t *testing.T) {
		s := open(t)
		bodies := []string{strings.Repeat("a", 1<<16), strings.Repeat("b", 1<<15), strings.Repeat("c", 1<<17)}
		var wg sync.WaitGroup
		for _, b := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Put(ctx, "race/x.mp4", strings.NewReader(b)); err != nil {
					t.Errorf("Put: %v", err)
				}
			}()
		}
		wg.Wait()
		if got := string(read(t, s, "race/x.mp4")); !slices.Contains(bodies, got) {
			t.Errorf("after concurrent puts read %d bytes that are none of the bodies", len(got))
		}
	})

	t.Run("missing keys", func(t *testing.T) {
		s := open(t)
		mustPut(t, s, "present/file.vtt", "WEBVTT\n")
		for _, key := range []string{"absent.jpg", "present/other.vtt", "present", "present/file.vtt/below"} {
			if _, err := s.Stat(ctx, key); !errors.Is(err, mediastore.ErrNotFound) {
				t.Errorf("Stat(%q) = %v, want ErrNotFound", key, err)
			}
			if f, _, err := s.Open(ctx, key); !errors.Is(err, mediastore.ErrNotFound) {
				if f != nil {
					f.Close()
				}
				t.Errorf("Open(%q) = %v, want ErrNotFound", key, err)
			}
		}
	})

	t.Run("delete", func(t *testing.T) {
		s := open(t)
		mustPut(t, s, "d/one.png", "1")
		mustPut(t, s, "d/two.png", "2")
		if err := s.Delete(ctx, "d/one.png"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Stat(ctx, "d/one.png"); !errors.Is(err, mediastore.ErrNotFound) {
			t.Errorf("Stat after Delete = %v, want ErrNotFound", err)
		}
		if err := s.Delete(ctx, "d/one.png"); err != nil {
			t.Errorf("Delete of a missing key = %v, want nil", err)
		}
		if got := keys(t, s, "d/"); !slices.Equal(got, []string{"d/two.png"}) {
			t.Errorf("List after Delete = %v", got)
		}
	})

	t.Run("list by prefix in key order", func(t *testing.T) {
		s := open(t)
		for _, k := range []string{"v-2/720p.mp4", "v-1/master.m3u8", "v-1/1080p.mp4", "v-10/master.m3u8", "artwork/t1/poster.jpg"} {
			mustPut(t, s, k, k)
		}
		for _, tc := range []struct {
			prefix string
			want   []string
		}{
			{"", []string{"artwork/t1/poster.jpg", "v-1/1080p.mp4", "v-1/master.m3u8", "v-10/master.m3u8", "v-2/720p.mp4"}},
			{"v-1/", []string{"v-1/1080p.mp4", "v-1/master.m3u8"}},
			{"v-1", []string{"v-1/1080p.mp4", "v-1/master.m3u8", "v-10/master.m3u8"}},
			{"v-1/m", []string{"v-1/master.m3u8"}},
			{"artwork/", []string{"artwork/t1/poster.jpg"}},
			{"nothing/", nil},
		} {
			t.Run(tc.prefix, func(t *testing.T) {
				got, err := s.List(ctx, tc.prefix)
				if err != nil {
					t.Fatalf("List: %v", err)
				}
				var ks []string
				for _, in := range got {
					ks = append(ks, in.Key)
					if in.Size != int64(len(in.Key)) || in.ContentType == "" {
						t.Errorf("List info %+v: want size %d and a content type", in, len(in.Key))
					}
				}
				if !slices.Equal(ks, tc.want) {
					t.Errorf("List(%q) = %v, want %v", tc.prefix, ks, tc.want)
				}
			})
		}
	})

	t.Run("refuses keys that escape", func(t *testing.T) {
		s := open(t)
		for _, key := range []string{"", "/etc/passwd", "../outside", "a/../../outside", "a/./b", "a//b", "a\\b", "a\x00b", "a/", ".hidden", "a/.put-1"} {
			if _, err := s.Put(ctx, key, strings.NewReader("x")); !errors.Is(err, mediastore.ErrInvalidKey) {
				t.Errorf("Put(%q) = %v, want ErrInvalidKey", key, err)
			}
			if _, err := s.Stat(ctx, key); !errors.Is(err, mediastore.ErrInvalidKey) {
				t.Errorf("Stat(%q) = %v, want ErrInvalidKey", key, err)
			}
			if _, _, err := s.Open(ctx, key); !errors.Is(err, mediastore.ErrInvalidKey) {
				t.Errorf("Open(%q) = %v, want ErrInvalidKey", key, err)
			}
			if err := s.Delete(ctx, key); !errors.Is(err, mediastore.ErrInvalidKey) {
				t.Errorf("Delete(%q) = %v, want ErrInvalidKey", key, err)
			}
		}
		if _, err := s.List(ctx, "../"); !errors.Is(err, mediastore.ErrInvalidKey) {
			t.Errorf("List(../) = %v, want ErrInvalidKey", err)
		}
	})
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func mustPut(t *testing.T, s mediastore.Store, key, body string) {
	t.Helper()
	if _, err := s.Put(context.Background(), key, strings.NewReader(body)); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func mustStat(t *testing.T, s mediastore.Store, key string) mediastore.Info {
	t.Helper()
	in, err := s.Stat(context.Background(), key)
	if err != nil {
		t.Fatalf("Stat(%q): %v", key, err)
	}
	return in
}

func read(t *testing.T, s mediastore.Store, key string) []byte {
	t.Helper()
	f, _, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatalf("read %q: %v", key, err)
	}
	return b
}

func keys(t *testing.T, s mediastore.Store, prefix string) []string {
	t.Helper()
	got, err := s.List(context.Background(), prefix)
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	var out []string
	for _, in := range got {
		out = append(out, in.Key)
	}
	return out
}
