package compose

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// mergeTypes merges every type of every subgraph into c.types.
func (c *composer) mergeTypes() {
	for _, name := range c.typeNames() {
		srcs := c.sources(name)
		kind, ok := c.mergedKind(name, srcs)
		if !ok {
			continue
		}
		st := &superType{name: name, kind: kind}
		st.description = mergeDescriptions(typeDescriptions(srcs))
		c.checkExtensionWithNoBase(name, srcs)
		switch kind {
		case ast.Object, ast.Interface:
			c.mergeComposite(st, srcs)
		case ast.Union:
			c.mergeUnion(st, srcs)
		case ast.Enum:
			c.mergeEnum(st, srcs)
		case ast.InputObject:
			c.mergeInput(st, srcs)
		case ast.Scalar:
			st.directives = c.joinTypes(srcs)
			for _, s := range srcs {
				if s != nil && s.specifiedBy != nil {
					st.directives = append(st.directives, renderDirective(s.specifiedBy))
					break
				}
			}
		}
		st.directives = append(st.directives, c.commonTypeDirectives(srcs)...)
		c.types[name] = st
		c.order = append(c.order, name)
	}
	c.addInterfaceObjectFields()
}

// mergedKind checks that every subgraph gives the type the same kind; an
// @interfaceObject object counts as the interface it stands for.
func (c *composer) mergedKind(name string, srcs []*sgType) (ast.DefinitionKind, bool) {
	var kinds []ast.DefinitionKind
	bySubgraph := map[ast.DefinitionKind][]string{}
	for i, s := range srcs {
		if s == nil {
			continue
		}
		k := s.kind
		if s.interfaceObject && k == ast.Object {
			k = ast.Interface
		}
		if _, seen := bySubgraph[k]; !seen {
			kinds = append(kinds, k)
		}
		bySubgraph[k] = append(bySubgraph[k], c.sgs[i].name)
	}
	if len(kinds) == 1 {
		if kinds[0] == ast.Interface && c.onlyInterfaceObjects(srcs) {
			names := bySubgraph[kinds[0]]
			c.errs.add(CodeInterfaceObjectUsage, names[0], name, "Type %q is declared with @interfaceObject in all the subgraphs in which it is defined (it is defined in %s but should be defined as an interface in at least one subgraph)", name, subgraphsLabel(names))
			return "", false
		}
		return kinds[0], true
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%s in %s", kindName(k), subgraphsLabel(bySubgraph[k]))
	}
	c.errs.add(CodeTypeKindMismatch, bySubgraph[kinds[1]][0], name, "Type %q has mismatched kind: it is defined as %s but %s", name, parts[0], strings.Join(parts[1:], " and "))
	return "", false
}

func (c *composer) onlyInterfaceObjects(srcs []*sgType) bool {
	for _, s := range srcs {
		if s != nil && !s.interfaceObject {
			return false
		}
	}
	return true
}

// checkExtensionWithNoBase rejects a type every subgraph only extends,
// unless it is a root type or an entity (federation 1 declares entities
// owned elsewhere with extend type).
func (c *composer) checkExtensionWithNoBase(name string, srcs []*sgType) {
	if isRootName(name) {
		return
	}
	var extenders []string
	for i, s := range srcs {
		if s == nil {
			continue
		}
		if s.hasDefinition || s.isEntity() {
			return
		}
		extenders = append(extenders, c.sgs[i].name)
	}
	c.errs.add(CodeExtensionWithNoBase, extenders[0], name, "[%s] Type %q is an extension type, but there is no type definition for %q in any subgraph.", extenders[0], name, name)
}

// joinTypes renders one @join__type per subgraph defining the type, or one
// per @key when it has keys.
func (c *composer) joinTypes(srcs []*sgType) []string {
	var out []string
	for i, s := range srcs {
		if s == nil {
			continue
		}
		g := c.sgs[i].enumName
		itfObj := ""
		if s.interfaceObject {
			itfObj = ", isInterfaceObject: true"
		}
		if len(s.keys) == 0 {
			out = append(out, fmt.Sprintf("@join__type(graph: %s%s)", g, itfObj))
			continue
		}
		for _, k := range s.keys {
			var b strings.Builder
			fmt.Fprintf(&b, "@join__type(graph: %s, key: %s", g, quote(k.fields))
			// Apollo turns a federation 1 `extend type` entity into a plain
			// definition when it upgrades the subgraph, so only federation 2
			// keeps the extension mark for `extend type`.
			if s.extends || (k.extension && c.sgs[i].link.fed2) {
				b.WriteString(", extension: true")
			}
			// Apollo repeats resolvable exactly when the subgraph spelled it out.
			if k.resolvableGiven {
				fmt.Fprintf(&b, ", resolvable: %t", k.resolvable)
			}
			b.WriteString(itfObj)
			b.WriteString(")")
			out = append(out, b.String())
		}
	}
	return out
}

// commonTypeDirectives renders the kept directives of a type.
func (c *composer) commonTypeDirectives(srcs []*sgType) []string {
	var list []applied
	for _, s := range srcs {
		if s != nil {
			list = append(list, s.applied)
		}
	}
	return c.mergeApplied(list)
}

// mergeComposite merges an object or interface type: implemented
// interfaces, join directives, then fields.
func (c *composer) mergeComposite(st *superType, srcs []*sgType) {
	for i, s := range srcs {
		if s == nil {
			continue
		}
		for _, itf := range s.interfaces {
			st.implements = appendUnique(st.implements, itf)
			st.directives = append(st.directives, fmt.Sprintf("@join__implements(graph: %s, interface: %s)", c.sgs[i].enumName, quote(itf)))
		}
	}
	st.directives = append(st.directives, c.joinTypes(srcs)...)
	var names []string
	for _, s := range srcs {
		if s == nil {
			continue
		}
		for _, f := range s.fields {
			names = appendUnique(names, f.name)
		}
	}
	for _, n := range names {
		fsrcs := make([]*sgField, len(srcs))
		for i, s := range srcs {
			if s != nil {
				fsrcs[i] = s.field(n)
			}
		}
		if f := c.mergeField(st, srcs, fsrcs); f != nil {
			st.fields = append(st.fields, f)
		}
	}
}

// mergeUnion merges union members, recording which subgraph knows which.
func (c *composer) mergeUnion(st *superType, srcs []*sgType) {
	st.directives = c.joinTypes(srcs)
	for i, s := range srcs {
		if s == nil {
			continue
		}
		for _, m := range s.members {
			st.members = appendUnique(st.members, m)
			st.directives = append(st.directives, fmt.Sprintf("@join__unionMember(graph: %s, member: %s)", c.sgs[i].enumName, quote(m)))
		}
	}
}

// addInterfaceObjectFields adds to object types the fields their interfaces
// gain from an @interfaceObject subgraph; that subgraph resolves them
// through the interface, so the field carries a bare @join__field.
func (c *composer) addInterfaceObjectFields() {
	for _, name := range c.order {
		t := c.types[name]
		if t.kind != ast.Object {
			continue
		}
		for _, iname := range t.implements {
			itf := c.types[iname]
			if itf == nil || !c.hasInterfaceObject(iname) {
				continue
			}
			for _, f := range itf.fields {
				if t.field(f.name) != nil || !c.interfaceObjectField(iname, f.name) {
					continue
				}
				t.fields = append(t.fields, &superField{name: f.name, typ: copyType(f.typ), args: f.args, directives: []string{"@join__field"}})
			}
		}
	}
}

func (c *composer) hasInterfaceObject(name string) bool {
	for _, s := range c.sources(name) {
		if s != nil && s.interfaceObject {
			return true
		}
	}
	return false
}

func (c *composer) interfaceObjectField(itf, field string) bool {
	for _, s := range c.sources(itf) {
		if s != nil && s.interfaceObject {
			if f := s.field(field); f != nil && !f.external {
				return true
			}
		}
	}
	return false
}

func typeDescriptions(srcs []*sgType) []string {
	out := make([]string, 0, len(srcs))
	for _, s := range srcs {
		if s != nil {
			out = append(out, s.description)
		}
	}
	return out
}

// mergeDescriptions keeps the description most subgraphs agree on, the
// first one among equals; empty descriptions do not count.
func mergeDescriptions(descs []string) string {
	counts := map[string]int{}
	best, bestN := "", 0
	for _, d := range descs {
		if strings.TrimSpace(d) == "" {
			continue
		}
		counts[d]++
		if counts[d] > bestN {
			best, bestN = d, counts[d]
		}
	}
	return best
}

// quote renders a GraphQL string literal.
func quote(s string) string {
	return (&ast.Value{Kind: ast.StringValue, Raw: s}).String()
}
