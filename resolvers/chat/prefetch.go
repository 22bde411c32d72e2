package chat

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/cinegraph/cinegraph/subgraphs/chat/loaders"
	"github.com/cinegraph/cinegraph/subgraphs/chat/service"
)

// prefetch loads, for a list of parents, what the operation selects below
// them: one batched service call per relation and level, whose results are
// primed into the request's loaders before the field resolvers run. The
// resolvers then find everything cached, so a page costs the same few store
// calls however the field goroutines happen to be scheduled (a loader's
// time window alone can be missed by a goroutine stalled on a busy
// machine). Failures are left to the resolvers, which load again and
// report them on their own fields.
type prefetch struct {
	op    *graphql.OperationContext
	svc   *service.Service
	l     *loaders.Loaders
	known map[string]*service.Room // rooms primed so far, by id
}

// prefetcher returns a prefetch for ctx's operation, ok false when there is
// nothing to gain: no operation in ctx, or loaders that do not cache.
func (r *Resolver) prefetcher(ctx context.Context) (*prefetch, bool) {
	if !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return nil, false
	}
	l := loaders.For(ctx, r.Service)
	if !l.Cached() {
		return nil, false
	}
	return &prefetch{op: graphql.GetOperationContext(ctx), svc: r.Service, l: l, known: map[string]*service.Room{}}, true
}

// here returns the current field's selection on objects of type typ.
func here(ctx context.Context, typ string) []graphql.CollectedField {
	return graphql.CollectFieldsCtx(ctx, []string{typ})
}

// below returns the merged selections, on objects of type typ, of every
// field in fields named name (aliases included).
func (p *prefetch) below(fields []graphql.CollectedField, name, typ string) []graphql.CollectedField {
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

// titles primes the rooms of titleIDs, and what fields (on Title) select
// below them.
func (p *prefetch) titles(ctx context.Context, titleIDs []string, fields []graphql.CollectedField) {
	if len(titleIDs) == 0 || !selects(fields, "chatRoom") {
		return
	}
	rooms, err := p.svc.RoomsByTitleIDs(ctx, titleIDs)
	if err != nil {
		return
	}
	for i, id := range titleIDs {
		p.l.RoomByTitle.Prime(id, rooms[i])
	}
	p.rooms(ctx, rooms, p.below(fields, "chatRoom", "ChatRoom"))
}

// rooms primes rooms, and what fields (on ChatRoom) select below them.
func (p *prefetch) rooms(ctx context.Context, rooms []*service.Room, fields []graphql.CollectedField) {
	var ids []string
	seen := map[string]bool{}
	for _, r := range rooms {
		if r == nil || seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		ids = append(ids, r.ID)
		p.known[r.ID] = r
		p.l.RoomByID.Prime(r.ID, r)
	}
	if len(ids) == 0 {
		return
	}
	if selects(fields, "messageCount", "lastMessageAt") {
		if stats, err := p.svc.RoomStats(ctx, ids); err == nil {
			for i, id := range ids {
				p.l.RoomStats.Prime(id, stats[i])
			}
		}
	}
	for _, f := range fields {
		if f.Name == "messages" {
			p.pages(ctx, ids, f)
		}
	}
}

// pages primes one ChatRoom.messages selection for every room in ids, and
// what its nodes select.
func (p *prefetch) pages(ctx context.Context, ids []string, f graphql.CollectedField) {
	args := f.ArgumentMap(p.op.Variables)
	first := defaultMessagesFirst
	if raw, ok := args["first"]; ok && raw != nil {
		n, err := graphql.UnmarshalInt(raw)
		if err != nil {
			return
		}
		first = n
	}
	var before *string
	if raw, ok := args["before"].(string); ok {
		before = &raw
	}
	qs := make([]service.PageQuery, len(ids))
	for i, id := range ids {
		q, err := p.svc.PageQuery(id, first, before)
		if err != nil {
			return // the resolver reports it
		}
		qs[i] = q
	}
	pages, err := p.svc.MessagePages(ctx, qs)
	if err != nil {
		return
	}
	var msgs []*service.Message
	for i, q := range qs {
		p.l.MessagePage.Prime(q, pages[i])
		for j := range pages[i].Messages {
			msgs = append(msgs, &pages[i].Messages[j])
		}
	}
	edges := p.below([]graphql.CollectedField{f}, "edges", "MessageEdge")
	p.messages(ctx, msgs, p.below(edges, "node", "Message"))
}

// messages primes what fields (on Message) select below msgs: their rooms.
func (p *prefetch) messages(ctx context.Context, msgs []*service.Message, fields []graphql.CollectedField) {
	if len(msgs) == 0 || !selects(fields, "room") {
		return
	}
	var rooms []*service.Room
	var missing []string
	seen := map[string]bool{}
	for _, m := range msgs {
		if m == nil || seen[m.RoomID] {
			continue
		}
		seen[m.RoomID] = true
		if r, ok := p.known[m.RoomID]; ok {
			rooms = append(rooms, r)
		} else {
			missing = append(missing, m.RoomID)
		}
	}
	if len(missing) > 0 {
		found, err := p.svc.RoomsByIDs(ctx, missing)
		if err != nil {
			return
		}
		rooms = append(rooms, found...)
	}
	p.rooms(ctx, rooms, p.below(fields, "room", "ChatRoom"))
}
