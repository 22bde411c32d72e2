// Package authz is the router's authorization stage: it enforces the
// supergraph's @authenticated, @requiresScopes and @policy on a normalized
// operation before it is planned, as Apollo Router does. Every field the
// client may not read is taken out of what is fetched, and listed with its
// response path and error code so the response can answer null there with
// an error; the rest of the operation is served.
//
// The stage works on the router's own types (supergraph, plan, auth) and
// knows nothing of the subgraphs behind them. Policies are decided by a
// function the router is given; this package only asks it.
//
// A client may read a field when it meets the requirement of the field, of
// the type that declares it and of the type it returns
// (supergraph.FieldAccess); a field selected on an interface must also meet
// the requirements of that field on every implementation, since the router
// cannot know beforehand which one the subgraph returns. An anonymous client
// meets no requirement (code UNAUTHENTICATED); an authenticated one that
// lacks the scopes or policies gets FORBIDDEN. A field whose whole selection
// is removed is removed too (its selection set would be empty), and answers
// null without an error of its own.
//
// Error paths are the response keys (aliases respected) from the root to the
// removed field, one per field location in the operation, without list
// indices: a field removed under a list is reported once, at the path of the
// list field followed by the field's key, however many items the list has.
// (Apollo Router reports field names and marks lists with "@"; response keys
// without markers keep the path a valid GraphQL response path.)
package authz

import (
	"context"
	"fmt"
	"slices"
	"strings"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/auth"
	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/vektah/gqlparser/v2/ast"
)

// PolicyFunc decides which of policies the identity is granted; a policy
// missing from the answer is not granted. It is never asked about an
// anonymous client, which is granted none.
type PolicyFunc func(ctx context.Context, id *auth.Identity, policies []string) map[string]bool

// Message is the message of every authorization error, as Apollo Router
// words it.
const Message = "Unauthorized field or type"

// Removed is one field location taken out of the operation.
type Removed struct {
	// Path is the response keys from the root to the field, without list
	// indices.
	Path []string
	// Field is the field as Type.field, the type being the one it was
	// selected on.
	Field string
	// Code is UNAUTHENTICATED for an anonymous client, FORBIDDEN otherwise.
	Code cgerrs.Code
}

// Guards is what one normalized operation asks of its client: the distinct
// requirements of its fields, and which fields ask which. It depends on the
// operation only, so it can be cached beside it; it is read-only once built.
type Guards struct {
	op       *plan.Operation
	reqs     []supergraph.Access
	policies []string
	sites    map[*plan.Field][]int
}

// Analyze finds the requirements of op's fields in sg.
func Analyze(sg *supergraph.Supergraph, op *plan.Operation) *Guards {
	g := &Guards{op: op, sites: map[*plan.Field][]int{}}
	index := map[string]int{}
	add := func(a supergraph.Access) int {
		k := fmt.Sprint(a)
		if i, ok := index[k]; ok {
			return i
		}
		index[k] = len(g.reqs)
		g.reqs = append(g.reqs, a)
		for _, alt := range a.Policies {
			for _, p := range alt {
				if !slices.Contains(g.policies, p) {
					g.policies = append(g.policies, p)
				}
			}
		}
		return len(g.reqs) - 1
	}
	var walk func(sels []plan.Selection, parent string)
	walk = func(sels []plan.Selection, parent string) {
		for _, s := range sels {
			if s.Fragment != nil {
				walk(s.Fragment.Selections, s.Fragment.TypeCondition)
				continue
			}
			f := s.Field
			if strings.HasPrefix(f.Name, "__") {
				continue // __typename and introspection: always readable
			}
			var site []int
			for _, typ := range owners(sg, parent) {
				if a := sg.FieldAccess(typ, f.Name); !a.Public() {
					if i := add(a); !slices.Contains(site, i) {
						site = append(site, i)
					}
				}
			}
			if site != nil {
				g.sites[f] = site
			}
			if len(f.Selections) > 0 && f.Type != nil {
				walk(f.Selections, f.Type.Name())
			}
		}
	}
	walk(op.Selections, op.RootType)
	slices.Sort(g.policies)
	return g
}

// owners are the types whose definition of a field selected on parent
// applies: parent, and for an interface every type implementing it.
func owners(sg *supergraph.Supergraph, parent string) []string {
	out := []string{parent}
	if def := sg.Schema.Types[parent]; def != nil && def.Kind == ast.Interface {
		for _, pt := range sg.Schema.PossibleTypes[parent] {
			if pt.Name != parent {
				out = append(out, pt.Name)
			}
		}
	}
	return out
}

// Public reports whether the operation reads nothing guarded: every client
// may run all of it.
func (g *Guards) Public() bool { return len(g.reqs) == 0 }

// Grants says which of an operation's requirements one client meets.
type Grants struct {
	met  []bool
	code cgerrs.Code // for the requirements not met
}

// Key is the same for two clients exactly when they meet the same
// requirements of the operation, so that whatever is built from the
// filtered operation (its plan) can be cached under it.
func (gr Grants) Key() string {
	var b strings.Builder
	b.Grow(len(gr.met) + 1)
	if gr.code == cgerrs.Unauthenticated {
		b.WriteByte('a')
	} else {
		b.WriteByte('i')
	}
	for _, ok := range gr.met {
		if ok {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	return b.String()
}

// Evaluate decides which requirements id meets. policies is asked once,
// about every policy the operation names, and only for an authenticated
// client; nil grants no policy.
func (g *Guards) Evaluate(ctx context.Context, id *auth.Identity, policies PolicyFunc) Grants {
	gr := Grants{met: make([]bool, len(g.reqs)), code: cgerrs.Forbidden}
	if id == nil {
		gr.code = cgerrs.Unauthenticated
		return gr // an anonymous client meets no requirement
	}
	var granted map[string]bool
	if policies != nil && len(g.policies) > 0 {
		granted = policies(ctx, id, slices.Clone(g.policies))
	}
	for i, a := range g.reqs {
		gr.met[i] = anyAll(a.Scopes, id.HasScope) && anyAll(a.Policies, func(p string) bool { return granted[p] })
	}
	return gr
}

// All grants every requirement of the operation: what a client meeting
// them all would be planned, as `cinegraph router plan` shows.
func (g *Guards) All() Grants {
	gr := Grants{met: make([]bool, len(g.reqs)), code: cgerrs.Forbidden}
	for i := range gr.met {
		gr.met[i] = true
	}
	return gr
}

// anyAll reports whether some alternative of dnf is held entirely; nil is
// no requirement.
func anyAll(dnf [][]string, held func(string) bool) bool {
	if dnf == nil {
		return true
	}
	for _, alt := range dnf {
		ok := true
		for _, x := range alt {
			if !held(x) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// Result is an operation filtered for one client.
type Result struct {
	// Plan is what to plan and fetch: the operation without the removed
	// fields. It is the operation itself when nothing was removed.
	Plan *plan.Operation
	// Shape is what to answer: every field of the operation, the removed
	// ones marked plan.Field.Withheld. It is the operation itself when
	// nothing was removed.
	Shape *plan.Operation
	// Removed are the field locations taken out, in operation order.
	Removed []Removed
}

// Nothing reports whether no root field is left to fetch (__typename and
// introspection aside, which the router answers itself).
func (r Result) Nothing() bool {
	var fetches func([]plan.Selection) bool
	fetches = func(sels []plan.Selection) bool {
		for _, s := range sels {
			if s.Fragment != nil {
				if fetches(s.Fragment.Selections) {
					return true
				}
			} else if !strings.HasPrefix(s.Field.Name, "__") {
				return true
			}
		}
		return false
	}
	return !fetches(r.Plan.Selections)
}

// Filter removes from the operation what gr does not grant.
func (g *Guards) Filter(gr Grants) Result {
	if len(g.sites) == 0 {
		return Result{Plan: g.op, Shape: g.op}
	}
	f := &filter{g: g, gr: gr, seen: map[string]bool{}}
	kept, shaped, changed := f.selections(g.op.Selections, g.op.RootType, nil)
	if !changed {
		return Result{Plan: g.op, Shape: g.op}
	}
	return Result{Plan: g.op.WithSelections(kept), Shape: g.op.WithSelections(shaped), Removed: f.removed}
}

// Filter is Analyze, Evaluate and Filter in one go, for one request.
func Filter(ctx context.Context, sg *supergraph.Supergraph, op *plan.Operation, id *auth.Identity, policies PolicyFunc) Result {
	g := Analyze(sg, op)
	if g.Public() {
		return Result{Plan: op, Shape: op}
	}
	return g.Filter(g.Evaluate(ctx, id, policies))
}

type filter struct {
	g       *Guards
	gr      Grants
	removed []Removed
	seen    map[string]bool // removed paths already reported
}

func (f *filter) allowed(fl *plan.Field) bool {
	for _, i := range f.g.sites[fl] {
		if !f.gr.met[i] {
			return false
		}
	}
	return true
}

// selections filters sels, selected on parent at path: kept is what to
// fetch, shaped what to answer; changed reports whether anything was
// removed (kept and shaped are then new slices, sels is never modified).
func (f *filter) selections(sels []plan.Selection, parent string, path []string) (kept, shaped []plan.Selection, changed bool) {
	kept = make([]plan.Selection, 0, len(sels))
	shaped = make([]plan.Selection, 0, len(sels))
	for _, s := range sels {
		if s.Fragment != nil {
			k, sh, ch := f.selections(s.Fragment.Selections, s.Fragment.TypeCondition, path)
			if !ch {
				kept = append(kept, s)
				shaped = append(shaped, s)
				continue
			}
			changed = true
			if len(k) > 0 {
				kept = append(kept, plan.Selection{Fragment: &plan.Fragment{TypeCondition: s.Fragment.TypeCondition, Selections: k}})
			}
			shaped = append(shaped, plan.Selection{Fragment: &plan.Fragment{TypeCondition: s.Fragment.TypeCondition, Selections: sh}})
			continue
		}
		fl := s.Field
		if strings.HasPrefix(fl.Name, "__") {
			kept = append(kept, s)
			shaped = append(shaped, s)
			continue
		}
		at := append(path[:len(path):len(path)], fl.ResponseKey())
		if !f.allowed(fl) {
			changed = true
			f.remove(at, parent+"."+fl.Name)
			shaped = append(shaped, withheld(fl))
			continue
		}
		if len(fl.Selections) == 0 || fl.Type == nil {
			kept = append(kept, s)
			shaped = append(shaped, s)
			continue
		}
		k, sh, ch := f.selections(fl.Selections, fl.Type.Name(), at)
		if !ch {
			kept = append(kept, s)
			shaped = append(shaped, s)
			continue
		}
		changed = true
		if len(k) == 0 {
			// Nothing of it is left to select: it goes too, and answers null.
			shaped = append(shaped, withheld(fl))
			continue
		}
		kf, sf := *fl, *fl
		kf.Selections, sf.Selections = k, sh
		kept = append(kept, plan.Selection{Field: &kf})
		shaped = append(shaped, plan.Selection{Field: &sf})
	}
	return kept, shaped, changed
}

func (f *filter) remove(path []string, field string) {
	k := strings.Join(path, "\x00")
	if f.seen[k] {
		return
	}
	f.seen[k] = true
	f.removed = append(f.removed, Removed{Path: path, Field: field, Code: f.gr.code})
}

// withheld is a copy of fl marked as removed.
func withheld(fl *plan.Field) plan.Selection {
	c := *fl
	c.Withheld = true
	return plan.Selection{Field: &c}
}
