package compose

import (
	"maps"
	"slices"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Subgraph is one subgraph to compose: its name (as routers and @override
// refer to it), the URL the router sends its requests to, and its SDL.
type Subgraph struct {
	Name string
	URL  string
	SDL  string
}

// sgKey is one @key of a type in a subgraph.
type sgKey struct {
	fields     string
	resolvable bool
	// resolvableGiven records an explicit resolvable argument, which the
	// supergraph repeats as written.
	resolvableGiven bool
	extension       bool
}

// sgArg is a field argument as one subgraph declares it.
type sgArg struct {
	name, description string
	typ               *ast.Type
	def               *ast.Value
	applied
}

// sgField is a field (or input field) as one subgraph declares it.
type sgField struct {
	name, description string
	typ               *ast.Type
	args              []*sgArg
	def               *ast.Value // input fields only
	external          bool
	shareable         bool
	requires          *string
	provides          *string
	override          *string
	overrideLabel     string
	applied
	pos *ast.Position
}

// sgValue is an enum value as one subgraph declares it.
type sgValue struct {
	name, description string
	applied
}

// sgType is a named type of one subgraph, with its definition and all its
// extensions folded together.
type sgType struct {
	name, description string
	kind              ast.DefinitionKind
	hasDefinition     bool // false when the subgraph only extends it
	extends           bool // @extends
	interfaces        []string
	members           []string
	values            []*sgValue
	fields            []*sgField
	keys              []sgKey
	shareable         bool
	interfaceObject   bool
	applied
	specifiedBy *ast.Directive
}

func (t *sgType) field(name string) *sgField {
	for _, f := range t.fields {
		if f.name == name {
			return f
		}
	}
	return nil
}

func (t *sgType) value(name string) *sgValue {
	for _, v := range t.values {
		if v.name == name {
			return v
		}
	}
	return nil
}

// isEntity reports whether the type has at least one @key.
func (t *sgType) isEntity() bool { return len(t.keys) > 0 }

// subgraph is one parsed and normalised subgraph.
type subgraph struct {
	name, url string
	enumName  string // its value in join__Graph
	link      fedLink
	types     map[string]*sgType
	order     []string // type names in order of first appearance
	roots     map[ast.Operation]string
	// executable directive definitions, kept for the supergraph when every
	// subgraph agrees on them.
	directives []*ast.DirectiveDefinition
	// composed maps the directives named by @composeDirective to their
	// supergraph names; composedDefs describes them.
	composed     map[string]string
	composedDefs []composedDirective
}

func (s *subgraph) typ(name string) *sgType { return s.types[name] }

// builtinScalars never appear in a supergraph as definitions.
var builtinScalars = map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}

// federationTypes are definitions a subgraph SDL may carry for the
// federation machinery; they are not part of the composed API.
var federationTypes = map[string]bool{
	"_Service": true, "_Entity": true, "_Any": true, "_FieldSet": true, "FieldSet": true,
	"federation__FieldSet": true, "federation__Scope": true, "federation__Policy": true,
	"federation__ContextFieldValue": true, "link__Import": true, "link__Purpose": true,
	"Scope": true, "Policy": true, "ContextFieldValue": true,
}

// parseSubgraph parses one SDL and folds its definitions and extensions into
// the subgraph model, resolving federation directive names on the way.
func parseSubgraph(in Subgraph, errs *errorSink) *subgraph {
	doc, err := parser.ParseSchema(&ast.Source{Name: in.Name, Input: in.SDL})
	if err != nil {
		errs.add(CodeInvalidSubgraph, in.Name, "", "[%s] Invalid GraphQL: %v", in.Name, err)
		return nil
	}
	sg := &subgraph{
		name:  in.Name,
		url:   in.URL,
		link:  readFedLink(doc, in.Name, errs),
		types: map[string]*sgType{},
		roots: map[ast.Operation]string{},
	}
	sg.readComposeDirectives(doc, errs)
	for _, d := range doc.Definitions {
		sg.addDefinition(d, false, errs)
	}
	for _, d := range doc.Extensions {
		sg.addDefinition(d, true, errs)
	}
	sg.readRoots(doc, errs)
	for _, dd := range doc.Directives {
		_, composed := sg.composed[dd.Name]
		if isExecutableDirective(dd) && !composed && sg.link.canonical(dd.Name) == "" && dd.Name != "link" {
			sg.directives = append(sg.directives, dd)
		}
	}
	sg.addImplicitQuery()
	return sg
}

// addImplicitQuery gives every subgraph a Query type, as Apollo does: each
// subgraph serves at least _service, so Query exists in all of them.
func (s *subgraph) addImplicitQuery() {
	if _, ok := s.roots[ast.Query]; ok {
		return
	}
	if _, taken := s.types["Query"]; taken {
		return
	}
	s.types["Query"] = &sgType{name: "Query", kind: ast.Object, hasDefinition: true}
	s.order = append(s.order, "Query")
	s.roots[ast.Query] = "Query"
}

func isExecutableDirective(dd *ast.DirectiveDefinition) bool {
	for _, l := range dd.Locations {
		switch l {
		case ast.LocationQuery, ast.LocationMutation, ast.LocationSubscription, ast.LocationField,
			ast.LocationFragmentDefinition, ast.LocationFragmentSpread, ast.LocationInlineFragment,
			ast.LocationVariableDefinition:
			return true
		}
	}
	return false
}

// readRoots records the root operation types and renames non-default root
// type names (schema { query: RootQuery }) to Query/Mutation/Subscription,
// as the supergraph always uses the default names.
func (s *subgraph) readRoots(doc *ast.SchemaDocument, errs *errorSink) {
	declared := map[ast.Operation]string{}
	for _, list := range []ast.SchemaDefinitionList{doc.Schema, doc.SchemaExtension} {
		for _, sd := range list {
			for _, op := range sd.OperationTypes {
				declared[op.Operation] = op.Type
			}
		}
	}
	defaults := []struct {
		op   ast.Operation
		name string
		code string
	}{
		{ast.Query, "Query", CodeRootQueryUsed},
		{ast.Mutation, "Mutation", CodeRootMutationUsed},
		{ast.Subscription, "Subscription", CodeRootSubscriptionUsed},
	}
	for _, d := range defaults {
		name, ok := declared[d.op]
		if !ok {
			if s.types[d.name] == nil {
				continue
			}
			if len(declared) > 0 && !slices.Contains(slices.Collect(maps.Values(declared)), d.name) {
				// The supergraph would make this type a root it is not here.
				errs.add(d.code, s.name, d.name, "[%s] The schema has a type named %q but it is not set as the %s root type: this is not supported by federation. If a root type does not use its default name, there should be no other type with that default name.", s.name, d.name, d.op)
				continue
			}
			if len(declared) > 0 {
				continue
			}
			name = d.name
		}
		t := s.types[name]
		if t == nil {
			errs.add(CodeInvalidSubgraph, s.name, name, "[%s] Root type %q of %s operations is not defined", s.name, name, d.op)
			continue
		}
		if t.kind != ast.Object {
			errs.add(CodeRootTypeKind, s.name, name, "[%s] Root type for %s operations must be an object type, but %q is not", s.name, d.op, name)
			continue
		}
		if name != d.name {
			if s.types[d.name] != nil {
				errs.add(d.code, s.name, d.name, "[%s] The schema has a type named %q but it is not set as the %s root type (%q is instead): this is not supported by federation. If a root type does not use its default name, there should be no other type with that default name.", s.name, d.name, d.op, name)
				continue
			}
			s.renameType(name, d.name)
		}
		s.roots[d.op] = d.name
	}
}

// renameType renames a type and every reference to it within the subgraph.
func (s *subgraph) renameType(from, to string) {
	t := s.types[from]
	delete(s.types, from)
	t.name = to
	s.types[to] = t
	for i, n := range s.order {
		if n == from {
			s.order[i] = to
		}
	}
	rename := func(ty *ast.Type) {
		for ty != nil {
			if ty.NamedType == from {
				ty.NamedType = to
			}
			ty = ty.Elem
		}
	}
	for _, other := range s.types {
		for _, f := range other.fields {
			rename(f.typ)
			for _, a := range f.args {
				rename(a.typ)
			}
		}
		for i, m := range other.members {
			if m == from {
				other.members[i] = to
			}
		}
	}
}

// addDefinition folds one definition or extension into the type it names.
func (s *subgraph) addDefinition(d *ast.Definition, extension bool, errs *errorSink) {
	if federationTypes[d.Name] || builtinScalars[d.Name] {
		return
	}
	t := s.types[d.Name]
	if t == nil {
		t = &sgType{name: d.Name, kind: d.Kind}
		s.types[d.Name] = t
		s.order = append(s.order, d.Name)
	} else if t.kind != d.Kind {
		errs.add(CodeInvalidSubgraph, s.name, d.Name, "[%s] Type %q is defined as both %s and %s", s.name, d.Name, kindName(t.kind), kindName(d.Kind))
		return
	}
	if !extension {
		t.hasDefinition = true
		if d.Description != "" {
			t.description = d.Description
		}
	}
	typeShareable := false
	typeExternal := false
	for _, dir := range d.Directives {
		switch s.link.canonical(dir.Name) {
		case "key":
			k := sgKey{fields: stringArg(dir, "fields"), resolvable: true, extension: extension}
			if v, given := boolArg(dir, "resolvable"); given {
				k.resolvable, k.resolvableGiven = v, true
			}
			t.keys = append(t.keys, k)
		case "shareable":
			typeShareable = true
			t.shareable = true
		case "external":
			typeExternal = true
		case "extends":
			t.extends = true
		case "interfaceObject":
			t.interfaceObject = true
		}
		if dir.Name == "specifiedBy" {
			t.specifiedBy = dir
		}
	}
	t.applied.merge(s.readApplied(d.Directives))
	for _, i := range d.Interfaces {
		t.interfaces = appendUnique(t.interfaces, i)
	}
	for _, m := range d.Types {
		t.members = appendUnique(t.members, m)
	}
	for _, v := range d.EnumValues {
		sv := &sgValue{name: v.Name, description: v.Description}
		sv.applied = s.readApplied(v.Directives)
		t.values = append(t.values, sv)
	}
	isRootLike := d.Name == "Query" || d.Name == "Mutation" || d.Name == "Subscription"
	for _, f := range d.Fields {
		if isRootLike && (f.Name == "_service" || f.Name == "_entities") {
			continue
		}
		sf := s.readField(f, typeShareable, typeExternal)
		if t.field(sf.name) != nil {
			errs.add(CodeInvalidSubgraph, s.name, fieldCoord(d.Name, f.Name), "[%s] Field %q can only be defined once", s.name, fieldCoord(d.Name, f.Name))
			continue
		}
		t.fields = append(t.fields, sf)
	}
}

// readField reads one field with its federation directives.
func (s *subgraph) readField(f *ast.FieldDefinition, typeShareable, typeExternal bool) *sgField {
	sf := &sgField{
		name:        f.Name,
		description: f.Description,
		typ:         copyType(f.Type),
		def:         f.DefaultValue,
		shareable:   typeShareable || !s.link.fed2,
		external:    typeExternal,
		pos:         f.Position,
	}
	for _, dir := range f.Directives {
		switch s.link.canonical(dir.Name) {
		case "external":
			sf.external = true
		case "shareable":
			sf.shareable = true
		case "requires":
			v := stringArg(dir, "fields")
			sf.requires = &v
		case "provides":
			v := stringArg(dir, "fields")
			sf.provides = &v
		case "override":
			v := stringArg(dir, "from")
			sf.override = &v
			sf.overrideLabel = stringArg(dir, "label")
		}
	}
	sf.applied = s.readApplied(f.Directives)
	for _, a := range f.Arguments {
		sa := &sgArg{name: a.Name, description: a.Description, typ: copyType(a.Type), def: a.DefaultValue}
		sa.applied = s.readApplied(a.Directives)
		sf.args = append(sf.args, sa)
	}
	return sf
}

func copyType(t *ast.Type) *ast.Type {
	if t == nil {
		return nil
	}
	return &ast.Type{NamedType: t.NamedType, Elem: copyType(t.Elem), NonNull: t.NonNull}
}

func appendUnique(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// kindName spells a type kind the way Apollo's messages do.
func kindName(k ast.DefinitionKind) string {
	switch k {
	case ast.Object:
		return "Object Type"
	case ast.Interface:
		return "Interface Type"
	case ast.Union:
		return "Union Type"
	case ast.Enum:
		return "Enum Type"
	case ast.InputObject:
		return "Input Object Type"
	case ast.Scalar:
		return "Scalar Type"
	}
	return string(k)
}
