// Package platform assembles Cinegraph processes from their parts: the event
// bus, the four subgraphs, the router and the web app, for `serve` (all in
// one process), `subgraph <name>` and `seed`. It owns start-up order and
// clean shutdown; the parts themselves live in subgraphs/ and router/.
package platform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/chat"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/video"
)

// Subgraph is what every subgraph package's Open returns.
type Subgraph interface {
	Handler() http.Handler
	Seed(ctx context.Context) error
	Ready(ctx context.Context) error
	Close() error
}

var (
	_ Subgraph = (*catalog.Subgraph)(nil)
	_ Subgraph = (*video.Subgraph)(nil)
	_ Subgraph = (*chat.Subgraph)(nil)
	_ Subgraph = (*insights.Subgraph)(nil)
)

// OpenBus opens the event bus the configuration selects.
func OpenBus(ctx context.Context, cfg config.Config) (events.Bus, error) {
	switch cfg.Storage.Mode {
	case "embedded":
		return embedded.Open(ctx, filepath.Join(cfg.DataDir, "events.db"))
	case "cluster":
		return openClusterBus(ctx, cfg)
	default:
		return nil, fmt.Errorf("storage mode %q has no event bus in this build", cfg.Storage.Mode)
	}
}

// OpenSubgraph opens one subgraph by name. Its background work stops when
// ctx is done or on Close.
func OpenSubgraph(ctx context.Context, name string, cfg config.Config, bus events.Bus, logger *slog.Logger) (Subgraph, error) {
	return openSubgraph(ctx, name, cfg, bus, logger, Options{})
}

func openSubgraph(ctx context.Context, name string, cfg config.Config, bus events.Bus, logger *slog.Logger, o Options) (Subgraph, error) {
	var (
		sg  Subgraph
		err error
	)
	if cfg.Storage.Mode == "cluster" {
		sg, err = openClusterSubgraph(ctx, name, cfg, bus, logger, o)
		if err != nil {
			return nil, fmt.Errorf("open %s subgraph on the cluster engines: %w", name, err)
		}
		return sg, nil
	}
	if o.WrapStore != nil {
		sg, err = openWrappedEmbedded(ctx, name, cfg, bus, o, logger)
		if err != nil {
			return nil, fmt.Errorf("open %s subgraph: %w", name, err)
		}
		return sg, nil
	}
	switch name {
	case "catalog":
		sg, err = catalog.Open(ctx, catalog.Options{DataDir: cfg.DataDir, Bus: bus, Logger: logger})
	case "video":
		sg, err = video.Open(ctx, video.Options{DataDir: cfg.DataDir, Bus: bus, Logger: logger})
	case "chat":
		sg, err = chat.Open(ctx, chat.Options{DataDir: cfg.DataDir, Bus: bus, Logger: logger})
	case "insights":
		sg, err = insights.Open(ctx, insights.Options{DataDir: cfg.DataDir, Bus: bus, Logger: logger})
	default:
		return nil, fmt.Errorf("no subgraph named %q (have %v)", name, config.Subgraphs)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s subgraph: %w", name, err)
	}
	return sg, nil
}

// Subgraphs is the set of subgraphs a process runs, by name.
type Subgraphs map[string]Subgraph

// OpenSubgraphs opens the named subgraphs in order; on failure it closes
// those already open.
func OpenSubgraphs(ctx context.Context, names []string, cfg config.Config, bus events.Bus, logger *slog.Logger) (Subgraphs, error) {
	return openSubgraphs(ctx, names, cfg, bus, logger, Options{})
}

func openSubgraphs(ctx context.Context, names []string, cfg config.Config, bus events.Bus, logger *slog.Logger, o Options) (Subgraphs, error) {
	out := Subgraphs{}
	for _, name := range names {
		sg, err := openSubgraph(ctx, name, cfg, bus, logger, o)
		if err != nil {
			return nil, errors.Join(err, out.Close())
		}
		out[name] = sg
	}
	return out, nil
}

// Seed reloads the deterministic seed in every subgraph.
func (s Subgraphs) Seed(ctx context.Context) error {
	for _, name := range config.Subgraphs {
		if sg, ok := s[name]; ok {
			if err := sg.Seed(ctx); err != nil {
				return fmt.Errorf("seed %s: %w", name, err)
			}
		}
	}
	return nil
}

// Close closes every subgraph, reporting all failures.
func (s Subgraphs) Close() error {
	var errs []error
	for name, sg := range s {
		if err := sg.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}
