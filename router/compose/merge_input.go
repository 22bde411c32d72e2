package compose

import (
	"fmt"
)

// mergeInput merges an input object type: only fields every defining
// subgraph declares survive (a subgraph would reject the others), with the
// most restrictive type; a required field missing somewhere is an error.
func (c *composer) mergeInput(st *superType, srcs []*sgType) {
	st.directives = c.joinTypes(srcs)
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
		coord := fieldCoord(st.name, n)
		var refs []typeRef
		var fields []*sgField
		var missing, required []string
		for i, s := range srcs {
			if s == nil {
				continue
			}
			f := s.field(n)
			if f == nil {
				missing = append(missing, c.sgs[i].name)
				continue
			}
			if f.typ.NonNull && f.def == nil {
				required = append(required, c.sgs[i].name)
			}
			refs = append(refs, typeRef{i, f.typ})
			fields = append(fields, f)
		}
		if len(missing) > 0 {
			if len(required) > 0 {
				c.errs.add(CodeRequiredInputField, required[0], coord, "Input object field %q is required in some subgraphs but does not appear in all subgraphs: it is required in %s but does not appear in %s", coord, subgraphsLabel(required), subgraphsLabel(missing))
			}
			continue
		}
		typ, allEqual, ok := c.mergeTypeRefs(refs, true)
		if !ok {
			c.errs.add(CodeFieldTypeMismatch, c.sgs[refs[0].sg].name, coord, "Type of field %q is incompatible across subgraphs: it has %s", coord, c.describeTypes(refs))
			continue
		}
		first := fields[0].def
		consistent := true
		for _, f := range fields[1:] {
			if renderValue(f.def) != renderValue(first) {
				consistent = false
			}
		}
		if !consistent {
			args := make([]*sgArg, len(fields))
			for i, f := range fields {
				args[i] = &sgArg{def: f.def}
			}
			c.errs.add(CodeInputFieldDefault, c.sgs[refs[0].sg].name, coord, "Input field %q has incompatible default values across subgraphs: it has %s", coord, c.describeDefaults(refs, args))
			continue
		}
		out := &superField{name: n, typ: typ, def: first}
		var descs []string
		if !allEqual {
			for _, r := range refs {
				out.directives = append(out.directives, fmt.Sprintf("@join__field(graph: %s, type: %s)", c.sgs[r.sg].enumName, quote(r.typ.String())))
			}
		}
		for _, f := range fields {
			descs = append(descs, f.description)
		}
		out.description = mergeDescriptions(descs)
		out.directives = append(out.directives, c.elementDirectives(fieldsOf(srcs, n))...)
		st.fields = append(st.fields, out)
	}
	if len(st.fields) == 0 && len(names) > 0 {
		c.errs.add(CodeEmptyMergedInput, firstDefining(c, srcs), st.name, "None of the fields of input object type %q are consistently defined in all the subgraphs defining that type. As only fields common to all subgraphs are merged, this would result in an empty type.", st.name)
	}
}

func fieldsOf(srcs []*sgType, name string) []*sgField {
	out := make([]*sgField, len(srcs))
	for i, s := range srcs {
		if s != nil {
			out[i] = s.field(name)
		}
	}
	return out
}

func firstDefining(c *composer, srcs []*sgType) string {
	for i, s := range srcs {
		if s != nil {
			return c.sgs[i].name
		}
	}
	return ""
}
