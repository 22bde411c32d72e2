package chat

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cinegraph/cinegraph/subgraphs/chat/chatloaders"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// The loaders prefetch what an operation selects below a list of parents;
// these functions only read that selection off the operation into the
// loaders' plans.

// prefetchRooms has the loaders prefetch what is selected below rooms.
func prefetchRooms(ctx context.Context, rooms []*chatservice.Room) {
	if p, ok := plannerFor(ctx); ok {
		chatloaders.For(ctx).PrefetchRooms(ctx, rooms, p.room(here(ctx, "ChatRoom")))
	}
}

// prefetchMessages has the loaders prefetch what is selected below msgs.
func prefetchMessages(ctx context.Context, msgs []*chatservice.Message) {
	if p, ok := plannerFor(ctx); ok {
		chatloaders.For(ctx).PrefetchMessages(ctx, msgs, p.message(here(ctx, "Message")))
	}
}

// prefetchTitles has the loaders prefetch what is selected below titles.
func prefetchTitles(ctx context.Context, titleIDs []string) {
	if p, ok := plannerFor(ctx); ok {
		chatloaders.For(ctx).PrefetchTitles(ctx, titleIDs, p.title(here(ctx, "Title")))
	}
}

// planner reads selections of one operation.
type planner struct {
	op *graphql.OperationContext
}

// plannerFor returns a planner for ctx's operation, ok false outside a
// resolved field.
func plannerFor(ctx context.Context) (planner, bool) {
	if !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return planner{}, false
	}
	return planner{op: graphql.GetOperationContext(ctx)}, true
}

// here returns the current field's selection on objects of type typ.
func here(ctx context.Context, typ string) []graphql.CollectedField {
	return graphql.CollectFieldsCtx(ctx, []string{typ})
}

// below returns the merged selections, on objects of type typ, of every
// field in fields named name (aliases included).
func (p planner) below(fields []graphql.CollectedField, name, typ string) []graphql.CollectedField {
	var out []graphql.CollectedField
	for _, f := range fields {
		if f.Name == name {
			out = append(out, graphql.CollectFields(p.op, f.Selections, []string{typ})...)
		}
	}
	return out
}

func selects(fields []graphql.CollectedField, names ...string) bool {
	for _, f := range fields {
		for _, n := range names {
			if f.Name == n {
				return true
			}
		}
	}
	return false
}

// title reads what fields (on Title) select.
func (p planner) title(fields []graphql.CollectedField) chatloaders.TitlePlan {
	if !selects(fields, "chatRoom") {
		return chatloaders.TitlePlan{}
	}
	room := p.room(p.below(fields, "chatRoom", "ChatRoom"))
	return chatloaders.TitlePlan{Room: &room}
}

// room reads what fields (on ChatRoom) select.
func (p planner) room(fields []graphql.CollectedField) chatloaders.RoomPlan {
	plan := chatloaders.RoomPlan{Stats: selects(fields, "messageCount", "lastMessageAt")}
	for _, f := range fields {
		if f.Name != "messages" {
			continue
		}
		if page, ok := p.page(f); ok {
			plan.Messages = append(plan.Messages, page)
		}
	}
	return plan
}

// page reads one ChatRoom.messages selection; ok is false when its first
// argument is not an int, which its resolver reports.
func (p planner) page(f graphql.CollectedField) (chatloaders.PagePlan, bool) {
	args := f.ArgumentMap(p.op.Variables)
	first := defaultMessagesFirst
	if raw, ok := args["first"]; ok && raw != nil {
		n, err := graphql.UnmarshalInt(raw)
		if err != nil {
			return chatloaders.PagePlan{}, false
		}
		first = n
	}
	var before *string
	if raw, ok := args["before"].(string); ok {
		before = &raw
	}
	edges := p.below([]graphql.CollectedField{f}, "edges", "MessageEdge")
	return chatloaders.PagePlan{First: first, Before: before, Nodes: p.message(p.below(edges, "node", "Message"))}, true
}

// message reads what fields (on Message) select.
func (p planner) message(fields []graphql.CollectedField) chatloaders.MessagePlan {
	if !selects(fields, "room") {
		return chatloaders.MessagePlan{}
	}
	room := p.room(p.below(fields, "room", "ChatRoom"))
	return chatloaders.MessagePlan{Room: &room}
}
