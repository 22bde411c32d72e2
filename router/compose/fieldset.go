package compose

import (
	"errors"
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// fieldSetKind says which federation directive a field set belongs to; the
// rules and error codes differ slightly between them.
type fieldSetKind int

const (
	fsKey fieldSetKind = iota
	fsRequires
	fsProvides
)

func (k fieldSetKind) directive() string {
	return [...]string{"@key", "@requires", "@provides"}[k]
}

func (k fieldSetKind) invalidCode() string {
	return [...]string{CodeKeyInvalidFields, CodeRequiresInvalidFields, CodeProvidesInvalidFields}[k]
}

// fieldSetUse is one field a field set selects; top marks fields selected
// directly on the type the set applies to.
type fieldSetUse struct {
	typeName string
	field    *sgField
	top      bool
	// leaf: selected without a sub-selection. Only leaves must be @external
	// in @requires and @provides; a field with a sub-selection only leads
	// to the external fields below it.
	leaf bool
}

// fieldSetCheck validates field sets of one subgraph and reports errors with
// the context Apollo's messages give ("On type "T", for @key(fields: ...)").
type fieldSetCheck struct {
	sg    *subgraph
	kind  fieldSetKind
	where string // `On type "T"` or `On field "T.f"`
	coord string
	set   string
	errs  *errorSink
	ok    bool
	uses  []fieldSetUse
}

// checkFieldSet parses fields against typeName in sg and returns every field
// it selects, and false when the set is invalid (errors already recorded).
func checkFieldSet(sg *subgraph, kind fieldSetKind, typeName, where, coord, fields string, errs *errorSink) ([]fieldSetUse, bool) {
	c := &fieldSetCheck{sg: sg, kind: kind, where: where, coord: coord, set: fields, errs: errs, ok: true}
	doc, err := parser.ParseQuery(&ast.Source{Name: "fieldset", Input: "{" + fields + "}"})
	if err != nil || len(doc.Operations) != 1 || len(doc.Fragments) > 0 {
		msg := "invalid field set"
		var ge *gqlerror.Error
		if errors.As(err, &ge) {
			msg = "Syntax Error: " + ge.Message
		}
		c.fail(kind.invalidCode(), "%s", msg)
		return nil, false
	}
	if len(doc.Operations[0].SelectionSet) == 0 {
		c.fail(kind.invalidCode(), "the field set is empty")
		return nil, false
	}
	c.walk(typeName, doc.Operations[0].SelectionSet, true)
	return c.uses, c.ok
}

func (c *fieldSetCheck) fail(code, format string, args ...any) {
	c.ok = false
	c.errs.add(code, c.sg.name, c.coord, "[%s] %s, for %s(fields: %q): %s", c.sg.name, c.where, c.kind.directive(), c.set, fmt.Sprintf(format, args...))
}

func (c *fieldSetCheck) walk(typeName string, sels ast.SelectionSet, top bool) {
	t := c.sg.typ(typeName)
	if t == nil {
		c.fail(c.kind.invalidCode(), "Unknown type %q", typeName)
		return
	}
	for _, sel := range sels {
		switch s := sel.(type) {
		case *ast.Field:
			c.walkField(t, s, top)
		case *ast.InlineFragment:
			cond := s.TypeCondition
			if cond == "" {
				cond = typeName
			}
			if c.sg.typ(cond) == nil {
				c.fail(c.kind.invalidCode(), "Unknown type %q", cond)
				continue
			}
			c.walk(cond, s.SelectionSet, top && cond == typeName)
		default:
			c.fail(c.kind.invalidCode(), "fragment spreads are not allowed in field sets")
		}
	}
}

func (c *fieldSetCheck) walkField(t *sgType, s *ast.Field, top bool) {
	if s.Name == "__typename" {
		return
	}
	if t.kind != ast.Object && t.kind != ast.Interface {
		c.fail(c.kind.invalidCode(), "Cannot query field %q on type %q", s.Name, t.name)
		return
	}
	f := t.field(s.Name)
	if f == nil {
		c.fail(c.kind.invalidCode(), "Cannot query field %q on type %q (if the field is defined in another subgraph, you need to add it to this subgraph with @external).", s.Name, t.name)
		return
	}
	if s.Alias != "" && s.Alias != s.Name {
		c.fail(c.kind.invalidCode(), "aliases are not allowed in field sets (%q)", s.Alias)
		return
	}
	if len(s.Arguments) > 0 && c.kind != fsRequires {
		c.fail(c.kind.invalidCode(), "field %q cannot be given arguments in a field set", fieldCoord(t.name, f.name))
		return
	}
	// @requires may pass arguments (the router fetches the required field
	// with them), but only ones the field declares, with constant values.
	if !c.checkArguments(t, f, s) {
		return
	}
	if c.kind == fsKey && len(f.args) > 0 {
		c.fail(CodeKeyFieldsHasArgs, "field %s cannot be included because it has arguments (fields with argument are not allowed in @key)", fieldCoord(t.name, f.name))
		return
	}
	c.uses = append(c.uses, fieldSetUse{typeName: t.name, field: f, top: top, leaf: len(s.SelectionSet) == 0})
	base := baseName(f.typ)
	bt := c.sg.typ(base)
	composite := bt != nil && (bt.kind == ast.Object || bt.kind == ast.Interface || bt.kind == ast.Union)
	if c.kind == fsKey && bt != nil && (bt.kind == ast.Interface || bt.kind == ast.Union) {
		c.fail(CodeKeyFieldsInvalidType, "field %q is of kind %s, which is not allowed in @key", fieldCoord(t.name, f.name), kindName(bt.kind))
		return
	}
	switch {
	case composite && len(s.SelectionSet) == 0:
		c.fail(c.kind.invalidCode(), "Field %q of type %q must have a selection of subfields. Did you mean \"%s { ... }\"?", s.Name, f.typ.String(), s.Name)
	case !composite && len(s.SelectionSet) > 0:
		c.fail(c.kind.invalidCode(), "Field %q must not have a selection since type %q has no subfields.", s.Name, f.typ.String())
	case composite:
		c.walk(base, s.SelectionSet, false)
	}
}

// checkArguments accepts the arguments a field set passes to f when f
// declares each of them and every value is a constant.
func (c *fieldSetCheck) checkArguments(t *sgType, f *sgField, s *ast.Field) bool {
	for _, a := range s.Arguments {
		declared := false
		for _, fa := range f.args {
			if fa.name == a.Name {
				declared = true
				break
			}
		}
		if !declared {
			c.fail(c.kind.invalidCode(), "Unknown argument %q found on field %q", a.Name, fieldCoord(t.name, f.name))
			return false
		}
		if a.Value != nil && !isConstant(a.Value) {
			c.fail(c.kind.invalidCode(), "argument %q of field %q must be a constant, not a variable", a.Name, fieldCoord(t.name, f.name))
			return false
		}
	}
	return true
}

// isConstant reports whether v holds no variable at any depth.
func isConstant(v *ast.Value) bool {
	if v.Kind == ast.Variable {
		return false
	}
	for _, ch := range v.Children {
		if !isConstant(ch.Value) {
			return false
		}
	}
	return true
}

// baseName is the named type under any list and non-null wrappers.
func baseName(t *ast.Type) string {
	for t != nil && t.NamedType == "" {
		t = t.Elem
	}
	if t == nil {
		return ""
	}
	return t.NamedType
}

// topLevelFields lists the fields a field set selects directly (including
// inside inline fragments on the type itself); it returns nil when the set
// does not parse, which validation reports separately.
func topLevelFields(fields string) []string {
	doc, err := parser.ParseQuery(&ast.Source{Name: "fieldset", Input: "{" + fields + "}"})
	if err != nil || len(doc.Operations) != 1 {
		return nil
	}
	var out []string
	var walk func(ast.SelectionSet)
	walk = func(sels ast.SelectionSet) {
		for _, sel := range sels {
			switch s := sel.(type) {
			case *ast.Field:
				if s.Name != "__typename" {
					out = append(out, s.Name)
				}
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			}
		}
	}
	walk(doc.Operations[0].SelectionSet)
	return out
}
