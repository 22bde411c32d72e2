// Package logging builds the structured logger (log/slog) of a Cinegraph
// process from its configuration: text for people, JSON for log pipelines.
package logging

import (
	"io"
	"log/slog"

	"github.com/cinegraph/cinegraph/internal/config"
)

// New returns a logger writing to w at the configured level and format.
func New(w io.Writer, cfg config.Log) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Level)) // validated by config
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
