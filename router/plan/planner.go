package plan

import (
	"fmt"
	"strings"

	"github.com/cinegraph/cinegraph/router/supergraph"
	"github.com/vektah/gqlparser/v2/ast"
)

// Planner builds query plans against one supergraph.
type Planner struct {
	sg      *supergraph.Supergraph
	applies Applies
}

// New returns a Planner for sg.
func New(sg *supergraph.Supergraph) *Planner {
	return &Planner{sg: sg, applies: SchemaApplies(sg.Schema)}
}

// maxRequirementDepth bounds chains of entity jumps made only to collect
// keys or @requires fields; deeper chains mean the supergraph has a cycle.
const maxRequirementDepth = 32

// Build plans op.
func (p *Planner) Build(op *Operation) (*QueryPlan, error) {
	prefix := op.internalPrefix
	if prefix == "" {
		prefix = defaultInternalPrefix
	}
	b := &builder{Planner: p, op: op, prefix: prefix, rootByGraph: map[string]*group{}, keyInProgress: map[string]bool{}, levels: map[string]*level{}, reach: map[string][]string{}}
	if err := b.planRoot(); err != nil {
		return nil, err
	}
	node, err := b.node()
	if err != nil {
		return nil, err
	}
	return &QueryPlan{Node: node, Operation: op}, nil
}

type group struct {
	id       int
	renames  []*Rename
	graph    string
	entity   bool
	path     []string
	parent   *group
	sel      *selSet
	reps     []*RepType
	deps     []*group
	children map[string]*group
}

func (g *group) addDep(d *group) {
	if d == g {
		return
	}
	for _, x := range g.deps {
		if x == d {
			return
		}
	}
	g.deps = append(g.deps, d)
}

func (g *group) rep(typeName string) *RepType {
	for _, r := range g.reps {
		if r.TypeName == typeName {
			return r
		}
	}
	r := &RepType{TypeName: typeName}
	g.reps = append(g.reps, r)
	return r
}

type builder struct {
	*Planner
	op          *Operation
	groups      []*group
	roots       []*group
	rootByGraph map[string]*group
	// keyInProgress guards against planning a key through a chain of entity
	// fetches that comes back to itself.
	keyInProgress map[string]bool
	// prefix starts every response key the planner invents.
	prefix string
	// levels holds, per level of the response tree (a path), the keys
	// taken there, so that added fields never collide with other fields.
	levels map[string]*level
	// reach holds, per path and type, the subgraphs that could resolve the
	// field leading to the objects of that type there (see fieldCandidates).
	reach map[string][]string
}

func (b *builder) newGroup(graph string, parent *group, path []string) *group {
	g := &group{id: len(b.groups), graph: graph, entity: parent != nil, path: path, parent: parent, sel: &selSet{}, children: map[string]*group{}}
	if parent != nil {
		g.addDep(parent)
	}
	b.groups = append(b.groups, g)
	return g
}

func isIntrospectionRoot(name string) bool {
	return name == "__typename" || name == "__schema" || name == "__type"
}

func (b *builder) planRoot() error {
	root := b.op.RootType
	cfs := CollectFields(b.op.Selections, root, b.applies)
	byGraph := b.rootByGraph
	for _, cf := range cfs {
		f := cf.First()
		if isIntrospectionRoot(f.Name) {
			continue
		}
		cands := b.sg.FieldGraphs(root, f.Name)
		if len(cands) == 0 {
			return fmt.Errorf("field %s.%s is not resolved by any subgraph", root, f.Name)
		}
		var g *group
		if b.op.Kind == ast.Mutation {
			// Mutation fields run in order; neighbours on one subgraph share a fetch.
			if n := len(b.roots); n > 0 && contains(cands, b.roots[n-1].graph) {
				g = b.roots[n-1]
			}
		} else {
			// The cheapest subgraph wins; among equals, one already queried.
			best, bestCost := "", -1
			for _, c := range cands {
				cost := b.cost(c, cf.First().Type, cf.SubSelections(), 0)
				if bestCost < 0 || cost < bestCost || (cost == bestCost && byGraph[c] != nil && byGraph[best] == nil) {
					best, bestCost = c, cost
				}
			}
			g = byGraph[best]
		}
		if g == nil {
			graph := b.cheapest(cands, root, cf)
			g = b.newGroup(graph, nil, nil)
			b.roots = append(b.roots, g)
			byGraph[graph] = g
		}
		if _, err := b.planFields(g, g.sel, root, []*CollectedField{cf}, nil, nil, 0); err != nil {
			return err
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cheapest picks the candidate subgraph that can resolve most of the
// field's sub-selection itself; ties go to supergraph order.
func (b *builder) cheapest(cands []string, typ string, cf *CollectedField) string {
	best, bestCost := cands[0], -1
	for _, c := range cands {
		cost := b.cost(c, cf.First().Type, cf.SubSelections(), 0)
		if bestCost < 0 || cost < bestCost {
			best, bestCost = c, cost
		}
	}
	return best
}

// cost counts the fields under sels that graph cannot resolve itself.
func (b *builder) cost(graph string, t *ast.Type, sels []Selection, depth int) int {
	if t == nil || len(sels) == 0 || depth > 8 {
		return 0
	}
	n := 0
	for _, obj := range b.sg.PossibleTypes(graph, t.Name()) {
		for _, cf := range CollectFields(sels, obj, b.applies) {
			f := cf.First()
			if f.Name == "__typename" {
				continue
			}
			r, ok := b.sg.Resolve(graph, obj, f.Name)
			if !ok || r.Requires != nil {
				n++
				continue
			}
			n += b.cost(graph, f.Type, cf.SubSelections(), depth+1)
		}
	}
	return n
}

// providedField finds name among the fields a @provides makes available
// on objects of type typ.
func (b *builder) providedField(provided ast.SelectionSet, typ, name string) *ast.Field {
	for _, s := range provided {
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == name {
				return s
			}
		case *ast.InlineFragment:
			if s.TypeCondition == "" || b.applies(s.TypeCondition, typ) {
				if f := b.providedField(s.SelectionSet, typ, name); f != nil {
					return f
				}
			}
		}
	}
	return nil
}

// planFields plans the fields of objects of type typ that group g fetches
// into out. path locates the objects in the response. It returns the groups
// that end up fetching the fields.
func (b *builder) planFields(g *group, out *selSet, typ string, cfs []*CollectedField, path []string, provided ast.SelectionSet, depth int) (map[*group]bool, error) {
	if depth > maxRequirementDepth {
		return nil, fmt.Errorf("cannot plan %s at %s: requirements nest too deep", typ, strings.Join(path, "."))
	}
	prod := map[*group]bool{}
	for _, cf := range cfs {
		f := cf.First()
		if f.Name == "__typename" {
			if f.internal {
				out.field(f.Alias, "__typename", nil, false)
			}
			prod[g] = true
			continue
		}
		if pf := b.providedField(provided, typ, f.Name); pf != nil {
			item := out.field(f.DataKey(), f.Name, f.Arguments, f.Selections != nil || isComposite(b.sg, f.Type))
			if err := b.planSub(g, item, typ, cf, path, pf.SelectionSet, depth, prod); err != nil {
				return nil, err
			}
			prod[g] = true
			continue
		}
		if r, ok := b.sg.Resolve(g.graph, typ, f.Name); ok && r.Requires == nil {
			local, rest := b.splitUnreachable(g.graph, cf, r.Provides)
			item := out.field(f.DataKey(), f.Name, f.Arguments, isComposite(b.sg, f.Type))
			if err := b.planSub(g, item, typ, local, path, r.Provides, depth, prod); err != nil {
				return nil, err
			}
			prod[g] = true
			if len(rest) > 0 {
				more, err := b.planElsewhere(g, out, typ, cf, rest, path, provided, depth, g.graph)
				if err != nil {
					return nil, err
				}
				for x := range more {
					prod[x] = true
				}
			}
			continue
		}
		more, err := b.jump(g, out, typ, cf, path, provided, depth, "")
		if err != nil {
			return nil, err
		}
		for x := range more {
			prod[x] = true
		}
	}
	return prod, nil
}

func isComposite(sg *supergraph.Supergraph, t *ast.Type) bool {
	if t == nil {
		return false
	}
	d := sg.Schema.Types[t.Name()]
	return d != nil && d.IsCompositeType()
}

// subPath extends path with the field's key and one "@" per list level.
func subPath(path []string, key string, t *ast.Type) []string {
	out := make([]string, len(path), len(path)+3)
	copy(out, path)
	out = append(out, key)
	for t != nil && t.Elem != nil {
		out = append(out, "@")
		t = t.Elem
	}
	return out
}

// planSub plans the sub-selection of a field g fetches.
// Groups fetching anything under the field are added to prod, so that
// representations needing nested fields wait for all of them.
func (b *builder) planSub(g *group, item *selItem, parent string, cf *CollectedField, path []string, provided ast.SelectionSet, depth int, prod map[*group]bool) error {
	f := cf.First()
	if item.sub == nil {
		return nil
	}
	def := b.sg.Schema.Types[f.Type.Name()]
	sp := subPath(path, f.DataKey(), f.Type)
	subs := cf.SubSelections()
	cands := b.fieldCandidates(g.graph, parent, f.Name, path)
	if def.Kind == ast.Object {
		b.setCandidates(sp, def.Name, cands)
		cfs := CollectFields(subs, def.Name, b.applies)
		more, err := b.planFields(g, item.sub, def.Name, cfs, sp, provided, depth)
		for x := range more {
			prod[x] = true
		}
		return err
	}
	// Abstract: ask for the runtime type and plan per possible type.
	item.sub.field("", "__typename", nil, false)
	if b.sg.IsInterfaceObject(g.graph, def.Name) {
		return b.planInterfaceObject(g, item, def.Name, subs, sp, provided, depth)
	}
	possible := b.sg.PossibleTypes(g.graph, def.Name)
	if own := b.sg.FieldTypeIn(g.graph, parent, f.Name); own != "" && own != def.Name {
		// The subgraph declares a narrower type (an object or a smaller
		// interface); only its possible types can come back, and fragments
		// on others would not validate there.
		possible = b.sg.PossibleTypes(g.graph, own)
	}
	if def.Kind == ast.Union {
		possible = b.commonMembers(def.Name, possible, cands)
	}
	b.setCandidates(sp, def.Name, cands)
	for _, obj := range possible {
		b.setCandidates(sp, obj, cands)
	}
	if def.Kind == ast.Interface && len(possible) > 0 && b.interfaceLevel(g.graph, def.Name, possible, subs, provided) {
		// Every implementation resolves the selection here the same way:
		// ask on the interface, as the client did, instead of per type.
		var cfs []*CollectedField
		collectInto(&cfs, map[string]int{}, subs, def.Name, b.applies, true)
		more, err := b.planFields(g, item.sub, def.Name, cfs, sp, provided, depth)
		for x := range more {
			prod[x] = true
		}
		return err
	}
	if len(possible) == 0 && def.Kind == ast.Interface {
		// The subgraph knows no implementation: only the interface's own
		// fields can be asked, and they must resolve here or via a key.
		var cfs []*CollectedField
		collectInto(&cfs, map[string]int{}, subs, def.Name, b.applies, true)
		more, err := b.planFields(g, item.sub, def.Name, cfs, sp, provided, depth)
		for x := range more {
			prod[x] = true
		}
		return err
	}
	for _, obj := range possible {
		cfs := CollectFields(subs, obj, b.applies)
		if onlyTypename(cfs) {
			continue
		}
		frag := item.sub.fragment(obj)
		more, err := b.planFields(g, frag, obj, cfs, sp, provided, depth)
		if err != nil {
			return err
		}
		for x := range more {
			prod[x] = true
		}
	}
	b.aliasConflicts(g, item.sub, sp)
	return nil
}
