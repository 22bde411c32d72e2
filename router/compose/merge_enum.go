package compose

import (
	"fmt"
	"slices"

	"github.com/vektah/gqlparser/v2/ast"
)

// enumUse records where an enum appears, with one example coordinate each,
// since the merge rule depends on it.
type enumUse struct {
	input, output string
}

// enumUsage finds, across all subgraphs, whether the enum is used as an
// input type (arguments, input fields) and as an output type (fields).
func (c *composer) enumUsage(name string) enumUse {
	var u enumUse
	for _, sg := range c.sgs {
		for _, tn := range sg.order {
			t := sg.types[tn]
			for _, f := range t.fields {
				if baseName(f.typ) == name {
					if t.kind == ast.InputObject {
						u.input = firstNonEmpty(u.input, fieldCoord(tn, f.name))
					} else {
						u.output = firstNonEmpty(u.output, fieldCoord(tn, f.name))
					}
				}
				for _, a := range f.args {
					if baseName(a.typ) == name {
						u.input = firstNonEmpty(u.input, fmt.Sprintf("%s(%s:)", fieldCoord(tn, f.name), a.name))
					}
				}
			}
		}
	}
	return u
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// mergeEnum merges enum values: an enum only read as output gets the union
// of the values, one only used as input the intersection, and one used both
// ways must have the same values everywhere.
func (c *composer) mergeEnum(st *superType, srcs []*sgType) {
	st.directives = c.joinTypes(srcs)
	use := c.enumUsage(st.name)
	var names []string
	for _, s := range srcs {
		if s == nil {
			continue
		}
		for _, v := range s.values {
			names = appendUnique(names, v.name)
		}
	}
	for _, n := range names {
		var has, lacks []string
		var vals []*sgValue
		var joins []string
		for i, s := range srcs {
			if s == nil {
				continue
			}
			v := s.value(n)
			if v == nil {
				lacks = append(lacks, c.sgs[i].name)
				continue
			}
			has = append(has, c.sgs[i].name)
			vals = append(vals, v)
			joins = append(joins, fmt.Sprintf("@join__enumValue(graph: %s)", c.sgs[i].enumName))
		}
		// An @inaccessible value skips the checks, as in Apollo: clients
		// cannot send or receive it anyway.
		inaccessible := slices.ContainsFunc(vals, func(v *sgValue) bool { return v.inaccessible })
		if len(lacks) > 0 && !inaccessible {
			switch {
			case use.input != "" && use.output != "":
				c.errs.add(CodeEnumValueMismatch, lacks[0], st.name, "Enum type %q is used as both input type (for example, as type of %q) and output type (for example, as type of %q), but value %q is not defined in all the subgraphs defining %q: %q is defined in %s but not in %s", st.name, use.input, use.output, n, st.name, n, subgraphsLabel(has), subgraphsLabel(lacks))
				continue
			case use.input != "":
				continue // input-only enums keep the values every subgraph accepts
			}
		}
		sv := &superValue{name: n, directives: joins}
		var descs []string
		var list []applied
		for _, v := range vals {
			descs = append(descs, v.description)
			list = append(list, v.applied)
		}
		sv.description = mergeDescriptions(descs)
		sv.directives = append(sv.directives, c.mergeApplied(list)...)
		st.values = append(st.values, sv)
	}
	if len(st.values) == 0 && len(names) > 0 {
		var defining []string
		for i, s := range srcs {
			if s != nil {
				defining = append(defining, c.sgs[i].name)
			}
		}
		c.errs.add(CodeEmptyMergedEnum, defining[0], st.name, "None of the values of enum type %q are defined consistently in all the subgraphs defining that type. As only values common to all subgraphs are merged, this would result in an empty type.", st.name)
	}
}
