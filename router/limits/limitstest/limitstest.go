// Package limitstest holds hostile GraphQL requests and a small fake
// federation that makes them costly, so that the router's tests and the
// attack benchmark (bench/attacks) send the same attacks to the same
// subgraphs.
//
// The federation has two subgraphs that each own one half of a loop:
// catalog resolves Query.title, Query.titles and Video.title, video
// resolves Title.videos. A query that walks title.videos.title.videos...
// therefore costs one entity fetch per level, and every title has Fanout
// videos, so the data multiplies by Fanout every second level.
package limitstest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/cinegraph/cinegraph/router/compose"
	"github.com/cinegraph/cinegraph/router/fetch"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize"])
`

// Supergraph composes the fake federation.
func Supergraph() (string, error) {
	return compose.Compose([]compose.Subgraph{
		{Name: "catalog", URL: "http://catalog.invalid/graphql", SDL: link + `
			type Query { title(id: ID!): Title titles(first: Int!): [Title!]! @listSize(slicingArguments: ["first"]) }
			type Title @key(fields: "id") { id: ID! name: String! description: String }
			type Video @key(fields: "id") { id: ID! title: Title! }`},
		{Name: "video", URL: "http://video.invalid/graphql", SDL: link + `
			type Title @key(fields: "id") { id: ID! videos: [Video!]! }
			type Video @key(fields: "id") { id: ID! name: String! }`},
	})
}

// Subgraphs answers for both subgraphs of the fake federation, whatever
// they are asked, as fetch.Subgraphs. Every object it returns is new, as
// a real subgraph's would be.
type Subgraphs struct {
	// Fanout is the number of videos of each title; 0 means 8.
	Fanout int
	// MaxList caps the titles one titles(first:) returns, as a subgraph
	// caps its pages; 0 means 1,000,000.
	MaxList int

	fetches atomic.Int64
	ids     atomic.Int64
}

var _ fetch.Subgraphs = (*Subgraphs)(nil)

// Fetches is the number of fetches answered so far.
func (s *Subgraphs) Fetches() int64 { return s.fetches.Load() }

// Fetch implements fetch.Subgraphs. Like the router's HTTP fetchers, it
// stops at the request's allowance (fetch.WithAllowance) instead of
// building the rest of a response the router would not read, and it
// reports how long the response would have been as JSON.
func (s *Subgraphs) Fetch(ctx context.Context, subgraph string, req *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
	s.fetches.Add(1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: req.Query})
	if err != nil || len(doc.Operations) != 1 {
		return nil, fmt.Errorf("fake subgraph: bad query %q: %v", req.Query, err)
	}
	b := &builder{s: s, left: math.MaxInt64}
	if left, ok := fetch.Allowance(ctx); ok {
		b.left = left
	}
	data := map[string]any{}
	for _, f := range fields(doc.Operations[0].SelectionSet, "Query") {
		switch f.Name {
		case "_entities":
			reps, _ := req.Variables["representations"].([]json.RawMessage)
			ents := make([]any, len(reps))
			for i, raw := range reps {
				var rep struct {
					Typename string `json:"__typename"`
					ID       string `json:"id"`
				}
				if err := json.Unmarshal(raw, &rep); err != nil {
					return nil, fmt.Errorf("fake subgraph: representation %s: %w", raw, err)
				}
				ents[i] = b.object(rep.Typename, rep.ID, f.SelectionSet)
			}
			data[f.Alias] = ents
		case "title":
			data[f.Alias] = b.object("Title", s.id(), f.SelectionSet)
		case "titles":
			n, _ := strconv.Atoi(argument(f, "first", req.Variables))
			limit := s.MaxList
			if limit <= 0 {
				limit = 1_000_000
			}
			l := make([]any, min(max(n, 0), limit))
			for i := range l {
				l[i] = b.object("Title", s.id(), f.SelectionSet)
			}
			data[f.Alias] = l
		}
		if b.used > b.left {
			return nil, fmt.Errorf("response from %s: %w (%d bytes)", subgraph, fetch.ErrOverAllowance, b.left)
		}
	}
	return &wire.SubgraphResponse{Data: data, Bytes: int(b.used) + len(`{"data":}`)}, nil
}

// builder builds one response, counting its length as JSON, and stops
// building once that goes over left.
type builder struct {
	s          *Subgraphs
	used, left int64
}

// object resolves the selection on the object typ id.
func (b *builder) object(typ, id string, ss ast.SelectionSet) map[string]any {
	b.used += 2
	if b.used > b.left {
		return nil
	}
	out := map[string]any{}
	for _, f := range fields(ss, typ) {
		b.used += int64(len(f.Alias)) + 4
		switch f.Name {
		case "__typename":
			out[f.Alias] = typ
			b.used += int64(len(typ))
		case "id":
			out[f.Alias] = id
			b.used += int64(len(id))
		case "name", "description":
			v := f.Name + " of " + id
			out[f.Alias] = v
			b.used += int64(len(v))
		case "videos":
			fanout := b.s.Fanout
			if fanout <= 0 {
				fanout = 8
			}
			l := make([]any, fanout)
			for i := range l {
				l[i] = b.object("Video", b.s.id(), f.SelectionSet)
			}
			out[f.Alias] = l
			b.used += int64(fanout) + 1
		case "title":
			out[f.Alias] = b.object("Title", b.s.id(), f.SelectionSet)
		}
	}
	return out
}

func (s *Subgraphs) id() string { return strconv.FormatInt(s.ids.Add(1), 36) }

// fields lists the fields of ss that apply to typ, through inline
// fragments (the router sends no named fragments).
func fields(ss ast.SelectionSet, typ string) []*ast.Field {
	var out []*ast.Field
	for _, sel := range ss {
		switch sel := sel.(type) {
		case *ast.Field:
			out = append(out, sel)
		case *ast.InlineFragment:
			if sel.TypeCondition == "" || sel.TypeCondition == typ {
				out = append(out, fields(sel.SelectionSet, typ)...)
			}
		}
	}
	return out
}

func argument(f *ast.Field, name string, vars map[string]any) string {
	a := f.Arguments.ForName(name)
	if a == nil || a.Value == nil {
		return ""
	}
	if a.Value.Kind == ast.Variable {
		return fmt.Sprint(vars[a.Value.Raw])
	}
	return a.Value.Raw
}

// Attack is one hostile request.
type Attack struct {
	Name  string
	Query string
	// Limit is the limit that refuses the attack under the default limits
	// (limits.Tokens, limits.Depth, ..., limits.Cost, or "response size"
	// for one refused only once its data grows too large). Attacks that
	// build their cost from data are refused by their estimated cost
	// before any fetch: the fake catalog sizes titles(first:) with
	// @listSize, and title.videos counts as the default list size.
	Limit string
}

// Attacks are the requests that cost an unbounded router the most: each
// is small on the wire. Their Limit holds for the default limits and a
// zero Subgraphs, and for smaller responses and data alike.
func Attacks() []Attack {
	return []Attack{
		{Name: "fragment bomb", Query: FragmentBomb(30), Limit: "field"},
		{Name: "doubling through data", Query: Chain(22), Limit: "cost"},
		{Name: "10,000 aliases", Query: Aliases(10_000), Limit: "token"},
		{Name: "150 aliases", Query: Aliases(150), Limit: "alias"},
		{Name: "15,000 __typename", Query: "{" + strings.Repeat(" __typename", 15_000) + " }", Limit: "token"},
		{Name: "999 __typename", Query: `{ title(id: "t") {` + strings.Repeat(" __typename", 999) + " } }", Limit: "repeated field"},
		{Name: "depth 300", Query: Chain(300), Limit: "depth"},
		{Name: "huge response", Query: `{ titles(first: 1000000) { id name description } }`, Limit: "cost"},
	}
}

// FragmentBomb is a query of n+1 fragments, each spreading the previous
// one twice: it expands to 2^n copies of the first.
func FragmentBomb(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{ title(id: "t") { ...F%d } }`+"\nfragment F0 on Title { id name }\n", n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "fragment F%d on Title { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	return b.String()
}

// Chain is a query levels fields deep that walks title.videos.title...,
// each level asking for the name: legal, a few hundred bytes, and its data
// multiplies by Fanout every second level.
func Chain(levels int) string {
	var b strings.Builder
	b.WriteString(`{ title(id: "t") {`)
	open := 1
	for i := 1; i < levels-1; i++ {
		if i%2 == 1 {
			b.WriteString(" videos {")
		} else {
			b.WriteString(" title {")
		}
		open++
	}
	b.WriteString(" name")
	b.WriteString(strings.Repeat(" }", open))
	b.WriteString(" }")
	return b.String()
}

// Aliases asks for the same field under n aliases.
func Aliases(n int) string {
	var b strings.Builder
	b.WriteString(`{ title(id: "t") {`)
	for i := range n {
		fmt.Fprintf(&b, " a%d: name", i)
	}
	b.WriteString(" } }")
	return b.String()
}
