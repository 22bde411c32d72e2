// Package chat holds the chat subgraph's resolvers: thin functions that read
// arguments, call the chat service, its dataloaders or the live hub, and
// convert the results.
package chat

import (
	"log/slog"

	"github.com/cinegraph/cinegraph/subgraphs/chat/chatlive"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

//go:generate go run ../../internal/codegen -subgraph chat

// Resolver is the root resolver; its fields are the chat's dependencies.
type Resolver struct {
	Service *chatservice.Service
	Hub     *chatlive.Hub
	Logger  *slog.Logger
}
