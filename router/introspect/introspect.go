// Package introspect answers the introspection fields __schema and __type
// from the router's API schema, without asking any subgraph: the router
// owns the schema clients see.
package introspect

import (
	"fmt"
	"sort"

	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2/ast"
)

// Resolver answers __schema and __type from one schema.
type Resolver struct {
	schema  *ast.Schema
	applies plan.Applies
	types   []*ast.Definition
	dirs    []*ast.DirectiveDefinition
}

// New prepares introspection answers for schema.
func New(schema *ast.Schema) *Resolver {
	in := &Resolver{schema: schema, applies: plan.SchemaApplies(schema)}
	names := make([]string, 0, len(schema.Types))
	for n := range schema.Types {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		in.types = append(in.types, schema.Types[n])
	}
	dn := make([]string, 0, len(schema.Directives))
	for n := range schema.Directives {
		dn = append(dn, n)
	}
	sort.Strings(dn)
	for _, n := range dn {
		in.dirs = append(in.dirs, schema.Directives[n])
	}
	return in
}

// Resolve answers one root introspection field (__schema or __type).
func (in *Resolver) Resolve(cf *plan.CollectedField, vars map[string]any) ([]byte, error) {
	f := cf.First()
	c := icall{in: in, vars: vars}
	switch f.Name {
	case "__schema":
		c.object("__Schema", in.schema, cf.SubSelections())
	case "__type":
		name, _ := c.arg(f, "name").(string)
		def := in.schema.Types[name]
		if def == nil {
			c.buf = append(c.buf, "null"...)
			break
		}
		c.object("__Type", typeRef{def: def}, cf.SubSelections())
	default:
		return nil, fmt.Errorf("%s is not an introspection field", f.Name)
	}
	return c.buf, c.err
}

// typeRef is a __Type: a named definition or a list/non-null wrapper.
type typeRef struct {
	def *ast.Definition
	t   *ast.Type
}

type icall struct {
	in   *Resolver
	vars map[string]any
	buf  []byte
	err  error
}

func (c *icall) arg(f *plan.Field, name string) any {
	a := f.Arguments.ForName(name)
	if a == nil || a.Value == nil {
		return nil
	}
	v, err := a.Value.Value(c.vars)
	if err != nil {
		c.err = err
		return nil
	}
	return v
}

func (c *icall) includeDeprecated(f *plan.Field) bool {
	b, _ := c.arg(f, "includeDeprecated").(bool)
	return b
}

func (c *icall) object(typ string, obj any, sels []plan.Selection) {
	c.buf = append(c.buf, '{')
	for i, cf := range plan.CollectFields(sels, typ, c.in.applies) {
		if i > 0 {
			c.buf = append(c.buf, ',')
		}
		c.buf = wire.AppendString(c.buf, cf.Key)
		c.buf = append(c.buf, ':')
		c.field(typ, obj, cf)
	}
	c.buf = append(c.buf, '}')
}

func (c *icall) list(typ string, n int, at func(int) any, sels []plan.Selection) {
	c.buf = append(c.buf, '[')
	for i := 0; i < n; i++ {
		if i > 0 {
			c.buf = append(c.buf, ',')
		}
		c.object(typ, at(i), sels)
	}
	c.buf = append(c.buf, ']')
}

func (c *icall) str(s string) {
	if s == "" {
		c.buf = append(c.buf, "null"...)
		return
	}
	c.buf = wire.AppendString(c.buf, s)
}

func deprecation(dirs ast.DirectiveList) (bool, string) {
	d := dirs.ForName("deprecated")
	if d == nil {
		return false, ""
	}
	reason := "No longer supported"
	if a := d.Arguments.ForName("reason"); a != nil && a.Value != nil {
		reason = a.Value.Raw
	}
	return true, reason
}

func (c *icall) field(typ string, obj any, cf *plan.CollectedField) {
	f := cf.First()
	subs := cf.SubSelections()
	if f.Name == "__typename" {
		c.buf = wire.AppendString(c.buf, typ)
		return
	}
	switch o := obj.(type) {
	case *ast.Schema:
		switch f.Name {
		case "description":
			c.str(o.Description)
		case "types":
			c.list("__Type", len(c.in.types), func(i int) any { return typeRef{def: c.in.types[i]} }, subs)
		case "queryType":
			c.defOrNull(o.Query, subs)
		case "mutationType":
			c.defOrNull(o.Mutation, subs)
		case "subscriptionType":
			c.defOrNull(o.Subscription, subs)
		case "directives":
			c.list("__Directive", len(c.in.dirs), func(i int) any { return c.in.dirs[i] }, subs)
		default:
			c.buf = append(c.buf, "null"...)
		}
	case typeRef:
		c.typeField(o, f, subs)
	case *ast.FieldDefinition:
		switch f.Name {
		case "name":
			c.str(o.Name)
		case "description":
			c.str(o.Description)
		case "args":
			args := c.args(o.Arguments, c.includeDeprecated(f))
			c.list("__InputValue", len(args), func(i int) any { return args[i] }, subs)
		case "type":
			c.object("__Type", typeRef{t: o.Type}, subs)
		case "isDeprecated":
			d, _ := deprecation(o.Directives)
			c.buf = wire.AppendJSON(c.buf, d)
		case "deprecationReason":
			_, r := deprecation(o.Directives)
			c.str(r)
		default:
			c.buf = append(c.buf, "null"...)
		}
	case inputField:
		c.inputValue(o.Name, o.Description, o.Type, o.DefaultValue, o.Directives, f, subs)
	case *ast.ArgumentDefinition:
		c.inputValue(o.Name, o.Description, o.Type, o.DefaultValue, o.Directives, f, subs)
	case *ast.EnumValueDefinition:
		switch f.Name {
		case "name":
			c.str(o.Name)
		case "description":
			c.str(o.Description)
		case "isDeprecated":
			d, _ := deprecation(o.Directives)
			c.buf = wire.AppendJSON(c.buf, d)
		case "deprecationReason":
			_, r := deprecation(o.Directives)
			c.str(r)
		default:
			c.buf = append(c.buf, "null"...)
		}
	case *ast.DirectiveDefinition:
		switch f.Name {
		case "name":
			c.str(o.Name)
		case "description":
			c.str(o.Description)
		case "locations":
			c.buf = append(c.buf, '[')
			for i, l := range o.Locations {
				if i > 0 {
					c.buf = append(c.buf, ',')
				}
				c.buf = wire.AppendString(c.buf, string(l))
			}
			c.buf = append(c.buf, ']')
		case "args":
			args := c.args(o.Arguments, c.includeDeprecated(f))
			c.list("__InputValue", len(args), func(i int) any { return args[i] }, subs)
		case "isRepeatable":
			c.buf = wire.AppendJSON(c.buf, o.IsRepeatable)
		default:
			c.buf = append(c.buf, "null"...)
		}
	default:
		c.buf = append(c.buf, "null"...)
	}
}

// inputField adapts an input object field to __InputValue.
type inputField struct{ *ast.FieldDefinition }

func (c *icall) args(list ast.ArgumentDefinitionList, withDeprecated bool) []any {
	out := make([]any, 0, len(list))
	for _, a := range list {
		if d, _ := deprecation(a.Directives); d && !withDeprecated {
			continue
		}
		out = append(out, a)
	}
	return out
}

func (c *icall) inputValue(name, desc string, t *ast.Type, def *ast.Value, dirs ast.DirectiveList, f *plan.Field, subs []plan.Selection) {
	switch f.Name {
	case "name":
		c.str(name)
	case "description":
		c.str(desc)
	case "type":
		c.object("__Type", typeRef{t: t}, subs)
	case "defaultValue":
		if def == nil {
			c.buf = append(c.buf, "null"...)
		} else {
			c.buf = wire.AppendString(c.buf, def.String())
		}
	case "isDeprecated":
		d, _ := deprecation(dirs)
		c.buf = wire.AppendJSON(c.buf, d)
	case "deprecationReason":
		_, r := deprecation(dirs)
		c.str(r)
	default:
		c.buf = append(c.buf, "null"...)
	}
}

func (c *icall) defOrNull(d *ast.Definition, subs []plan.Selection) {
	if d == nil {
		c.buf = append(c.buf, "null"...)
		return
	}
	c.object("__Type", typeRef{def: d}, subs)
}

func (c *icall) typeField(tr typeRef, f *plan.Field, subs []plan.Selection) {
	// Wrappers first: NON_NULL wraps LIST wraps the named type.
	if tr.t != nil {
		if tr.t.NonNull {
			inner := *tr.t
			inner.NonNull = false
			c.wrapperField("NON_NULL", typeRef{t: &inner}, f, subs)
			return
		}
		if tr.t.Elem != nil {
			c.wrapperField("LIST", typeRef{t: tr.t.Elem}, f, subs)
			return
		}
		d := c.in.schema.Types[tr.t.NamedType]
		if d == nil {
			c.buf = append(c.buf, "null"...)
			return
		}
		tr = typeRef{def: d}
	}
	d := tr.def
	switch f.Name {
	case "kind":
		c.buf = wire.AppendString(c.buf, string(d.Kind))
	case "name":
		c.str(d.Name)
	case "description":
		c.str(d.Description)
	case "specifiedByURL":
		url := ""
		if sd := d.Directives.ForName("specifiedBy"); sd != nil {
			if a := sd.Arguments.ForName("url"); a != nil && a.Value != nil {
				url = a.Value.Raw
			}
		}
		c.str(url)
	case "isOneOf":
		if d.Kind != ast.InputObject {
			c.buf = append(c.buf, "null"...)
			return
		}
		c.buf = wire.AppendJSON(c.buf, d.Directives.ForName("oneOf") != nil)
	case "fields":
		if d.Kind != ast.Object && d.Kind != ast.Interface {
			c.buf = append(c.buf, "null"...)
			return
		}
		withDep := c.includeDeprecated(f)
		var fs []any
		for _, fd := range d.Fields {
			if len(fd.Name) > 1 && fd.Name[:2] == "__" {
				continue
			}
			if dep, _ := deprecation(fd.Directives); dep && !withDep {
				continue
			}
			fs = append(fs, fd)
		}
		c.list("__Field", len(fs), func(i int) any { return fs[i] }, subs)
	case "interfaces":
		if d.Kind != ast.Object && d.Kind != ast.Interface {
			c.buf = append(c.buf, "null"...)
			return
		}
		c.list("__Type", len(d.Interfaces), func(i int) any { return typeRef{def: c.in.schema.Types[d.Interfaces[i]]} }, subs)
	case "possibleTypes":
		if !d.IsAbstractType() {
			c.buf = append(c.buf, "null"...)
			return
		}
		pts := c.in.schema.PossibleTypes[d.Name]
		c.list("__Type", len(pts), func(i int) any { return typeRef{def: pts[i]} }, subs)
	case "enumValues":
		if d.Kind != ast.Enum {
			c.buf = append(c.buf, "null"...)
			return
		}
		withDep := c.includeDeprecated(f)
		var vs []any
		for _, v := range d.EnumValues {
			if dep, _ := deprecation(v.Directives); dep && !withDep {
				continue
			}
			vs = append(vs, v)
		}
		c.list("__EnumValue", len(vs), func(i int) any { return vs[i] }, subs)
	case "inputFields":
		if d.Kind != ast.InputObject {
			c.buf = append(c.buf, "null"...)
			return
		}
		withDep := c.includeDeprecated(f)
		var vs []any
		for _, fd := range d.Fields {
			if dep, _ := deprecation(fd.Directives); dep && !withDep {
				continue
			}
			vs = append(vs, inputField{fd})
		}
		c.list("__InputValue", len(vs), func(i int) any { return vs[i] }, subs)
	case "ofType":
		c.buf = append(c.buf, "null"...)
	default:
		c.buf = append(c.buf, "null"...)
	}
}

func (c *icall) wrapperField(kind string, of typeRef, f *plan.Field, subs []plan.Selection) {
	switch f.Name {
	case "kind":
		c.buf = wire.AppendString(c.buf, kind)
	case "ofType":
		c.object("__Type", of, subs)
	default:
		c.buf = append(c.buf, "null"...)
	}
}
