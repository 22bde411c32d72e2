package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/cinegraph/cinegraph/app"
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/logging"
)

func runSeed(ctx context.Context, args []string, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("seed", stderr, &common)
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
	seedErr := subgraphs.Seed(ctx)
	if seedErr == nil {
		fmt.Fprintf(stderr, "seeded %v in %s\n", config.Subgraphs, cfg.DataDir)
	}
	return errors.Join(seedErr, subgraphs.Close(), bus.Close())
}
