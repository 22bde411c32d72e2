package app

import (
	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/router/limits"
)

// limitsConfig is router.limits for the router.
func limitsConfig(l config.Limits) limits.Config {
	return limits.Config{
		MaxTokens: l.MaxTokens, MaxDepth: l.MaxDepth, MaxAliases: l.MaxAliases, MaxRootFields: l.MaxRootFields,
		MaxFields: l.MaxFields, MaxRepeats: l.MaxRepeats, MaxCost: l.MaxCost, ListSize: l.ListSize,
		MaxResponseBytes: l.MaxResponseBytes, Timeout: l.RequestTimeout,
		WarnOnly: l.WarnOnly,
	}
}
