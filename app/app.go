// Package app is Cinegraph's composition root: it assembles processes from
// their parts (the event bus, the registered subgraph modules, the router
// and the web app) for `serve` (all in one process), `subgraph <name>`,
// `seed`, `migrate` and `reindex`, and owns start-up order and clean
// shutdown. Only cmd/cinegraph, the benchmarks under bench/ and tests
// import it; the parts themselves live in subgraphs/ and router/.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/embedded"
	"github.com/cinegraph/cinegraph/internal/events/kafka"
	"github.com/cinegraph/cinegraph/internal/sqlite"
	"github.com/cinegraph/cinegraph/internal/subgraph"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
	"github.com/cinegraph/cinegraph/subgraphs/chat"
	"github.com/cinegraph/cinegraph/subgraphs/insights"
	"github.com/cinegraph/cinegraph/subgraphs/video"
)

// Options tune how subgraphs are opened beyond the configuration: each
// subgraph's typed hooks, applied in both storage modes (the storage
// benchmark counts store calls through them). The zero value is what
// production runs.
type Options struct {
	Catalog  catalog.Hooks
	Video    video.Hooks
	Chat     chat.Hooks
	Insights insights.Hooks
}

// Modules are the registered subgraphs with o's hooks, in start order
// (config.Subgraphs).
func (o Options) Modules() []subgraph.Module {
	return []subgraph.Module{
		catalog.Module(o.Catalog),
		video.Module(o.Video),
		chat.Module(o.Chat),
		insights.Module(o.Insights),
	}
}

// module finds the registered module called name.
func (o Options) module(name string) (subgraph.Module, error) {
	for _, m := range o.Modules() {
		if m.Name == name {
			return m, nil
		}
	}
	return subgraph.Module{}, fmt.Errorf("no subgraph named %q (have %v)", name, config.Subgraphs)
}

// OpenBus opens the event bus the configuration selects, logging to
// slog.Default().
func OpenBus(ctx context.Context, cfg config.Config) (events.Bus, error) {
	return openBus(ctx, cfg, slog.Default())
}

func openBus(ctx context.Context, cfg config.Config, logger *slog.Logger) (events.Bus, error) {
	switch cfg.Storage.Mode {
	case subgraph.ModeEmbedded:
		r := cfg.Events.Retention
		return embedded.OpenWith(ctx, filepath.Join(cfg.DataDir, "events.db"), embedded.Options{
			SQLite:    sqlite.Options{Synchronous: sqlite.Synchronous(cfg.Storage.SQLite.Synchronous)},
			Retention: embedded.Retention{MaxAge: r.MaxAge, MaxBytes: r.MaxBytes, Interval: r.Interval},
			Logger:    logger.With("component", "events"),
		})
	case subgraph.ModeCluster:
		return kafka.Open(ctx, cfg.Storage.Kafka, kafka.Options{})
	default:
		return nil, fmt.Errorf("storage mode %q has no event bus in this build", cfg.Storage.Mode)
	}
}

// OpenSubgraph opens one subgraph by name in the configured storage mode.
// Its background work stops when ctx is done or on Close.
func OpenSubgraph(ctx context.Context, name string, cfg config.Config, bus events.Bus, logger *slog.Logger) (subgraph.Subgraph, error) {
	m, err := Options{}.module(name)
	if err != nil {
		return nil, err
	}
	return m.Open(ctx, cfg, bus, logger)
}

// Subgraphs is the set of subgraphs a process runs, by name.
type Subgraphs map[string]subgraph.Subgraph

// OpenSubgraphs opens the named subgraphs in order; on failure it closes
// those already open.
func OpenSubgraphs(ctx context.Context, names []string, cfg config.Config, bus events.Bus, logger *slog.Logger) (Subgraphs, error) {
	return openSubgraphs(ctx, names, cfg, bus, logger, Options{})
}

func openSubgraphs(ctx context.Context, names []string, cfg config.Config, bus events.Bus, logger *slog.Logger, o Options) (Subgraphs, error) {
	out := Subgraphs{}
	for _, name := range names {
		m, err := o.module(name)
		if err != nil {
			return nil, errors.Join(err, out.Close())
		}
		sg, err := m.Open(ctx, cfg, bus, logger)
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
