// Package logging builds the structured logger (log/slog) of a Cinegraph
// process from its configuration: text for people, JSON for log pipelines.
// Either format goes through Handler, which adds to every line written
// with a request's context (ErrorContext, WarnContext, InfoContext...) the
// trace and span ids of its OpenTelemetry span and the attributes stored
// in the context with With: the request id, the operation name.
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
		return slog.New(NewHandler(slog.NewJSONHandler(w, opts)))
	}
	return slog.New(NewHandler(slog.NewTextHandler(w, opts)))
}
