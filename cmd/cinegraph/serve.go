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
	stopTracing, err := startTracing(ctx, cfg, "serve", logger)
	if err != nil {
		return err
	}
	defer stopTracing()

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	scheme := "http://"
	if cfg.Server.TLS.Enabled() {
		scheme = "https://"
	}
	p, err := app.Open(ctx, cfg, logger)
	if err != nil {
		return err
	}
	stopAdmin, err := app.ServeAdmin(ctx, cfg, p.AdminHandler(), logger)
	if err != nil {
		return errors.Join(err, p.Close())
	}
	if err := common.watchReloads(ctx, cfg, logger, p.Reload); err != nil {
		return errors.Join(err, stopAdmin(), p.Close())
	}
	logger.Info("cinegraph serving", "graphql", scheme+ln.Addr().String()+"/graphql", "data_dir", cfg.DataDir, "storage", cfg.Storage.Mode, "profile", cfg.Profile)
	serveErr := app.Serve(ctx, ln, p.Handler(), p.Health(), cfg.Server, cfg.ShutdownTimeout, logger)
	return errors.Join(serveErr, stopAdmin(), p.Close())
}
