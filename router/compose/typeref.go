package compose

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// typeRef is one subgraph's type for a field, argument or input field.
type typeRef struct {
	sg  int
	typ *ast.Type
}

// mergeTypeRefs merges the types several subgraphs give one position.
// Output positions take the most general type (nullable if any subgraph
// says nullable, an interface or union over its implementations); input
// positions the most restrictive (non-null if any subgraph says non-null).
// It returns the merged type, whether all types were identical, and false
// when they are incompatible.
func (c *composer) mergeTypeRefs(refs []typeRef, input bool) (*ast.Type, bool, bool) {
	merged := copyType(refs[0].typ)
	equal := true
	for _, r := range refs[1:] {
		if r.typ.String() != merged.String() {
			equal = false
		}
		m, ok := c.mergeTwo(merged, r.typ, input)
		if !ok {
			return nil, false, false
		}
		merged = m
	}
	return merged, equal, true
}

func (c *composer) mergeTwo(a, b *ast.Type, input bool) (*ast.Type, bool) {
	nonNull := a.NonNull && b.NonNull
	if input {
		nonNull = a.NonNull || b.NonNull
	}
	switch {
	case a.NamedType == "" && b.NamedType == "":
		elem, ok := c.mergeTwo(a.Elem, b.Elem, input)
		if !ok {
			return nil, false
		}
		return &ast.Type{Elem: elem, NonNull: nonNull}, true
	case a.NamedType != "" && b.NamedType != "":
		switch {
		case a.NamedType == b.NamedType:
			return &ast.Type{NamedType: a.NamedType, NonNull: nonNull}, true
		case !input && c.isSubtype(a.NamedType, b.NamedType):
			return &ast.Type{NamedType: a.NamedType, NonNull: nonNull}, true
		case !input && c.isSubtype(b.NamedType, a.NamedType):
			return &ast.Type{NamedType: b.NamedType, NonNull: nonNull}, true
		}
	}
	return nil, false
}

// isSubtypeRef reports whether sub can stand where super is expected: the
// same shape, with non-null allowed for nullable and implementations for
// interfaces and unions.
func (c *composer) isSubtypeRef(super, sub *ast.Type) bool {
	if super.NonNull && !sub.NonNull {
		return false
	}
	if super.NamedType != "" || sub.NamedType != "" {
		return super.NamedType != "" && sub.NamedType != "" && c.isSubtype(super.NamedType, sub.NamedType)
	}
	return c.isSubtypeRef(super.Elem, sub.Elem)
}

// describeTypes renders "type "A" in subgraph "x" but type "B" in
// subgraphs "y" and "z"", grouping subgraphs by type.
func (c *composer) describeTypes(refs []typeRef) string {
	return c.describeTypesFirst(refs, "")
}

// describeTypesFirst is describeTypes with the group of type first (the
// merged type, as Apollo's messages put it) leading.
func (c *composer) describeTypesFirst(refs []typeRef, first string) string {
	var order []string
	groups := map[string][]string{}
	for _, r := range refs {
		s := r.typ.String()
		if _, ok := groups[s]; !ok {
			order = append(order, s)
		}
		groups[s] = append(groups[s], c.sgs[r.sg].name)
	}
	if i := slices.Index(order, first); i > 0 {
		order = append([]string{first}, slices.Delete(order, i, i+1)...)
	}
	parts := make([]string, len(order))
	for i, t := range order {
		parts[i] = fmt.Sprintf("type %q in %s", t, subgraphsLabel(groups[t]))
	}
	return parts[0] + " but " + strings.Join(parts[1:], " and ")
}
