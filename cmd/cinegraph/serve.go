package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/cinegraph/cinegraph/app"
	"github.com/cinegraph/cinegraph/internal/logging"
)

func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	var common commonFlags
	fs := newFlagSet("serve", stderr, &common)
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

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	p, err := app.Open(ctx, cfg, "http://"+ln.Addr().String(), logger)
	if err != nil {
		return err
	}
	logger.Info("cinegraph serving", "graphql", "http://"+ln.Addr().String()+"/graphql", "data_dir", cfg.DataDir, "storage", cfg.Storage.Mode)
	serveErr := app.Serve(ctx, ln, p.Handler(), p.Health(), cfg.ShutdownTimeout, logger)
	return errors.Join(serveErr, p.Close())
}
