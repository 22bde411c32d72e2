package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/cinegraph/cinegraph/app"
	"github.com/cinegraph/cinegraph/internal/config"
)

// commonFlags are the flags every command that loads configuration takes.
type commonFlags struct {
	configFile  string
	listen      string
	dataDir     string
	adminListen string
	// discovery is router --discovery etcd://host:port[,host:port]; only
	// runRouter registers the flag.
	discovery string
}

func newFlagSet(name string, stderr io.Writer, common *commonFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if common != nil {
		fs.StringVar(&common.configFile, "config", os.Getenv(config.FileEnv), "YAML config file (env CINEGRAPH_CONFIG)")
		fs.StringVar(&common.listen, "listen", "", "address to listen on (overrides config)")
		fs.StringVar(&common.dataDir, "data-dir", "", "where embedded data lives (overrides config)")
		fs.StringVar(&common.adminListen, "admin-listen", "", "address of the read-only admin listener: health, /metrics, and for serve and router /config, /subgraphs, /dedupe (overrides admin.listen)")
	}
	return fs
}

// load reads the configuration: defaults, file, environment, then flags.
func (c commonFlags) load() (config.Config, error) {
	cfg, err := config.Load(c.configFile, os.Environ())
	if err != nil {
		return config.Config{}, err
	}
	if c.listen != "" {
		cfg.Listen = c.listen
	}
	if c.dataDir != "" {
		cfg.DataDir = c.dataDir
	}
	if c.adminListen != "" {
		cfg.Admin.Listen = c.adminListen
	}
	if c.discovery != "" {
		endpoints, err := app.EtcdEndpoints(c.discovery)
		if err != nil {
			return config.Config{}, fmt.Errorf("-discovery: %w", err)
		}
		cfg.Router.Discovery.Mode = config.DiscoveryModeEtcd
		cfg.Router.Discovery.Etcd.Endpoints = endpoints
	}
	if err := cfg.Validate(); err != nil {
		return config.Config{}, err
	}
	return cfg, nil
}

// watchReloads applies the configuration anew (apply) whenever the config
// file or the supergraph file changes, and on SIGHUP, until ctx is done. A
// configuration that does not load or apply is logged and the running one
// stays.
func (c commonFlags) watchReloads(ctx context.Context, cfg config.Config, logger *slog.Logger, apply func(config.Config) error) error {
	return app.WatchConfig(ctx, []string{c.configFile, cfg.Router.Supergraph}, logger, func() {
		next, err := c.load()
		if err == nil {
			err = apply(next)
		}
		if err != nil {
			logger.Error("configuration reload refused; the running configuration stays", "reason", err)
			return
		}
		logger.Info("configuration reloaded")
	})
}

func noArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected arguments %v", fs.Name(), fs.Args())
	}
	return nil
}
