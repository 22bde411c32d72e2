package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cinegraph/cinegraph/app"
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/logging"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
)

// runReindex rebuilds the catalog search index from the store: a new index
// is built beside the live one and swapped in, so search keeps answering.
func runReindex(ctx context.Context, args []string, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("reindex", stderr, &common)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	cfg, err := common.load()
	if err != nil {
		return err
	}
	logger := logging.New(stderr, cfg.Log)
	bus, err := app.OpenBus(ctx, cfg)
	if err != nil {
		return err
	}
	sg, err := app.OpenSubgraph(ctx, "catalog", cfg, bus, logger)
	if err != nil {
		return errors.Join(err, bus.Close())
	}
	start := time.Now()
	err = sg.(*catalog.Subgraph).Service().RebuildIndex(ctx)
	if err == nil {
		fmt.Fprintf(stderr, "catalog search index rebuilt in %s\n", time.Since(start).Round(time.Millisecond))
	}
	return errors.Join(err, sg.Close(), bus.Close())
}

// runMigrate applies every store's migrations (they also run at start) and
// exits: opening each subgraph migrates its stores.
func runMigrate(ctx context.Context, args []string, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("migrate", stderr, &common)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	cfg, err := common.load()
	if err != nil {
		return err
	}
	logger := logging.New(stderr, cfg.Log)
	bus, err := app.OpenBus(ctx, cfg)
	if err != nil {
		return err
	}
	subgraphs, err := app.OpenSubgraphs(ctx, config.Subgraphs, cfg, bus, logger)
	if err != nil {
		return errors.Join(err, bus.Close())
	}
	fmt.Fprintf(stderr, "stores migrated (%s storage)\n", cfg.Storage.Mode)
	return errors.Join(subgraphs.Close(), bus.Close())
}
