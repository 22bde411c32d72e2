package chatloaders

import (
	"context"

	"github.com/cinegraph/cinegraph/internal/dataload"
	"github.com/cinegraph/cinegraph/subgraphs/chat/chatservice"
)

// The Prefetch methods load, for a list of parents, what an operation
// selects below them: one batched service call per relation and level,
// whose results are primed into the loaders before the field resolvers run.
// The resolvers then find everything cached, so a page costs the same few
// store calls however the field goroutines happen to be scheduled (a
// loader's time window alone can be missed by a goroutine stalled on a busy
// machine). Failures are left to the resolvers, which load again and
// report them on their own fields; uncached loaders prefetch nothing. Each
// batched call is spanned as its loader's batches are
// (dataload.StartBatch).
//
// The plans say what is selected; the resolvers read them off the
// operation.

// RoomPlan is what an operation selects on rooms.
type RoomPlan struct {
	// Stats is set when messageCount or lastMessageAt is selected.
	Stats bool
	// Messages holds one entry per messages(...) selection.
	Messages []PagePlan
}

// PagePlan is one ChatRoom.messages selection.
type PagePlan struct {
	// First and Before are the selection's arguments.
	First  int
	Before *string
	// Nodes is what the page's messages select.
	Nodes MessagePlan
}

// MessagePlan is what an operation selects on messages.
type MessagePlan struct {
	// Room is what is selected on the message's room; nil when the room is
	// not selected.
	Room *RoomPlan
}

// TitlePlan is what an operation selects on titles.
type TitlePlan struct {
	// Room is what is selected on the title's chat room; nil when it is not
	// selected.
	Room *RoomPlan
}

// PrefetchTitles primes the rooms of titleIDs and what plan selects below
// them.
func (l *Loaders) PrefetchTitles(ctx context.Context, titleIDs []string, plan TitlePlan) {
	if !l.cached || len(titleIDs) == 0 || plan.Room == nil {
		return
	}
	p := l.prefetch()
	bctx, batch := dataload.StartBatch(ctx, "RoomByTitle", len(titleIDs))
	rooms, err := l.svc.RoomsByTitleIDs(bctx, titleIDs)
	batch.End(err)
	if err != nil {
		return
	}
	for i, id := range titleIDs {
		l.RoomByTitle.Prime(id, rooms[i])
	}
	p.rooms(ctx, rooms, *plan.Room)
}

// PrefetchRooms primes rooms and what plan selects below them.
func (l *Loaders) PrefetchRooms(ctx context.Context, rooms []*chatservice.Room, plan RoomPlan) {
	if l.cached {
		l.prefetch().rooms(ctx, rooms, plan)
	}
}

// PrefetchMessages primes what plan selects below msgs: their rooms.
func (l *Loaders) PrefetchMessages(ctx context.Context, msgs []*chatservice.Message, plan MessagePlan) {
	if l.cached {
		l.prefetch().messages(ctx, msgs, plan)
	}
}

// prefetch is one prefetch pass; it remembers the rooms it primed, so a
// level below that leads back to them costs nothing.
type prefetch struct {
	l     *Loaders
	known map[string]*chatservice.Room
}

func (l *Loaders) prefetch() *prefetch {
	return &prefetch{l: l, known: map[string]*chatservice.Room{}}
}

func (p *prefetch) rooms(ctx context.Context, rooms []*chatservice.Room, plan RoomPlan) {
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
	if plan.Stats {
		bctx, batch := dataload.StartBatch(ctx, "RoomStats", len(ids))
		stats, err := p.l.svc.RoomStats(bctx, ids)
		batch.End(err)
		if err == nil {
			for i, id := range ids {
				p.l.RoomStats.Prime(id, stats[i])
			}
		}
	}
	for _, page := range plan.Messages {
		p.pages(ctx, ids, page)
	}
}

// pages primes one ChatRoom.messages selection for every room in ids, and
// what its nodes select.
func (p *prefetch) pages(ctx context.Context, ids []string, plan PagePlan) {
	qs := make([]chatservice.PageQuery, len(ids))
	for i, id := range ids {
		q, err := p.l.svc.PageQuery(id, plan.First, plan.Before)
		if err != nil {
			return // the resolver reports it
		}
		qs[i] = q
	}
	bctx, batch := dataload.StartBatch(ctx, "MessagePage", len(qs))
	pages, err := p.l.svc.MessagePages(bctx, qs)
	batch.End(err)
	if err != nil {
		return
	}
	var msgs []*chatservice.Message
	for i, q := range qs {
		p.l.MessagePage.Prime(q, pages[i])
		for j := range pages[i].Messages {
			msgs = append(msgs, &pages[i].Messages[j])
		}
	}
	p.messages(ctx, msgs, plan.Nodes)
}

func (p *prefetch) messages(ctx context.Context, msgs []*chatservice.Message, plan MessagePlan) {
	if len(msgs) == 0 || plan.Room == nil {
		return
	}
	var rooms []*chatservice.Room
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
		bctx, batch := dataload.StartBatch(ctx, "RoomByID", len(missing))
		found, err := p.l.svc.RoomsByIDs(bctx, missing)
		batch.End(err)
		if err != nil {
			return
		}
		rooms = append(rooms, found...)
	}
	p.rooms(ctx, rooms, *plan.Room)
}
