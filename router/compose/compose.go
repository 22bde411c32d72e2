package compose

import (
	"slices"
	"strconv"
	"strings"
)

// composer holds the state of one composition.
type composer struct {
	sgs  []*subgraph
	errs *errorSink

	// keyFields[i] holds "Type.field" for every field some @key of subgraph
	// i selects; those fields are implicitly shareable.
	keyFields []map[string]bool
	// usedFields[i] holds "Type.field" for every field a @key, @requires or
	// @provides of subgraph i selects.
	usedFields []map[string]bool

	// subtypes records, across all subgraphs, which object types implement
	// which interfaces and belong to which unions.
	subtypes map[string]map[string]bool

	types map[string]*superType
	order []string

	usesInaccessible bool
	usesTag          bool
	// The access and demand control specs the supergraph uses.
	usesAuthenticated, usesRequiresScopes, usesPolicy, usesCost bool
	joinMinor                                                   int

	composed           composedSet
	composedRepeatable map[string]bool
}

// Compose merges subgraphs into a supergraph SDL. The output is
// deterministic: subgraphs are processed in name order and definitions are
// printed in Apollo's order. On failure it returns Errors listing every
// problem found, as *Errors.
func Compose(subgraphs []Subgraph) (string, error) {
	c := &composer{errs: &errorSink{}, types: map[string]*superType{}, joinMinor: 3}
	if !c.load(subgraphs) {
		return "", c.failure()
	}
	c.validateSubgraphs()
	c.composed = c.collectComposed()
	c.mergeTypes()
	c.validateMerged()
	if !c.errs.empty() {
		return "", c.failure()
	}
	return c.print(), nil
}

func (c *composer) failure() error {
	errs := c.errs.sorted()
	return &errs
}

// load checks names, parses every subgraph and sorts them by name, as Apollo
// does, so the output does not depend on the order of the input.
func (c *composer) load(in []Subgraph) bool {
	seen := map[string]bool{}
	for _, s := range in {
		switch {
		case strings.TrimSpace(s.Name) == "":
			c.errs.add(CodeInvalidSubgraphName, s.Name, "", "A subgraph name must not be empty")
			continue
		case s.Name == "_":
			c.errs.add(CodeInvalidSubgraphName, s.Name, "", "Invalid name %q for a subgraph: this name is reserved", s.Name)
			continue
		case seen[s.Name]:
			c.errs.add(CodeInvalidSubgraphName, s.Name, "", "A subgraph named %q already exists", s.Name)
			continue
		}
		seen[s.Name] = true
		if sg := parseSubgraph(s, c.errs); sg != nil {
			c.sgs = append(c.sgs, sg)
		}
	}
	if len(in) == 0 {
		c.errs.add(CodeNoQueries, "", "", "No subgraphs to compose")
	}
	if !c.errs.empty() {
		return false
	}
	slices.SortFunc(c.sgs, func(a, b *subgraph) int { return strings.Compare(a.name, b.name) })
	used := map[string]bool{}
	for _, sg := range c.sgs {
		sg.enumName = graphEnumName(sg.name, used)
		if sg.link.fed2 && sg.link.minor >= 7 {
			c.joinMinor = 4
		}
	}
	c.subtypes = map[string]map[string]bool{}
	for _, sg := range c.sgs {
		for _, t := range sg.types {
			for _, i := range t.interfaces {
				c.addSubtype(i, t.name)
			}
			for _, m := range t.members {
				c.addSubtype(t.name, m)
			}
		}
	}
	return true
}

func (c *composer) addSubtype(super, sub string) {
	if c.subtypes[super] == nil {
		c.subtypes[super] = map[string]bool{}
	}
	c.subtypes[super][sub] = true
}

// graphEnumName turns a subgraph name into a join__Graph value: upper case,
// with characters invalid in a GraphQL name replaced, and a numeric suffix
// when two names collide.
func graphEnumName(name string, used map[string]bool) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(name) {
		if r == '_' || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteRune('_')
		}
	}
	out := b.String()
	if out[0] >= '0' && out[0] <= '9' {
		out = "_" + out
	}
	base := out
	for i := 1; used[out]; i++ {
		out = base + "_" + strconv.Itoa(i)
	}
	used[out] = true
	return out
}

// sources returns, per subgraph, its definition of the named type or nil.
func (c *composer) sources(name string) []*sgType {
	out := make([]*sgType, len(c.sgs))
	for i, sg := range c.sgs {
		out[i] = sg.types[name]
	}
	return out
}

// isRootName reports whether name is one of the (normalised) root types.
func isRootName(name string) bool {
	return name == "Query" || name == "Mutation" || name == "Subscription"
}

// typeNames lists every type name of every subgraph, in first appearance
// order over the name-sorted subgraphs.
func (c *composer) typeNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, sg := range c.sgs {
		for _, n := range sg.order {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// isSubtype reports whether sub is super or a possible type of it in any
// subgraph.
func (c *composer) isSubtype(super, sub string) bool {
	return super == sub || c.subtypes[super][sub]
}
