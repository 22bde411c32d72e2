package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/cinegraph/cinegraph/app"
	"github.com/cinegraph/cinegraph/internal/config"
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
	scheme, base := "http://", "http://"+ln.Addr().String()
	var loopback net.Listener
	if cfg.Server.TLS.Enabled() {
		// The router fetches the subgraphs in this process over loopback,
		// and the certificate names the public host rather than
		// 127.0.0.1: those fetches go to a plain listener on loopback.
		scheme = "https://"
		loopback, err = net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		defer loopback.Close()
		base = "http://" + loopback.Addr().String()
	}
	p, err := app.Open(ctx, cfg, base, logger)
	if err != nil {
		return err
	}
	var loopbackErr chan error
	if loopback != nil {
		// It stops after the public listener has drained, whose requests
		// still fetch through it.
		loopbackCtx, stopLoopback := context.WithCancel(context.WithoutCancel(ctx))
		defer stopLoopback()
		plain := cfg.Server
		plain.TLS = config.TLS{}
		loopbackErr = make(chan error, 1)
		go func() {
			loopbackErr <- app.Serve(loopbackCtx, loopback, p.Handler(), nil, plain, cfg.ShutdownTimeout, logger)
		}()
		defer func() { stopLoopback(); <-loopbackErr }()
	}
	logger.Info("cinegraph serving", "graphql", scheme+ln.Addr().String()+"/graphql", "data_dir", cfg.DataDir, "storage", cfg.Storage.Mode, "profile", cfg.Profile)
	serveErr := app.Serve(ctx, ln, p.Handler(), p.Health(), cfg.Server, cfg.ShutdownTimeout, logger)
	return errors.Join(serveErr, p.Close())
}
