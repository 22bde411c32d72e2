package supergraph

import (
	"bytes"
	"fmt"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
)

// keptDirectives are the type-system directives the API schema keeps.
var keptDirectives = map[string]bool{"deprecated": true, "specifiedBy": true, "oneOf": true}

// buildAPISchema removes join/link machinery and @inaccessible elements from
// the supergraph and loads the result as the schema clients validate against.
func buildAPISchema(doc *ast.SchemaDocument, full *ast.Schema, n specNames) (*ast.Schema, string, error) {
	b := apiBuilder{n: n, full: full, removed: map[string]bool{}}
	for _, def := range doc.Definitions {
		if n.isMachinery(def.Name) || b.inaccessible(def.Directives) {
			b.removed[def.Name] = true
		}
	}
	out := &ast.SchemaDocument{}
	for _, dd := range doc.Directives {
		if n.isMachineryDirective(dd.Name) || isPreludeDirective(dd.Name) {
			continue
		}
		out.Directives = append(out.Directives, dd)
	}
	for _, def := range doc.Definitions {
		if b.removed[def.Name] {
			continue
		}
		nd, err := b.definition(def)
		if err != nil {
			return nil, "", err
		}
		out.Definitions = append(out.Definitions, nd)
	}
	var ops ast.OperationTypeDefinitionList
	for _, op := range []struct {
		op  ast.Operation
		def *ast.Definition
	}{{ast.Query, full.Query}, {ast.Mutation, full.Mutation}, {ast.Subscription, full.Subscription}} {
		if op.def != nil && !b.removed[op.def.Name] {
			ops = append(ops, &ast.OperationTypeDefinition{Operation: op.op, Type: op.def.Name})
		}
	}
	out.Schema = ast.SchemaDefinitionList{{OperationTypes: ops}}
	var buf bytes.Buffer
	formatter.NewFormatter(&buf).FormatSchemaDocument(out)
	api, err := gqlparser.LoadSchema(&ast.Source{Name: "api.graphql", Input: buf.String()})
	if err != nil {
		return nil, "", fmt.Errorf("build API schema: %w", err)
	}
	return api, buf.String(), nil
}

func isPreludeDirective(name string) bool {
	switch name {
	case "skip", "include", "deprecated", "specifiedBy", "oneOf", "defer":
		return true
	}
	return false
}

type apiBuilder struct {
	n       specNames
	full    *ast.Schema
	removed map[string]bool
}

func (b *apiBuilder) inaccessible(dirs ast.DirectiveList) bool {
	return b.n.inaccessible != "" && dirs.ForName(b.n.inaccessible) != nil
}

func (b *apiBuilder) directives(dirs ast.DirectiveList) ast.DirectiveList {
	var out ast.DirectiveList
	for _, d := range dirs {
		if keptDirectives[d.Name] || (!b.n.isMachineryDirective(d.Name) && b.full.Directives[d.Name] != nil && !isTypeSystemOnly(b.full.Directives[d.Name])) {
			out = append(out, d)
		}
	}
	return out
}

// isTypeSystemOnly: composed custom type-system directives stay in the
// supergraph but are not part of what clients introspect.
func isTypeSystemOnly(dd *ast.DirectiveDefinition) bool {
	for _, l := range dd.Locations {
		switch l {
		case ast.LocationQuery, ast.LocationMutation, ast.LocationSubscription, ast.LocationField,
			ast.LocationFragmentDefinition, ast.LocationFragmentSpread, ast.LocationInlineFragment, ast.LocationVariableDefinition:
			return false
		}
	}
	return true
}

func (b *apiBuilder) checkRef(owner string, t *ast.Type) error {
	if b.removed[t.Name()] {
		return fmt.Errorf("%s: its type %s is inaccessible or removed but %s is not", owner, t.Name(), owner)
	}
	return nil
}

func (b *apiBuilder) definition(def *ast.Definition) (*ast.Definition, error) {
	nd := *def
	nd.Directives = b.directives(def.Directives)
	nd.Fields = nil
	nd.EnumValues = nil
	nd.Interfaces = nil
	nd.Types = nil
	nd.TypePositions = nil
	for _, i := range def.Interfaces {
		if !b.removed[i] {
			nd.Interfaces = append(nd.Interfaces, i)
		}
	}
	for _, u := range def.Types {
		if !b.removed[u] {
			nd.Types = append(nd.Types, u)
		}
	}
	for _, f := range def.Fields {
		if b.inaccessible(f.Directives) {
			continue
		}
		owner := def.Name + "." + f.Name
		if err := b.checkRef(owner, f.Type); err != nil {
			return nil, err
		}
		nf := *f
		nf.Directives = b.directives(f.Directives)
		nf.Arguments = nil
		for _, a := range f.Arguments {
			if b.inaccessible(a.Directives) {
				if a.Type.NonNull && a.DefaultValue == nil {
					return nil, fmt.Errorf("%s(%s:): a required argument cannot be inaccessible", owner, a.Name)
				}
				continue
			}
			if err := b.checkRef(owner+"("+a.Name+":)", a.Type); err != nil {
				return nil, err
			}
			na := *a
			na.Directives = b.directives(a.Directives)
			nf.Arguments = append(nf.Arguments, &na)
		}
		nd.Fields = append(nd.Fields, &nf)
	}
	for _, v := range def.EnumValues {
		if b.inaccessible(v.Directives) {
			continue
		}
		nv := *v
		nv.Directives = b.directives(v.Directives)
		nd.EnumValues = append(nd.EnumValues, &nv)
	}
	switch def.Kind {
	case ast.Object, ast.Interface, ast.InputObject:
		if len(nd.Fields) == 0 {
			return nil, fmt.Errorf("type %s: every field is inaccessible, so the type must be too", def.Name)
		}
	case ast.Enum:
		if len(nd.EnumValues) == 0 {
			return nil, fmt.Errorf("enum %s: every value is inaccessible, so the enum must be too", def.Name)
		}
	case ast.Union:
		if len(nd.Types) == 0 {
			return nil, fmt.Errorf("union %s: every member is inaccessible, so the union must be too", def.Name)
		}
	}
	return &nd, nil
}
