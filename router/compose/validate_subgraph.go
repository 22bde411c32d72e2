package compose

import (
	"fmt"
	"regexp"

	"github.com/vektah/gqlparser/v2/ast"
)

var (
	percentLabel = regexp.MustCompile(`^percent\((\d{1,2}(\.\d{1,8})?|100(\.0{1,8})?)\)$`)
	flagLabel    = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_\-:.]*$`)
)

// validateSubgraphs checks what can be checked on each subgraph alone: the
// field sets of @key, @requires and @provides, @external usage and
// @override labels. It also records which fields those field sets select,
// which merging needs for shareability and @override.
func (c *composer) validateSubgraphs() {
	c.keyFields = make([]map[string]bool, len(c.sgs))
	c.usedFields = make([]map[string]bool, len(c.sgs))
	for i, sg := range c.sgs {
		c.keyFields[i] = map[string]bool{}
		c.usedFields[i] = map[string]bool{}
		c.checkGraphQL(sg)
		c.checkKeys(i, sg)
		c.checkRequiresProvides(i, sg)
		c.checkExternals(i, sg)
		c.checkOverrideLabels(sg)
	}
}

func (c *composer) checkKeys(i int, sg *subgraph) {
	for _, name := range sg.order {
		t := sg.types[name]
		for _, k := range t.keys {
			if t.kind != ast.Object && t.kind != ast.Interface {
				c.errs.add(CodeKeyInvalidFields, sg.name, name, "[%s] Cannot apply @key to %s %q: @key is only valid on object and interface types", sg.name, kindName(t.kind), name)
				continue
			}
			uses, _ := checkFieldSet(sg, fsKey, name, fmt.Sprintf("On type %q", name), name, k.fields, c.errs)
			for _, u := range uses {
				coord := fieldCoord(u.typeName, u.field.name)
				c.keyFields[i][coord] = true
				c.usedFields[i][coord] = true
				// Federation 1 marks key fields of extended types @external
				// although the subgraph resolves them; they are not external.
				// Federation 2 keeps that reading for the keys of a type
				// extension (`extend type` or @extends), as Apollo does: such
				// an @external only says another subgraph defines the field.
				if (!sg.link.fed2 && u.top) || (sg.link.fed2 && (k.extension || t.extends)) {
					u.field.external = false
				}
			}
		}
	}
}

func (c *composer) checkRequiresProvides(i int, sg *subgraph) {
	for _, name := range sg.order {
		t := sg.types[name]
		for _, f := range t.fields {
			coord := fieldCoord(name, f.name)
			where := fmt.Sprintf("On field %q", coord)
			if f.requires != nil {
				uses, ok := checkFieldSet(sg, fsRequires, name, where, coord, *f.requires, c.errs)
				for _, u := range uses {
					c.usedFields[i][fieldCoord(u.typeName, u.field.name)] = true
					if ok && u.top && u.leaf && !u.field.external && sg.link.fed2 {
						c.errs.add(CodeRequiresMissingExt, sg.name, coord, "[%s] %s, for @requires(fields: %q): field %q should not be part of a @requires since it is already provided by this subgraph (it is not marked @external)", sg.name, where, *f.requires, fieldCoord(u.typeName, u.field.name))
					}
				}
			}
			if f.provides != nil {
				base := sg.typ(baseName(f.typ))
				if base == nil || (base.kind != ast.Object && base.kind != ast.Interface && base.kind != ast.Union) {
					c.errs.add(CodeProvidesOnNonObject, sg.name, coord, "[%s] Invalid @provides directive on field %q: field has type %q which is not a Composite Type", sg.name, coord, f.typ.String())
					continue
				}
				uses, ok := checkFieldSet(sg, fsProvides, base.name, where, coord, *f.provides, c.errs)
				for _, u := range uses {
					c.usedFields[i][fieldCoord(u.typeName, u.field.name)] = true
					if ok && u.top && u.leaf && !u.field.external && sg.link.fed2 {
						c.errs.add(CodeProvidesMissingExt, sg.name, coord, "[%s] %s, for @provides(fields: %q): field %q should not be part of a @provides since it is already provided by this subgraph (it is not marked @external)", sg.name, where, *f.provides, fieldCoord(u.typeName, u.field.name))
					}
				}
			}
		}
	}
}

// checkExternals reports @external fields nothing uses: a field is only
// @external so a @key, @requires or @provides can name it, or so the type
// satisfies an interface.
func (c *composer) checkExternals(i int, sg *subgraph) {
	if !sg.link.fed2 {
		return
	}
	for _, name := range sg.order {
		t := sg.types[name]
		for _, f := range t.fields {
			coord := fieldCoord(name, f.name)
			if !f.external || c.usedFields[i][coord] || c.satisfiesInterface(sg, t, f.name) {
				continue
			}
			c.errs.add(CodeExternalUnused, sg.name, coord, "[%s] Field %q is marked @external but is not used in any federation directive (@key, @provides, @requires) or to satisfy an interface; the field declaration has no use and should be removed (or the field should not be @external).", sg.name, coord)
		}
	}
}

func (c *composer) satisfiesInterface(sg *subgraph, t *sgType, field string) bool {
	for _, iname := range t.interfaces {
		if it := sg.typ(iname); it != nil && it.field(field) != nil {
			return true
		}
	}
	return false
}

func (c *composer) checkOverrideLabels(sg *subgraph) {
	for _, name := range sg.order {
		for _, f := range sg.types[name].fields {
			if f.override == nil || f.overrideLabel == "" {
				continue
			}
			if !percentLabel.MatchString(f.overrideLabel) && !flagLabel.MatchString(f.overrideLabel) {
				coord := fieldCoord(name, f.name)
				c.errs.add(CodeOverrideLabelInvalid, sg.name, coord, "[%s] Invalid @override label %q on field %q on subgraph %q: labels must start with a letter and after that may contain alphanumerics, underscores, minuses, colons, periods, or be of the form percent(x) where x is a float between 0-100 inclusive.", sg.name, f.overrideLabel, coord, sg.name)
			}
		}
	}
}
