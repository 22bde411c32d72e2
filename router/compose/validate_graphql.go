package compose

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// checkGraphQL catches what GraphQL validation would, since subgraphs are
// parsed without it: references to unknown types, types used in the wrong
// position, bad union members and unimplemented interface fields.
func (c *composer) checkGraphQL(sg *subgraph) {
	for _, name := range sg.order {
		t := sg.types[name]
		for _, f := range t.fields {
			coord := fieldCoord(name, f.name)
			if t.kind == ast.InputObject {
				c.checkRef(sg, coord, f.typ, true)
				continue
			}
			c.checkRef(sg, coord, f.typ, false)
			for _, a := range f.args {
				c.checkRef(sg, coord+"("+a.name+":)", a.typ, true)
			}
		}
		for _, m := range t.members {
			if mt := sg.typ(m); mt == nil || mt.kind != ast.Object {
				c.errs.add(CodeInvalidSubgraph, sg.name, name, "[%s] Union type %q can only include Object types, it cannot include %q", sg.name, name, m)
			}
		}
		for _, iname := range t.interfaces {
			it := sg.typ(iname)
			if it == nil || it.kind != ast.Interface {
				c.errs.add(CodeInvalidSubgraph, sg.name, name, "[%s] Type %q must only implement Interface types, it cannot implement %q", sg.name, name, iname)
				continue
			}
			for _, f := range it.fields {
				if t.field(f.name) == nil {
					c.errs.add(CodeInvalidSubgraph, sg.name, fieldCoord(name, f.name), "[%s] Interface field %q expected but %q does not provide it.", sg.name, fieldCoord(iname, f.name), name)
				}
			}
		}
	}
}

// checkRef reports a type reference to an unknown type, or to a type that
// cannot be used in that position.
func (c *composer) checkRef(sg *subgraph, coord string, typ *ast.Type, input bool) {
	name := baseName(typ)
	if builtinScalars[name] || federationTypes[name] {
		return
	}
	t := sg.typ(name)
	switch {
	case t == nil:
		c.errs.add(CodeInvalidSubgraph, sg.name, coord, "[%s] Unknown type %q (used by %q)", sg.name, name, coord)
	case input && t.kind != ast.Scalar && t.kind != ast.Enum && t.kind != ast.InputObject:
		c.errs.add(CodeInvalidSubgraph, sg.name, coord, "[%s] The type of %q must be Input Type but got: %s", sg.name, coord, typ.String())
	case !input && t.kind == ast.InputObject:
		c.errs.add(CodeInvalidSubgraph, sg.name, coord, "[%s] The type of %q must be Output Type but got: %s", sg.name, coord, typ.String())
	}
}
