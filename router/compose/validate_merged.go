package compose

import (
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// validateMerged checks the merged schema as a whole.
func (c *composer) validateMerged() {
	if q := c.types["Query"]; q == nil || len(q.fields) == 0 {
		c.errs.add(CodeNoQueries, "", "Query", "No queries found in any subgraph: a supergraph must have a query root type.")
	}
	c.checkInterfaceImplementations()
	c.checkReachability()
}

// checkSharing reports a field of an object type that several subgraphs
// resolve while at least one of them does not declare it shareable (a key
// field, @shareable, or a federation 1 subgraph). @external fields never
// count as resolving, even when a @provides of their subgraph returns them;
// Apollo is stricter there and also wants the owning definition @shareable.
func (c *composer) checkSharing(m *fieldMerge) {
	var resolvers, nonShareable []string
	for i, f := range m.srcs {
		if f == nil || f.external || m.state[i] != notOverridden {
			continue
		}
		resolvers = append(resolvers, c.sgs[i].name)
		if !f.shareable && !c.keyFields[i][m.coord] {
			nonShareable = append(nonShareable, c.sgs[i].name)
		}
	}
	if len(resolvers) > 1 && strings.HasPrefix(m.coord, "Subscription.") {
		c.errs.add(CodeInvalidFieldSharing, resolvers[1], m.coord, "Fields on root level subscription object cannot be shared: %q is resolved from %s, but each subscription field must be resolved by a single subgraph", m.coord, subgraphsLabel(resolvers))
		return
	}
	if len(resolvers) < 2 || len(nonShareable) == 0 {
		return
	}
	where := "in all of them"
	if len(nonShareable) < len(resolvers) {
		where = "in " + subgraphsLabel(nonShareable)
	}
	c.errs.add(CodeInvalidFieldSharing, nonShareable[0], m.coord, "Non-shareable field %q is resolved from multiple subgraphs: it is resolved from %s and defined as non-shareable %s", m.coord, subgraphsLabel(resolvers), where)
}

// checkInterfaceImplementations makes sure every merged object type has
// every field of the merged interfaces it implements.
func (c *composer) checkInterfaceImplementations() {
	for _, name := range c.order {
		t := c.types[name]
		if t.kind != ast.Object && t.kind != ast.Interface {
			continue
		}
		for _, iname := range t.implements {
			itf := c.types[iname]
			if itf == nil || itf.kind != ast.Interface {
				continue
			}
			for _, f := range itf.fields {
				if t.field(f.name) != nil {
					continue
				}
				declaring := c.definingSubgraphs(iname, f.name)
				implementing := c.implementingSubgraphs(name, iname)
				if slices.ContainsFunc(implementing, func(s string) bool { return slices.Contains(declaring, s) }) {
					continue // that subgraph alone is invalid, and reported as such
				}
				c.errs.add(CodeInterfaceFieldNoImplem, implementing[0], fieldCoord(name, f.name), "Interface field %q is declared in %s but type %q, which implements %q in %s, does not have field %q.", fieldCoord(iname, f.name), subgraphsLabel(declaring), name, iname, subgraphsLabel(implementing), f.name)
			}
		}
	}
}

func (c *composer) definingSubgraphs(typeName, field string) []string {
	var out []string
	for i, s := range c.sources(typeName) {
		if s != nil && s.field(field) != nil {
			out = append(out, c.sgs[i].name)
		}
	}
	return out
}

func (c *composer) implementingSubgraphs(typeName, itf string) []string {
	var out []string
	for i, s := range c.sources(typeName) {
		if s != nil {
			for _, n := range s.interfaces {
				if n == itf {
					out = append(out, c.sgs[i].name)
				}
			}
		}
	}
	return out
}

// checkReachability is a basic satisfiability check: every field a query
// can reach the parent type of must be resolvable by some subgraph that can
// itself get to that type, either from its own root fields or by fetching
// the type as an entity through a resolvable @key.
func (c *composer) checkReachability() {
	reach := make([]map[string]bool, len(c.sgs))
	for i := range reach {
		reach[i] = map[string]bool{}
	}
	global := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for i, sg := range c.sgs {
			var seeds []string
			for _, r := range sg.roots {
				seeds = append(seeds, r)
			}
			for _, n := range sg.order {
				if global[n] && !reach[i][n] && c.canEnter(i, n, reach) {
					seeds = append(seeds, n)
				}
			}
			for _, s := range seeds {
				if c.visit(sg, s, reach[i]) {
					changed = true
				}
			}
			for n := range reach[i] {
				if !global[n] {
					global[n] = true
					changed = true
				}
			}
		}
	}
	for _, name := range c.order {
		t := c.types[name]
		if t.kind != ast.Object || !global[name] {
			continue
		}
		srcs := c.sources(name)
		for _, f := range t.fields {
			var resolvers []string
			reachable := false
			for i, s := range srcs {
				if s == nil {
					continue
				}
				sf := s.field(f.name)
				if sf == nil || sf.external {
					continue
				}
				resolvers = append(resolvers, c.sgs[i].name)
				reachable = reachable || reach[i][name]
			}
			if len(resolvers) == 0 || reachable {
				continue
			}
			coord := fieldCoord(name, f.name)
			c.errs.add(CodeSatisfiability, resolvers[0], coord, "The field %q cannot be reached: it is only resolved by %s, where type %q is neither reachable from a root field nor fetchable by a resolvable @key whose fields another subgraph reaching %q resolves.", coord, subgraphsLabel(resolvers), name, name)
		}
	}
}

// canEnter reports whether a query can jump into subgraph i at entity type
// name: i must have a resolvable @key on it, and some other subgraph that
// already reaches the type must resolve the key's top-level fields.
func (c *composer) canEnter(i int, name string, reach []map[string]bool) bool {
	t := c.sgs[i].typ(name)
	if t == nil {
		return false
	}
	for _, k := range t.keys {
		if !k.resolvable {
			continue
		}
		fields := topLevelFields(k.fields)
		for j, other := range c.sgs {
			if j == i || !reach[j][name] {
				continue
			}
			ot := other.typ(name)
			if ot != nil && resolvesAll(ot, fields) {
				return true
			}
		}
	}
	return false
}

func resolvesAll(t *sgType, fields []string) bool {
	for _, f := range fields {
		sf := t.field(f)
		if sf == nil || sf.external {
			return false
		}
	}
	return true
}

// visit marks every type reachable within sg from name; it returns whether
// anything new was marked.
func (c *composer) visit(sg *subgraph, name string, seen map[string]bool) bool {
	if seen[name] {
		return false
	}
	t := sg.typ(name)
	if t == nil {
		return false
	}
	seen[name] = true
	switch t.kind {
	case ast.Object, ast.Interface:
		for _, f := range t.fields {
			if !f.external {
				c.visit(sg, baseName(f.typ), seen)
			}
		}
		if t.kind == ast.Interface {
			for _, n := range sg.order {
				for _, i := range sg.types[n].interfaces {
					if i == name {
						c.visit(sg, n, seen)
					}
				}
			}
		}
	case ast.Union:
		for _, m := range t.members {
			c.visit(sg, m, seen)
		}
	}
	return true
}
