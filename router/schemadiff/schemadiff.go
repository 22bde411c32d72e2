// Package schemadiff compares two versions of an API schema (what clients
// see) and classifies each change by what it does to existing clients:
// breaking (a valid operation may stop validating, or a generated client type
// stops being true), dangerous (operations still validate but clients may
// meet values they did not expect) or safe. The classification follows GraphQL
// Inspector's, so `cinegraph compose --diff` agrees with the tools client
// teams already use.
package schemadiff

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/vektah/gqlparser/v2/ast"
)

// Severity says what a change does to existing clients.
type Severity int

const (
	// Safe changes keep every existing operation and its result types valid.
	Safe Severity = iota
	// Dangerous changes keep operations valid but may surprise a client: a new
	// enum value or union member its switch does not handle, a new default.
	Dangerous
	// Breaking changes can make an existing operation fail validation or
	// return values its generated types rule out.
	Breaking
)

func (s Severity) String() string {
	switch s {
	case Safe:
		return "SAFE"
	case Dangerous:
		return "DANGEROUS"
	case Breaking:
		return "BREAKING"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// Change is one difference between the old and the new schema.
type Change struct {
	Severity Severity
	// Path names the schema element: Type, Type.field, Type.field(arg:),
	// Enum.VALUE, Input.field, @directive or @directive(arg:).
	Path    string
	Message string
}

func (c Change) String() string {
	return fmt.Sprintf("%-9s %s: %s", c.Severity, c.Path, c.Message)
}

// Count returns how many changes have severity s.
func Count(changes []Change, s Severity) int {
	n := 0
	for _, c := range changes {
		if c.Severity == s {
			n++
		}
	}
	return n
}

// Compare returns the changes from old to new, most severe first, then by
// path. Built-in types and directives are not compared.
func Compare(old, new *ast.Schema) []Change {
	d := &differ{}
	d.roots(old, new)
	for _, name := range sortedKeys(old.Types) {
		o := old.Types[name]
		if o.BuiltIn {
			continue
		}
		n, ok := new.Types[name]
		if !ok {
			d.add(Breaking, name, "type removed")
			continue
		}
		d.definition(o, n)
	}
	for _, name := range sortedKeys(new.Types) {
		if _, ok := old.Types[name]; !ok && !new.Types[name].BuiltIn {
			d.add(Safe, name, "type added")
		}
	}
	d.directives(old, new)
	slices.SortStableFunc(d.changes, func(a, b Change) int {
		if c := cmp.Compare(b.Severity, a.Severity); c != 0 {
			return c
		}
		return cmp.Compare(a.Path, b.Path)
	})
	return d.changes
}

type differ struct {
	changes []Change
}

func (d *differ) add(s Severity, path, format string, args ...any) {
	d.changes = append(d.changes, Change{Severity: s, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (d *differ) roots(old, new *ast.Schema) {
	for _, r := range []struct {
		op       string
		old, new *ast.Definition
	}{
		{"query", old.Query, new.Query},
		{"mutation", old.Mutation, new.Mutation},
		{"subscription", old.Subscription, new.Subscription},
	} {
		switch {
		case r.old == nil:
		case r.new == nil:
			d.add(Breaking, "schema."+r.op, "root type %s removed", r.old.Name)
		case r.old.Name != r.new.Name:
			d.add(Breaking, "schema."+r.op, "root type changed from %s to %s", r.old.Name, r.new.Name)
		}
	}
}

func (d *differ) definition(o, n *ast.Definition) {
	if o.Kind != n.Kind {
		d.add(Breaking, o.Name, "kind changed from %s to %s", o.Kind, n.Kind)
		return
	}
	switch o.Kind {
	case ast.Object, ast.Interface:
		d.members(o.Name, "interface", o.Interfaces, n.Interfaces, Dangerous)
		d.outputFields(o, n)
	case ast.Union:
		d.members(o.Name, "member", o.Types, n.Types, Dangerous)
	case ast.Enum:
		d.enumValues(o, n)
	case ast.InputObject:
		d.inputFields(o, n)
	}
}

// members compares implemented interfaces or union members: a removed one
// breaks fragments on it; an added one reaches clients' type switches.
func (d *differ) members(path, what string, old, new []string, added Severity) {
	for _, m := range old {
		if !slices.Contains(new, m) {
			d.add(Breaking, path, "%s %s removed", what, m)
		}
	}
	for _, m := range new {
		if !slices.Contains(old, m) {
			d.add(added, path, "%s %s added", what, m)
		}
	}
}

func (d *differ) outputFields(o, n *ast.Definition) {
	for _, of := range o.Fields {
		path := o.Name + "." + of.Name
		nf := n.Fields.ForName(of.Name)
		if nf == nil {
			d.add(Breaking, path, "field removed")
			continue
		}
		if !sameType(of.Type, nf.Type) {
			sev := Safe
			if !outputCompatible(of.Type, nf.Type) {
				sev = Breaking
			}
			d.add(sev, path, "type changed from %s to %s", of.Type, nf.Type)
		}
		d.arguments(path, of.Arguments, nf.Arguments)
	}
	for _, nf := range n.Fields {
		if o.Fields.ForName(nf.Name) == nil {
			d.add(Safe, o.Name+"."+nf.Name, "field added")
		}
	}
}

func (d *differ) arguments(path string, old, new ast.ArgumentDefinitionList) {
	for _, oa := range old {
		p := path + "(" + oa.Name + ":)"
		na := new.ForName(oa.Name)
		if na == nil {
			d.add(Breaking, p, "argument removed")
			continue
		}
		d.input(p, oa.Type, na.Type, oa.DefaultValue, na.DefaultValue)
	}
	for _, na := range new {
		if old.ForName(na.Name) != nil {
			continue
		}
		p := path + "(" + na.Name + ":)"
		if required(na.Type, na.DefaultValue) {
			d.add(Breaking, p, "required argument added")
		} else {
			d.add(Dangerous, p, "optional argument added")
		}
	}
}

func (d *differ) inputFields(o, n *ast.Definition) {
	for _, of := range o.Fields {
		path := o.Name + "." + of.Name
		nf := n.Fields.ForName(of.Name)
		if nf == nil {
			d.add(Breaking, path, "input field removed")
			continue
		}
		d.input(path, of.Type, nf.Type, of.DefaultValue, nf.DefaultValue)
	}
	for _, nf := range n.Fields {
		if o.Fields.ForName(nf.Name) != nil {
			continue
		}
		path := o.Name + "." + nf.Name
		if required(nf.Type, nf.DefaultValue) {
			d.add(Breaking, path, "required input field added")
		} else {
			d.add(Dangerous, path, "optional input field added")
		}
	}
}

// input compares a value clients send: an argument or an input field.
func (d *differ) input(path string, ot, nt *ast.Type, odef, ndef *ast.Value) {
	if !sameType(ot, nt) {
		sev := Safe
		if !inputCompatible(ot, nt) {
			sev = Breaking
		}
		d.add(sev, path, "type changed from %s to %s", ot, nt)
	}
	switch {
	case odef == nil && ndef == nil:
	case odef == nil:
		d.add(Dangerous, path, "default value %s added", ndef)
	case ndef == nil:
		d.add(Dangerous, path, "default value %s removed", odef)
	case odef.String() != ndef.String():
		d.add(Dangerous, path, "default value changed from %s to %s", odef, ndef)
	}
}

func (d *differ) enumValues(o, n *ast.Definition) {
	for _, ov := range o.EnumValues {
		if n.EnumValues.ForName(ov.Name) == nil {
			d.add(Breaking, o.Name+"."+ov.Name, "enum value removed")
		}
	}
	for _, nv := range n.EnumValues {
		if o.EnumValues.ForName(nv.Name) == nil {
			d.add(Dangerous, o.Name+"."+nv.Name, "enum value added")
		}
	}
}

// directives compares the schema's own directive definitions; a client can
// only use executable ones, but a removed type-system directive still
// changes what introspection promises.
func (d *differ) directives(old, new *ast.Schema) {
	for _, name := range sortedKeys(old.Directives) {
		o := old.Directives[name]
		if builtinDirective(o) {
			continue
		}
		path := "@" + name
		n, ok := new.Directives[name]
		if !ok {
			d.add(Breaking, path, "directive removed")
			continue
		}
		for _, loc := range o.Locations {
			if !slices.Contains(n.Locations, loc) {
				d.add(Breaking, path, "location %s removed", loc)
			}
		}
		if o.IsRepeatable && !n.IsRepeatable {
			d.add(Breaking, path, "no longer repeatable")
		}
		d.arguments(path, o.Arguments, n.Arguments)
	}
	for _, name := range sortedKeys(new.Directives) {
		if _, ok := old.Directives[name]; !ok && !builtinDirective(new.Directives[name]) {
			d.add(Safe, "@"+name, "directive added")
		}
	}
}

func builtinDirective(dd *ast.DirectiveDefinition) bool {
	return dd.Position != nil && dd.Position.Src != nil && dd.Position.Src.BuiltIn
}

func required(t *ast.Type, def *ast.Value) bool { return t.NonNull && def == nil }

func sameType(a, b *ast.Type) bool { return a.String() == b.String() }

// nullable returns t without its outer non-null.
func nullable(t *ast.Type) *ast.Type {
	c := *t
	c.NonNull = false
	return &c
}

// outputCompatible reports whether clients that read a field of type old can
// read new: only adding non-null is allowed, since a client's types (and its
// code) assume a non-null value is always there.
func outputCompatible(old, new *ast.Type) bool {
	switch {
	case old.NonNull && !new.NonNull:
		return false
	case old.NonNull:
		return outputCompatible(nullable(old), nullable(new))
	case new.NonNull:
		return outputCompatible(old, nullable(new))
	case old.Elem != nil || new.Elem != nil:
		return old.Elem != nil && new.Elem != nil && outputCompatible(old.Elem, new.Elem)
	}
	return old.NamedType == new.NamedType
}

// inputCompatible reports whether every value valid for an input of type old
// is valid for new: only dropping non-null is allowed, since a client that
// omits or nulls an optional input would be refused by a required one.
func inputCompatible(old, new *ast.Type) bool {
	switch {
	case new.NonNull && !old.NonNull:
		return false
	case new.NonNull:
		return inputCompatible(nullable(old), nullable(new))
	case old.NonNull:
		return inputCompatible(nullable(old), new)
	case old.Elem != nil || new.Elem != nil:
		return old.Elem != nil && new.Elem != nil && inputCompatible(old.Elem, new.Elem)
	}
	return old.NamedType == new.NamedType
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
