// Package persisted resolves the document of a request that names it by
// hash: Apollo's automatic persisted queries (APQ), where a client sends the
// SHA-256 of its document and registers the document on a miss, and trusted
// documents, a manifest of the operations a web app's build produced. With
// the safelist on, only the manifest's operations run.
package persisted

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"

	"github.com/cinegraph/cinegraph/internal/errs"
)

// Messages of the protocol's errors, as Apollo's servers word them;
// clients match the codes, people read these.
const (
	msgNotFound     = "PersistedQueryNotFound"
	msgNotSupported = "PersistedQueryNotSupported"
	msgMismatch     = "provided sha does not match query"
	msgSafelist     = "operation is not in the persisted query manifest: the safelist only runs trusted documents"
)

// maxHashLen bounds the hashes looked up: a SHA-256 in hex is 64
// characters, and manifest ids are no longer in practice.
const maxHashLen = 256

// Config configures Documents.
type Config struct {
	// APQ is the cache of automatic persisted queries; nil turns APQ off,
	// and hash-only requests for documents outside the manifest are then
	// answered PERSISTED_QUERY_NOT_SUPPORTED.
	APQ Cache
	// Manifest holds trusted documents, found by id; nil means none.
	Manifest *Manifest
	// Safelist refuses every document that is not in Manifest.
	Safelist bool
	Logger   *slog.Logger
}

// Documents resolves requests' documents. The zero of *Documents (nil)
// runs every request's query and answers hashes as not supported.
type Documents struct {
	cfg    Config
	logger *slog.Logger
}

// New returns Documents for cfg; a safelist needs a manifest.
func New(cfg Config) (*Documents, error) {
	if cfg.Safelist && cfg.Manifest == nil {
		return nil, errors.New("persisted queries: the safelist needs a manifest")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Documents{cfg: cfg, logger: logger}, nil
}

// Hash is the lower-case hex SHA-256 of doc, the hash APQ clients send.
func Hash(doc string) string {
	sum := sha256.Sum256([]byte(doc))
	return hex.EncodeToString(sum[:])
}

// Resolve returns the document to run for a request with query and, when
// it carried extensions.persistedQuery, hash. A refused request gets an
// *errs.Error with a protocol code (PERSISTED_QUERY_NOT_FOUND, _NOT_SUPPORTED)
// or BAD_USER_INPUT. Failures of the cache are logged, never the client's:
// a failed read is a miss and a failed registration still runs the query.
func (d *Documents) Resolve(ctx context.Context, query, hash string) (string, *errs.Error) {
	if d == nil {
		if hash != "" && query == "" {
			return "", errs.New(errs.PersistedQueryNotSupported, msgNotSupported)
		}
		return query, nil
	}
	if hash == "" {
		if d.cfg.Safelist && !d.cfg.Manifest.Contains(query) {
			return "", errs.New(errs.BadUserInput, msgSafelist)
		}
		return query, nil
	}
	if query == "" {
		return d.lookup(ctx, hash)
	}
	if body, ok := d.manifest(hash); ok && body == query {
		return query, nil
	}
	if d.cfg.Safelist {
		return "", errs.New(errs.BadUserInput, msgSafelist)
	}
	if !strings.EqualFold(hash, Hash(query)) {
		return "", errs.New(errs.BadUserInput, msgMismatch)
	}
	if d.cfg.APQ != nil {
		if err := d.cfg.APQ.Add(ctx, strings.ToLower(hash), query); err != nil {
			d.logger.WarnContext(ctx, "register persisted query", "error", err)
		}
	}
	return query, nil
}

// lookup finds the document of a hash-only request: first in the
// manifest, then, unless the safelist is on, among registered documents.
func (d *Documents) lookup(ctx context.Context, hash string) (string, *errs.Error) {
	if body, ok := d.manifest(hash); ok {
		return body, nil
	}
	if d.cfg.Safelist {
		return "", errs.New(errs.BadUserInput, msgSafelist)
	}
	if d.cfg.APQ == nil {
		return "", errs.New(errs.PersistedQueryNotSupported, msgNotSupported)
	}
	if len(hash) <= maxHashLen {
		doc, ok, err := d.cfg.APQ.Get(ctx, strings.ToLower(hash))
		if err != nil {
			d.logger.WarnContext(ctx, "look up persisted query", "error", err)
		}
		if ok {
			return doc, nil
		}
	}
	return "", errs.New(errs.PersistedQueryNotFound, msgNotFound)
}

func (d *Documents) manifest(id string) (string, bool) {
	if d.cfg.Manifest == nil {
		return "", false
	}
	return d.cfg.Manifest.Lookup(id)
}
