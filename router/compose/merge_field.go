package compose

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// overrideState says what an @override elsewhere does to a subgraph's
// definition of a field.
type overrideState int

const (
	notOverridden overrideState = iota
	// usedOverridden: another subgraph resolves the field, but this one
	// still needs it for its own @key/@requires/@provides or interfaces.
	usedOverridden
	// unusedOverridden: another subgraph resolves the field and this one's
	// definition no longer matters.
	unusedOverridden
)

// fieldMerge is what merging learns about one field across subgraphs.
type fieldMerge struct {
	coord  string
	parent []*sgType
	srcs   []*sgField
	state  []overrideState
	labels []string
}

// mergeField merges one field of an object or interface type.
func (c *composer) mergeField(st *superType, parent []*sgType, srcs []*sgField) *superField {
	var name string
	for _, f := range srcs {
		if f != nil {
			name = f.name
			break
		}
	}
	m := &fieldMerge{
		coord:  fieldCoord(st.name, name),
		parent: parent,
		srcs:   srcs,
		state:  make([]overrideState, len(srcs)),
		labels: make([]string, len(srcs)),
	}
	c.resolveOverrides(m)
	if st.kind == ast.Object {
		c.checkSharing(m)
	}

	var resolving, externals []typeRef
	var descs []string
	for i, f := range srcs {
		if f == nil {
			continue
		}
		if f.external {
			externals = append(externals, typeRef{i, f.typ})
			continue
		}
		resolving = append(resolving, typeRef{i, f.typ})
		descs = append(descs, f.description)
	}
	refs := resolving
	if len(resolving) == 0 {
		var names []string
		for _, r := range externals {
			names = append(names, c.sgs[r.sg].name)
		}
		c.errs.add(CodeExternalMissingOnBase, names[0], m.coord, "Field %q is marked @external on all the subgraphs in which it is listed (%s).", m.coord, subgraphsLabel(names))
		refs = externals
	}
	typ, allEqual, ok := c.mergeTypeRefs(refs, false)
	if !ok {
		c.errs.add(CodeFieldTypeMismatch, c.sgs[refs[0].sg].name, m.coord, "Type of field %q is incompatible across subgraphs: it has %s", m.coord, c.describeTypes(refs))
		return nil
	}
	if len(resolving) > 0 {
		c.checkExternalTypes(m, typ, allEqual, resolving, externals)
	}
	if len(descs) == 0 {
		for _, r := range externals {
			descs = append(descs, srcs[r.sg].description)
		}
	}
	out := &superField{name: name, typ: typ, description: mergeDescriptions(descs)}
	out.args = c.mergeArgs(m, resolving)
	if len(resolving) > 0 {
		c.checkExternalArgs(m, out.args, externals)
	}
	if c.needsJoinField(m, allEqual) {
		out.directives = c.joinFields(m, allEqual)
	}
	// As in Apollo, directives on @external declarations are not merged:
	// those declarations do not define the field.
	kept := srcs
	if len(resolving) > 0 {
		kept = make([]*sgField, len(srcs))
		for _, r := range resolving {
			kept[r.sg] = srcs[r.sg]
		}
	}
	out.directives = append(out.directives, c.elementDirectives(kept)...)
	return out
}

// checkExternalTypes follows Apollo: an @external declaration must have the
// merged type, or a subtype of it when the resolving subgraphs themselves
// disagree on the type.
func (c *composer) checkExternalTypes(m *fieldMerge, merged *ast.Type, allEqual bool, resolving, externals []typeRef) {
	bad := false
	for _, e := range externals {
		same := e.typ.String() == merged.String()
		if !same && (allEqual || !c.isSubtypeRef(merged, e.typ)) {
			bad = true
		}
	}
	if !bad {
		return
	}
	var all []typeRef
	for i, f := range m.srcs {
		if f != nil {
			all = append(all, typeRef{i, f.typ})
		}
	}
	first := externals[0].sg
	for _, e := range externals {
		if e.typ.String() != merged.String() {
			first = e.sg
			break
		}
	}
	c.errs.add(CodeExternalTypeMismatch, c.sgs[first].name, m.coord, "Type of field %q is incompatible across subgraphs (where marked @external): it has %s", m.coord, c.describeTypesFirst(all, merged.String()))
}

// checkExternalArgs: an @external declaration stands for the real field, so
// it must declare every merged argument, with a compatible type and the
// same default.
func (c *composer) checkExternalArgs(m *fieldMerge, args []*superArg, externals []typeRef) {
	for _, a := range args {
		coord := fmt.Sprintf("%s(%s:)", m.coord, a.name)
		var missing []string
		for _, e := range externals {
			ea := findArg(m.srcs[e.sg].args, a.name)
			switch {
			case ea == nil:
				missing = append(missing, c.sgs[e.sg].name)
			case ea.typ.String() != a.typ.String() && !c.isSubtypeRef(ea.typ, a.typ):
				c.errs.add(CodeExternalArgumentType, c.sgs[e.sg].name, m.coord, "Type of argument %q is incompatible across subgraphs (where %q is marked @external): it has type %q in the supergraph but type %q in subgraph %q", coord, m.coord, a.typ.String(), ea.typ.String(), c.sgs[e.sg].name)
			case renderValue(ea.def) != renderValue(a.def):
				c.errs.add(CodeExternalArgumentDefault, c.sgs[e.sg].name, m.coord, "Argument %q has incompatible defaults across subgraphs (where %q is marked @external): it has %s in the supergraph but %s in subgraph %q", coord, m.coord, describeDefault(a.def), describeDefault(ea.def), c.sgs[e.sg].name)
			}
		}
		if len(missing) > 0 {
			c.errs.add(CodeExternalArgumentMissing, missing[0], m.coord, "Field %q is missing argument %q in some subgraphs where it is marked @external: it is not declared in %s", m.coord, coord, subgraphsLabel(missing))
		}
	}
}

func describeDefault(v *ast.Value) string {
	if v == nil {
		return "no default value"
	}
	return "default value " + renderValue(v)
}

// resolveOverrides applies @override(from:) and reports its misuses.
func (c *composer) resolveOverrides(m *fieldMerge) {
	for i, f := range m.srcs {
		if f == nil || f.override == nil {
			continue
		}
		from := *f.override
		me := c.sgs[i].name
		if from == me {
			c.errs.add(CodeOverrideFromSelf, me, m.coord, "Source and destination subgraphs %q are the same for overridden field %q", from, m.coord)
			continue
		}
		if f.external {
			c.errs.add(CodeOverrideCollision, me, m.coord, "@override cannot be used on field %q on subgraph %q since %q on %q is marked with directive \"@external\"", m.coord, me, m.coord, me)
			continue
		}
		m.labels[i] = f.overrideLabel
		j := c.subgraphIndex(from)
		if j < 0 || m.srcs[j] == nil || m.srcs[j].external {
			continue // nothing to take over; Apollo only hints here
		}
		if m.srcs[j].override != nil {
			c.errs.add(CodeOverrideSourceHasOver, me, m.coord, "Field %q on subgraph %q is also marked with directive @override in subgraph %q. Only one @override directive is allowed per field.", m.coord, me, from)
			continue
		}
		switch {
		case f.overrideLabel != "":
			m.state[j] = unusedOverridden
			m.labels[j] = f.overrideLabel
		case c.usedFields[j][m.coord], m.parent[j] != nil && c.satisfiesInterface(c.sgs[j], m.parent[j], m.srcs[j].name):
			// Implementing an interface field of that subgraph is a use too,
			// as in Apollo: the overridden definition must stay.
			m.state[j] = usedOverridden
		default:
			m.state[j] = unusedOverridden
		}
	}
}

func (c *composer) subgraphIndex(name string) int {
	for i, sg := range c.sgs {
		if sg.name == name {
			return i
		}
	}
	return -1
}

// needsJoinField follows Apollo: a field needs @join__field unless every
// subgraph defining its parent type resolves it itself, with one type,
// without @external, @requires or @provides, and none took it over with
// @override.
func (c *composer) needsJoinField(m *fieldMerge, allEqual bool) bool {
	if !allEqual {
		return true
	}
	for i := range m.srcs {
		if m.state[i] == usedOverridden || m.labels[i] != "" {
			return true
		}
	}
	for i, f := range m.srcs {
		if f != nil && m.state[i] != unusedOverridden {
			if f.external || f.requires != nil || f.provides != nil {
				return true
			}
		} else if m.parent[i] != nil {
			return true
		}
	}
	return false
}

// joinFields renders one @join__field per subgraph that defines the field
// and has not had it taken over by @override.
func (c *composer) joinFields(m *fieldMerge, allEqual bool) []string {
	var out []string
	for i, f := range m.srcs {
		if f == nil || (m.state[i] == unusedOverridden && m.labels[i] == "") {
			continue
		}
		args := []string{"graph: " + c.sgs[i].enumName}
		if f.requires != nil {
			args = append(args, "requires: "+quote(*f.requires))
		}
		if f.provides != nil {
			args = append(args, "provides: "+quote(*f.provides))
		}
		if f.override != nil && *f.override != c.sgs[i].name && !f.external {
			args = append(args, "override: "+quote(*f.override))
		}
		if !allEqual {
			args = append(args, "type: "+quote(f.typ.String()))
		}
		if f.external {
			args = append(args, "external: true")
		}
		if m.state[i] == usedOverridden {
			args = append(args, "usedOverridden: true")
		}
		if m.labels[i] != "" {
			c.joinMinor = max(c.joinMinor, 4)
			args = append(args, "overrideLabel: "+quote(m.labels[i]))
		}
		out = append(out, "@join__field("+strings.Join(args, ", ")+")")
	}
	return out
}

// elementDirectives renders the kept directives of a field.
func (c *composer) elementDirectives(srcs []*sgField) []string {
	var list []applied
	for _, f := range srcs {
		if f != nil {
			list = append(list, f.applied)
		}
	}
	return c.mergeApplied(list)
}

// mergeArgs merges field arguments: only arguments every resolving subgraph
// declares survive, and a required one missing somewhere is an error.
func (c *composer) mergeArgs(m *fieldMerge, resolving []typeRef) []*superArg {
	if len(resolving) == 0 {
		return nil
	}
	var names []string
	for _, r := range resolving {
		for _, a := range m.srcs[r.sg].args {
			names = appendUnique(names, a.name)
		}
	}
	var out []*superArg
	for _, n := range names {
		coord := fmt.Sprintf("%s(%s:)", m.coord, n)
		var refs []typeRef
		var args []*sgArg
		var missing, required []string
		for _, r := range resolving {
			a := findArg(m.srcs[r.sg].args, n)
			if a == nil {
				missing = append(missing, c.sgs[r.sg].name)
				continue
			}
			if a.typ.NonNull && a.def == nil {
				required = append(required, c.sgs[r.sg].name)
			}
			refs = append(refs, typeRef{r.sg, a.typ})
			args = append(args, a)
		}
		if len(missing) > 0 {
			if len(required) > 0 {
				c.errs.add(CodeRequiredArgMissing, required[0], m.coord, "Argument %q is required in some subgraphs but does not appear in all subgraphs: it is required in %s but does not appear in %s", coord, subgraphsLabel(required), subgraphsLabel(missing))
			}
			continue
		}
		typ, _, ok := c.mergeTypeRefs(refs, true)
		if !ok {
			c.errs.add(CodeArgumentTypeMismatch, c.sgs[refs[0].sg].name, m.coord, "Type of argument %q is incompatible across subgraphs: it has %s", coord, c.describeTypes(refs))
			continue
		}
		def, ok := mergeDefaults(args)
		if !ok {
			c.errs.add(CodeArgumentDefault, c.sgs[refs[0].sg].name, m.coord, "Argument %q has incompatible default values across subgraphs: it has %s", coord, c.describeDefaults(refs, args))
			continue
		}
		sa := &superArg{name: n, typ: typ, def: def}
		var descs []string
		var list []applied
		for _, a := range args {
			descs = append(descs, a.description)
			list = append(list, a.applied)
		}
		sa.description = mergeDescriptions(descs)
		sa.directives = c.mergeApplied(list)
		out = append(out, sa)
	}
	return out
}

func findArg(args []*sgArg, name string) *sgArg {
	for _, a := range args {
		if a.name == name {
			return a
		}
	}
	return nil
}

// mergeDefaults returns the default value all declarations agree on, or
// false when they differ.
func mergeDefaults(args []*sgArg) (*ast.Value, bool) {
	var first *ast.Value
	for i, a := range args {
		if i == 0 {
			first = a.def
			continue
		}
		if renderValue(a.def) != renderValue(first) {
			return nil, false
		}
	}
	return first, true
}

func (c *composer) describeDefaults(refs []typeRef, args []*sgArg) string {
	var parts []string
	for i, a := range args {
		parts = append(parts, fmt.Sprintf("%s in subgraph %q", describeDefault(a.def), c.sgs[refs[i].sg].name))
	}
	return parts[0] + " but " + strings.Join(parts[1:], " and ")
}
