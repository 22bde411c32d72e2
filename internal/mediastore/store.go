// Package mediastore keeps media files (artwork, renditions, manifests,
// subtitles, avatars) by key behind one Store interface, and knows which
// content type each kind of file is served with. The file store keeps
// them under a directory (embedded mode: <data-dir>/media); cluster mode is
// meant to use the same interface over an S3-compatible bucket, held to
// the same contract (mediastoretest).
package mediastore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ErrNotFound is returned for a key that holds no file.
var ErrNotFound = errors.New("mediastore: not found")

// ErrInvalidKey is returned for a key that is empty, absolute, climbs out
// of the store (".."), or holds a backslash, a NUL, an empty segment or a
// segment starting with a dot (stores keep their temporary files so).
var ErrInvalidKey = errors.New("mediastore: invalid key")

// Info describes a stored file.
type Info struct {
	Key         string
	Size        int64
	ModTime     time.Time
	ContentType string
}

// File is an open stored file: it reads and seeks (so it can answer byte
// ranges) and must be closed.
type File interface {
	io.ReadSeekCloser
}

// Store keeps files by key: slash-separated relative paths such as
// "artwork/t0001/poster.jpg".
type Store interface {
	// Open opens the file at key for reading, with its Info.
	Open(ctx context.Context, key string) (File, Info, error)
	// Stat describes the file at key.
	Stat(ctx context.Context, key string) (Info, error)
	// Put stores everything r yields at key, replacing what was there.
	// Readers see the old file or the new one, never part of either.
	Put(ctx context.Context, key string, r io.Reader) (Info, error)
	// Delete removes the file at key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// List describes every file whose key starts with prefix, in key order.
	List(ctx context.Context, prefix string) ([]Info, error)
}

// ValidKey checks a key before it comes near a file system or a bucket.
func ValidKey(key string) error {
	if key == "" || strings.HasPrefix(key, "/") || strings.ContainsAny(key, "\\\x00") {
		return fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || strings.HasPrefix(seg, ".") {
			return fmt.Errorf("%w: %q", ErrInvalidKey, key)
		}
	}
	return nil
}

// validPrefix checks a List prefix: empty (everything) or a key's start.
func validPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	return ValidKey(strings.TrimSuffix(prefix, "/"))
}
