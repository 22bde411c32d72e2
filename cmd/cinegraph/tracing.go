package main

import (
	"context"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/telemetry"
)

// tracingFlushTimeout bounds exporting the spans still queued at exit.
const tracingFlushTimeout = 5 * time.Second

// startTracing builds the process's tracing from cfg.Tracing and installs
// it (telemetry.Install) before anything that starts spans is built; role
// names the process (serve, router, or the subgraph). The function it
// returns flushes the spans still queued and stops the exporter: call it
// at exit.
func startTracing(ctx context.Context, cfg config.Config, role string, logger *slog.Logger) (stop func(), err error) {
	p, err := telemetry.New(ctx, cfg.Tracing, role)
	if err != nil {
		return nil, err
	}
	telemetry.Install(p)
	if !p.Enabled() {
		return func() {}, nil
	}
	// Export failures (an unreachable collector) go to the log, not to
	// stderr unstructured.
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { logger.Warn("tracing", "error", err) }))
	logger.Info("tracing", "exporter", cfg.Tracing.Exporter, "endpoint", cfg.Tracing.Endpoint,
		"service", telemetry.ServiceName(cfg.Tracing, role), "sampling_ratio", cfg.Tracing.SamplingRatio)
	return func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tracingFlushTimeout)
		defer cancel()
		if err := p.Shutdown(sctx); err != nil {
			logger.Warn("tracing: spans lost at exit", "error", err)
		}
	}, nil
}
