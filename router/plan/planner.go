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
	b := &builder{Planner: p, op: op, rootByGraph: map[string]*group{}, keyInProgress: map[string]bool{}}
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

func reservedOf(cfs []*CollectedField) map[string]*Field {
	m := make(map[string]*Field, len(cfs))
	for _, cf := range cfs {
		m[cf.Key] = cf.First()
	}
	return m
}

func (b *builder) planRoot() error {
	root := b.op.RootType
	cfs := CollectFields(b.op.Selections, root, b.applies)
	reserved := reservedOf(cfs)
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
		if _, err := b.planFields(g, g.sel, root, []*CollectedField{cf}, nil, nil, reserved, 0); err != nil {
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
func (b *builder) planFields(g *group, out *selSet, typ string, cfs []*CollectedField, path []string, provided ast.SelectionSet, reserved map[string]*Field, depth int) (map[*group]bool, error) {
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
			item := out.field(f.Alias, f.Name, f.Arguments, f.Selections != nil || isComposite(b.sg, f.Type))
			if err := b.planSub(g, item, typ, cf, path, pf.SelectionSet, depth, prod); err != nil {
				return nil, err
			}
			prod[g] = true
			continue
		}
		if r, ok := b.sg.Resolve(g.graph, typ, f.Name); ok && r.Requires == nil {
			local, rest := b.splitUnreachable(g.graph, cf, r.Provides)
			item := out.field(f.Alias, f.Name, f.Arguments, isComposite(b.sg, f.Type))
			if err := b.planSub(g, item, typ, local, path, r.Provides, depth, prod); err != nil {
				return nil, err
			}
			prod[g] = true
			if len(rest) > 0 {
				more, err := b.planElsewhere(g, out, typ, cf, rest, path, provided, reserved, depth, g.graph)
				if err != nil {
					return nil, err
				}
				for x := range more {
					prod[x] = true
				}
			}
			continue
		}
		more, err := b.jump(g, out, typ, cf, path, provided, reserved, depth, "")
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
	sp := subPath(path, cf.Key, f.Type)
	subs := cf.SubSelections()
	if def.Kind == ast.Object {
		cfs := CollectFields(subs, def.Name, b.applies)
		more, err := b.planFields(g, item.sub, def.Name, cfs, sp, provided, reservedOf(cfs), depth)
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
	if len(possible) == 0 && def.Kind == ast.Interface {
		// The subgraph knows no implementation: only the interface's own
		// fields can be asked, and they must resolve here or via a key.
		var cfs []*CollectedField
		collectInto(&cfs, map[string]int{}, subs, def.Name, b.applies, true)
		more, err := b.planFields(g, item.sub, def.Name, cfs, sp, provided, reservedOf(cfs), depth)
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
		more, err := b.planFields(g, frag, obj, cfs, sp, provided, reservedOf(cfs), depth)
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

// aliasConflicts gives an alias to fields of sibling type fragments that
// share a response key but not a type in g's subgraph (GraphQL rejects
// that), and records how to rename them back.
func (b *builder) aliasConflicts(g *group, sel *selSet, path []string) {
	firstType := map[string]string{}
	for _, frag := range sel.items {
		if frag.typeCond == "" {
			continue
		}
		for _, it := range frag.sub.items {
			if it.typeCond != "" || it.name == "__typename" {
				continue
			}
			key := it.key()
			t := b.sg.FieldTypeStringIn(g.graph, frag.typeCond, it.name)
			prev, seen := firstType[key]
			if !seen {
				firstType[key] = t
				continue
			}
			if prev == t {
				continue
			}
			alias := "__cg_" + frag.typeCond + "_" + key
			it.alias = alias
			rel := append([]string(nil), path[len(g.path):]...)
			g.renames = append(g.renames, &Rename{Path: rel, TypeName: frag.typeCond, From: alias, To: key})
		}
	}
}

// planInterfaceObject handles a subgraph that only knows an interface as an
// @interfaceObject: it answers the interface's own fields, and when the
// client needs the concrete type (type conditions, __typename), a subgraph
// that owns the interface turns each object into its implementation.
func (b *builder) planInterfaceObject(g *group, item *selItem, iface string, subs []Selection, path []string, provided ast.SelectionSet, depth int) error {
	var cfs []*CollectedField
	collectInto(&cfs, map[string]int{}, subs, iface, b.applies, true)
	reserved := reservedOf(cfs)
	if _, err := b.planFields(g, item.sub, iface, cfs, path, provided, reserved, depth); err != nil {
		return err
	}
	if !needsConcreteType(subs, iface) {
		return nil
	}
	owners := b.sg.InterfaceOwners(iface)
	if len(owners) == 0 {
		return fmt.Errorf("cannot plan %s from %s: no subgraph owns the interface with a key", iface, g.graph)
	}
	child := b.child(g, owners[0], path)
	if err := b.requireKey(g, child, item.sub, iface, iface, path, provided, reserved, depth); err != nil {
		return err
	}
	frag := child.sel.fragment(iface)
	frag.field("", "__typename", nil, false)
	for _, obj := range b.sg.PossibleTypes(child.graph, iface) {
		var rest []*CollectedField
		for _, cf := range CollectFields(subs, obj, b.applies) {
			if reserved[cf.Key] == nil {
				rest = append(rest, cf)
			}
		}
		if onlyTypename(rest) {
			continue
		}
		if _, err := b.planFields(child, frag.fragment(obj), obj, rest, path, nil, reservedOf(CollectFields(subs, obj, b.applies)), depth); err != nil {
			return err
		}
	}
	return nil
}

// needsConcreteType reports whether a selection on iface asks for anything
// that depends on the implementation: __typename or a fragment on another
// type.
func needsConcreteType(sels []Selection, iface string) bool {
	for _, s := range sels {
		if s.Field != nil {
			if s.Field.Name == "__typename" {
				return true
			}
			continue
		}
		if s.Fragment.TypeCondition != iface || needsConcreteType(s.Fragment.Selections, iface) {
			return true
		}
	}
	return false
}

// collectInto collects fields for typ, treating fragments on other types as
// not applying when strict.
func collectInto(out *[]*CollectedField, idx map[string]int, sels []Selection, typ string, applies Applies, strict bool) {
	for _, s := range sels {
		if s.Field != nil {
			k := s.Field.ResponseKey()
			if i, ok := idx[k]; ok {
				(*out)[i].Fields = append((*out)[i].Fields, s.Field)
				continue
			}
			idx[k] = len(*out)
			*out = append(*out, &CollectedField{Key: k, Fields: []*Field{s.Field}})
			continue
		}
		if s.Fragment.TypeCondition == typ || (!strict && applies(s.Fragment.TypeCondition, typ)) {
			collectInto(out, idx, s.Fragment.Selections, typ, applies, strict)
		}
	}
}

func onlyTypename(cfs []*CollectedField) bool {
	for _, cf := range cfs {
		if cf.First().Name != "__typename" {
			return false
		}
	}
	return true
}

// jump fetches cf for the objects at path from another subgraph (or the same
// one through _entities when the field has @requires).
func (b *builder) jump(g *group, out *selSet, typ string, cf *CollectedField, path []string, provided ast.SelectionSet, reserved map[string]*Field, depth int, force string) (map[*group]bool, error) {
	f := cf.First()
	entityType := typ
	var cands []string
	for _, c := range b.sg.FieldGraphs(typ, f.Name) {
		if len(b.sg.Keys(c, typ)) > 0 {
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		// Fields an @interfaceObject adds to every implementation.
		if iface, graphs := b.sg.InterfaceObjectSource(typ, f.Name); iface != "" {
			entityType, cands = iface, graphs
		}
	}
	if len(cands) == 0 {
		return nil, fmt.Errorf("cannot plan %s.%s: no subgraph resolving it has a resolvable key for %s (reached from %s)", typ, f.Name, typ, g.graph)
	}
	pathKey := strings.Join(path, ".")
	target := ""
	if force != "" && contains(cands, force) {
		target = force
	}
	// Prefer subgraphs g can enter directly with a key it already has;
	// others need the key fetched first.
	var direct []string
	for _, c := range cands {
		if b.canEnter(g.graph, c, entityType, typ, provided) {
			direct = append(direct, c)
		}
	}
	if len(direct) > 0 {
		cands = direct
	}
	for _, c := range cands {
		if target != "" {
			break
		}
		if g.children[c+"|"+pathKey] != nil {
			target = c
			break
		}
	}
	if target == "" {
		target = b.cheapest(cands, typ, cf)
	}
	res, _ := b.sg.Resolve(target, entityType, f.Name)
	var child *group
	if res.Requires != nil {
		// Required fields come first and never from the fetch that needs
		// them, even when the same subgraph resolves them.
		reqSels := b.fieldSetSelections(typ, res.Requires, reserved)
		reqProd, err := b.planFields(g, out, typ, CollectFields(reqSels, typ, b.applies), path, provided, reserved, depth+1)
		if err != nil {
			return nil, fmt.Errorf("requires of %s.%s: %w", typ, f.Name, err)
		}
		child = b.childExcluding(g, target, path, reqProd)
		if err := b.requireKey(g, child, out, typ, entityType, path, provided, reserved, depth); err != nil {
			return nil, err
		}
		for _, x := range b.groups {
			if reqProd[x] {
				child.addDep(x)
			}
		}
		mergeRep(&child.rep(typ).Fields, repFields(reqSels, false, false))
	} else {
		child = b.child(g, target, path)
		if err := b.requireKey(g, child, out, typ, entityType, path, provided, reserved, depth); err != nil {
			return nil, err
		}
	}
	frag := child.sel.fragment(entityType)
	item := frag.field(f.Alias, f.Name, f.Arguments, isComposite(b.sg, f.Type))
	nested := map[*group]bool{}
	local, rest := b.splitUnreachable(target, cf, res.Provides)
	if err := b.planSub(child, item, entityType, local, path, res.Provides, depth, nested); err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		more, err := b.planElsewhere(g, out, typ, cf, rest, path, provided, reserved, depth, target)
		if err != nil {
			return nil, err
		}
		for x := range more {
			nested[x] = true
		}
	}
	nested[child] = true
	return nested, nil
}

// child finds or creates g's entity fetch to graph for the objects at path.
func (b *builder) child(g *group, graph string, path []string) *group {
	return b.childExcluding(g, graph, path, nil)
}

// childExcluding is child, skipping fetches in exclude (those producing
// what the new field requires). Extra fetches for the same subgraph and
// path get numbered keys.
func (b *builder) childExcluding(g *group, graph string, path []string, exclude map[*group]bool) *group {
	base := graph + "|" + strings.Join(path, ".")
	k := base
	for i := 2; ; i++ {
		c := g.children[k]
		if c == nil {
			break
		}
		if !exclude[c] && !b.dependsOnAny(c, exclude) {
			return c
		}
		k = fmt.Sprintf("%s#%d", base, i)
	}
	c := b.newGroup(graph, g, path)
	g.children[k] = c
	return c
}

// dependsOnAny reports whether any group in set waits for c: a fetch that
// feeds the requirements cannot also be the one that needs them.
func (b *builder) dependsOnAny(c *group, set map[*group]bool) bool {
	for x := range set {
		if reaches(x, c, map[*group]bool{}) {
			return true
		}
	}
	return false
}

// reaches reports whether from (transitively) depends on to.
func reaches(from, to *group, seen map[*group]bool) bool {
	if from == to {
		return true
	}
	if seen[from] {
		return false
	}
	seen[from] = true
	for _, d := range from.deps {
		if reaches(d, to, seen) {
			return true
		}
	}
	return false
}

// requireKey makes g fetch a key of entityType in child's subgraph for the
// objects of type typ at path, and adds it to child's representation.
func (b *builder) requireKey(g, child *group, out *selSet, typ, entityType string, path []string, provided ast.SelectionSet, reserved map[string]*Field, depth int) error {
	key := b.chooseKey(g.graph, child.graph, entityType, typ, provided)
	if !b.allLocal(g.graph, typ, key.Selection, provided) {
		// Fetching the key needs another entity fetch first; refuse loops.
		guard := fmt.Sprintf("%d|%s|%s|%s", g.id, typ, child.graph, strings.Join(path, "."))
		if b.keyInProgress[guard] {
			return fmt.Errorf("%s cannot provide a key of %s for %s", g.graph, entityType, child.graph)
		}
		b.keyInProgress[guard] = true
		defer delete(b.keyInProgress, guard)
	}
	keySels := append([]Selection{{Field: &Field{Name: "__typename", internal: true}}}, b.fieldSetSelections(typ, key.Selection, reserved)...)
	if err := b.require(g, child, out, typ, keySels, true, path, provided, reserved, depth); err != nil {
		return fmt.Errorf("key %q of %s for %s: %w", key.Fields, entityType, child.graph, err)
	}
	if entityType != typ {
		child.rep(typ).SendAs = entityType
	}
	return nil
}

// require plans sels (keys or @requires fields) on the objects g fetches at
// path and records them in child's representation.
func (b *builder) require(g, child *group, out *selSet, typ string, sels []Selection, key bool, path []string, provided ast.SelectionSet, reserved map[string]*Field, depth int) error {
	cfs := CollectFields(sels, typ, b.applies)
	prod, err := b.planFields(g, out, typ, cfs, path, provided, reserved, depth+1)
	if err != nil {
		return err
	}
	for _, x := range b.groups {
		if prod[x] {
			child.addDep(x)
		}
	}
	mergeRep(&child.rep(typ).Fields, repFields(sels, key, false))
	return nil
}

func (b *builder) chooseKey(from, target, entityType, typ string, provided ast.SelectionSet) supergraph.Key {
	keys := b.sg.Keys(target, entityType)
	for _, k := range keys {
		if b.allLocal(from, typ, k.Selection, provided) {
			return k
		}
	}
	return keys[0]
}

func (b *builder) allLocal(graph, typ string, sel ast.SelectionSet, provided ast.SelectionSet) bool {
	for _, s := range sel {
		f, ok := s.(*ast.Field)
		if !ok {
			continue
		}
		if f.Name == "__typename" {
			continue
		}
		var sub ast.SelectionSet
		if pf := b.providedField(provided, typ, f.Name); pf != nil {
			sub = pf.SelectionSet
		} else if r, ok := b.sg.Resolve(graph, typ, f.Name); ok && r.Requires == nil {
			sub = r.Provides
		} else {
			return false
		}
		if len(f.SelectionSet) > 0 {
			fd := b.sg.Schema.Types[typ].Fields.ForName(f.Name)
			if !b.allLocal(graph, fd.Type.Name(), f.SelectionSet, sub) {
				return false
			}
		}
	}
	return true
}

// fieldSetSelections turns a key or requires field set into planner-added
// selections. A field whose name the client already uses for something else
// at this level gets an alias so the two cannot collide in the response.
func (b *builder) fieldSetSelections(typ string, set ast.SelectionSet, reserved map[string]*Field) []Selection {
	var out []Selection
	def := b.sg.Schema.Types[typ]
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			f := &Field{Name: s.Name, Arguments: s.Arguments, internal: true}
			if s.Name == "__typename" {
				out = append(out, Selection{Field: f})
				continue
			}
			fd := def.Fields.ForName(s.Name)
			if fd == nil {
				continue
			}
			f.Type = fd.Type
			cf := reserved[s.Name]
			if cf != nil && (cf.Name != s.Name || argsKey(cf.Arguments) != argsKey(s.Arguments)) {
				f.Alias = "__cg_" + s.Name
				cf = nil
			}
			if len(s.SelectionSet) > 0 {
				var sub map[string]*Field
				if cf != nil {
					sub = reservedOf(CollectFields(cf.Selections, fd.Type.Name(), b.applies))
				}
				f.Selections = b.fieldSetSelections(fd.Type.Name(), s.SelectionSet, sub)
				if b.sg.Schema.Types[fd.Type.Name()].IsAbstractType() {
					f.Selections = append([]Selection{{Field: &Field{Name: "__typename", internal: true}}}, f.Selections...)
				}
			}
			out = append(out, Selection{Field: f})
		case *ast.InlineFragment:
			tc := s.TypeCondition
			if tc == "" {
				tc = typ
			}
			out = append(out, Selection{Fragment: &Fragment{TypeCondition: tc, Selections: b.fieldSetSelections(tc, s.SelectionSet, reserved)}})
		}
	}
	return out
}

// repFields lists what a representation carries. Key fields must be
// non-null; fields under a type condition may be absent.
func repFields(sels []Selection, key, optional bool) []*RepField {
	var out []*RepField
	for _, s := range sels {
		if s.Field != nil {
			out = append(out, &RepField{Name: s.Field.Name, ResponseKey: s.Field.ResponseKey(), Key: key, Optional: optional, Fields: repFields(s.Field.Selections, false, false)})
			continue
		}
		out = append(out, repFields(s.Fragment.Selections, key, true)...)
	}
	return out
}

func mergeRep(dst *[]*RepField, src []*RepField) {
	for _, s := range src {
		var found *RepField
		for _, d := range *dst {
			if d.Name == s.Name && d.ResponseKey == s.ResponseKey {
				found = d
				break
			}
		}
		if found == nil {
			*dst = append(*dst, s)
			continue
		}
		mergeRep(&found.Fields, s.Fields)
	}
}

// splitUnreachable separates the sub-fields of cf that graph can neither
// resolve nor reach through an entity fetch (value types shared between
// subgraphs, where each subgraph resolves different fields). Those must
// come from the same field fetched in another subgraph.
func (b *builder) splitUnreachable(graph string, cf *CollectedField, provided ast.SelectionSet) (*CollectedField, []*CollectedField) {
	f := cf.First()
	if f.Type == nil {
		return cf, nil
	}
	def := b.sg.Schema.Types[f.Type.Name()]
	if def == nil || def.Kind != ast.Object || len(cf.SubSelections()) == 0 {
		return cf, nil
	}
	var local, rest []*CollectedField
	for _, sub := range CollectFields(cf.SubSelections(), def.Name, b.applies) {
		if b.reachable(graph, def.Name, sub.First().Name, provided) {
			local = append(local, sub)
		} else {
			rest = append(rest, sub)
		}
	}
	if len(rest) == 0 {
		return cf, nil
	}
	return withSubs(cf, local), rest
}

func (b *builder) reachable(graph, typ, field string, provided ast.SelectionSet) bool {
	return b.reachableDepth(graph, typ, field, provided, map[string]bool{})
}

// reachableDepth: field is local to graph, or some subgraph resolving it
// has a key whose fields are themselves reachable from graph. seen stops
// cycles through the same (graph, type, field).
func (b *builder) reachableDepth(graph, typ, field string, provided ast.SelectionSet, seen map[string]bool) bool {
	if field == "__typename" || b.providedField(provided, typ, field) != nil {
		return true
	}
	if r, ok := b.sg.Resolve(graph, typ, field); ok && r.Requires == nil {
		return true
	}
	k := graph + "|" + typ + "|" + field
	if seen[k] {
		return false
	}
	seen[k] = true
	defer delete(seen, k)
	enter := func(c, entityType string) bool {
		for _, key := range b.sg.Keys(c, entityType) {
			ok := true
			for _, sel := range key.Selection {
				if kf, isField := sel.(*ast.Field); isField && !b.reachableDepth(graph, typ, kf.Name, provided, seen) {
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
	for _, c := range b.sg.FieldGraphs(typ, field) {
		if enter(c, typ) {
			return true
		}
	}
	iface, graphs := b.sg.InterfaceObjectSource(typ, field)
	for _, c := range graphs {
		if enter(c, iface) {
			return true
		}
	}
	return false
}

// canEnter reports whether objects of type typ fetched from graph carry a
// key of entityType that target can resolve.
func (b *builder) canEnter(graph, target, entityType, typ string, provided ast.SelectionSet) bool {
	for _, k := range b.sg.Keys(target, entityType) {
		if b.allLocal(graph, typ, k.Selection, provided) {
			return true
		}
	}
	return false
}

// withSubs is cf restricted to the given sub-fields.
func withSubs(cf *CollectedField, subs []*CollectedField) *CollectedField {
	f := *cf.First()
	f.Selections = nil
	for _, s := range subs {
		for _, sf := range s.Fields {
			f.Selections = append(f.Selections, Selection{Field: sf})
		}
	}
	return &CollectedField{Key: cf.Key, Fields: []*Field{&f}}
}

// planElsewhere fetches cf again from other subgraphs that resolve it, for
// the sub-fields in rest, choosing greedily the subgraph covering most.
func (b *builder) planElsewhere(g *group, out *selSet, typ string, cf *CollectedField, rest []*CollectedField, path []string, provided ast.SelectionSet, reserved map[string]*Field, depth int, exclude string) (map[*group]bool, error) {
	f := cf.First()
	sub := f.Type.Name()
	prod := map[*group]bool{}
	for len(rest) > 0 {
		best, bestN := "", 0
		for _, c := range b.sg.FieldGraphs(typ, f.Name) {
			if c == exclude {
				continue
			}
			n := 0
			for _, r := range rest {
				if b.reachable(c, sub, r.First().Name, nil) {
					n++
				}
			}
			if n > bestN {
				best, bestN = c, n
			}
		}
		if best == "" {
			return nil, fmt.Errorf("cannot plan %s.%s: no subgraph resolves it together with %s.%s", typ, f.Name, sub, rest[0].First().Name)
		}
		var part, left []*CollectedField
		for _, r := range rest {
			if b.reachable(best, sub, r.First().Name, nil) {
				part = append(part, r)
			} else {
				left = append(left, r)
			}
		}
		rest = left
		pcf := withSubs(cf, part)
		if !g.entity && typ == b.op.RootType {
			if b.op.Kind == ast.Mutation {
				return nil, fmt.Errorf("cannot plan mutation field %s: its selection spans subgraphs that would each run it", f.Name)
			}
			g2 := b.rootByGraph[best]
			if g2 == nil {
				g2 = b.newGroup(best, nil, nil)
				b.roots = append(b.roots, g2)
				b.rootByGraph[best] = g2
			}
			if _, err := b.planFields(g2, g2.sel, typ, []*CollectedField{pcf}, nil, nil, reserved, depth); err != nil {
				return nil, err
			}
			prod[g2] = true
			continue
		}
		more, err := b.jump(g, out, typ, pcf, path, provided, reserved, depth, best)
		if err != nil {
			return nil, err
		}
		for x := range more {
			prod[x] = true
		}
	}
	return prod, nil
}
