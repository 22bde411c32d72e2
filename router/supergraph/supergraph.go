// Package supergraph reads an Apollo Federation v2 supergraph SDL (link v1.0,
// join v0.2/v0.3, inaccessible) and exposes two views of it: what each
// subgraph can resolve, which the planner uses, and the API schema clients see.
package supergraph

import (
	"fmt"
	"slices"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Graph is one subgraph named by the join__Graph enum.
type Graph struct {
	Enum string // the enum value, e.g. PRODUCTS
	Name string // the subgraph name, e.g. products
	URL  string
}

// Key is one @key of an entity in one subgraph.
type Key struct {
	Fields     string
	Selection  ast.SelectionSet
	Resolvable bool
}

// TypeInGraph is what one subgraph declares about a type.
type TypeInGraph struct {
	Keys              []Key
	Extension         bool
	InterfaceObject   bool
	Implements        []string
	UnionMembers      []string
	hasUnionMemberDir bool
}

// FieldJoin is one @join__field of a field.
type FieldJoin struct {
	Graph          string
	Requires       string
	RequiresSel    ast.SelectionSet
	Provides       string
	ProvidesSel    ast.SelectionSet
	Type           string
	External       bool
	Override       string
	OverrideLabel  string
	UsedOverridden bool
}

// Field is a field of an object or interface type with its join data.
type Field struct {
	Def   *ast.FieldDefinition
	Joins []FieldJoin // empty: resolved by every subgraph that defines the type
	// ViaInterfaceObject: the field has only graph-less @join__field, so no
	// subgraph resolves it on this type directly; an @interfaceObject does.
	ViaInterfaceObject bool
}

// Type is one composite type of the supergraph.
type Type struct {
	Def     *ast.Definition
	Graphs  []string // subgraph names declaring the type, in supergraph order
	InGraph map[string]*TypeInGraph
	Fields  map[string]*Field
}

// Supergraph is a parsed, checked supergraph.
type Supergraph struct {
	Schema *ast.Schema // the full supergraph schema, join machinery included
	Graphs []Graph
	Types  map[string]*Type

	graphByEnum map[string]string
	graphIndex  map[string]int
	names       specNames
	api         *ast.Schema
	apiSDL      string
}

// Parse reads and checks a supergraph SDL.
func Parse(sdl string) (*Supergraph, error) {
	doc, err := parser.ParseSchema(&ast.Source{Name: "supergraph.graphql", Input: sdl})
	if err != nil {
		return nil, fmt.Errorf("parse supergraph: %w", err)
	}
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "supergraph.graphql", Input: sdl})
	if err != nil {
		return nil, fmt.Errorf("load supergraph: %w", err)
	}
	names, err := readLinks(schema.SchemaDirectives)
	if err != nil {
		return nil, err
	}
	sg := &Supergraph{
		Schema:      schema,
		Types:       map[string]*Type{},
		graphByEnum: map[string]string{},
		graphIndex:  map[string]int{},
		names:       names,
	}
	if err := sg.readGraphs(); err != nil {
		return nil, err
	}
	for _, def := range doc.Definitions {
		if sg.names.isMachinery(def.Name) {
			continue
		}
		full := schema.Types[def.Name]
		if full == nil {
			continue
		}
		if err := sg.readType(full); err != nil {
			return nil, err
		}
	}
	if err := sg.checkFieldSets(); err != nil {
		return nil, err
	}
	api, sdlText, err := buildAPISchema(doc, schema, names)
	if err != nil {
		return nil, err
	}
	sg.api = api
	sg.apiSDL = sdlText
	return sg, nil
}

// APISchema is the schema clients see.
func (sg *Supergraph) APISchema() *ast.Schema { return sg.api }

// APISchemaSDL is the API schema printed as SDL.
func (sg *Supergraph) APISchemaSDL() string { return sg.apiSDL }

// Graph returns the subgraph with the given name.
func (sg *Supergraph) Graph(name string) (Graph, bool) {
	i, ok := sg.graphIndex[name]
	if !ok {
		return Graph{}, false
	}
	return sg.Graphs[i], true
}

// GraphOrder is the position of a subgraph in the join__Graph enum, used to
// break ties deterministically.
func (sg *Supergraph) GraphOrder(name string) int {
	if i, ok := sg.graphIndex[name]; ok {
		return i
	}
	return len(sg.Graphs)
}

func (sg *Supergraph) readGraphs() error {
	enum := sg.Schema.Types[sg.names.join+"__Graph"]
	if enum == nil || enum.Kind != ast.Enum {
		return fmt.Errorf("supergraph has no %s__Graph enum", sg.names.join)
	}
	for _, v := range enum.EnumValues {
		d := v.Directives.ForName(sg.names.join + "__graph")
		if d == nil {
			return fmt.Errorf("%s__Graph.%s has no @%s__graph", sg.names.join, v.Name, sg.names.join)
		}
		g := Graph{Enum: v.Name, Name: argString(d, "name"), URL: argString(d, "url")}
		if g.Name == "" {
			return fmt.Errorf("%s__Graph.%s: @%s__graph has no name", sg.names.join, v.Name, sg.names.join)
		}
		sg.graphByEnum[v.Name] = g.Name
		sg.graphIndex[g.Name] = len(sg.Graphs)
		sg.Graphs = append(sg.Graphs, g)
	}
	return nil
}

func (sg *Supergraph) graphArg(d *ast.Directive, where string) (string, error) {
	a := d.Arguments.ForName("graph")
	if a == nil || a.Value == nil {
		return "", nil
	}
	name, ok := sg.graphByEnum[a.Value.Raw]
	if !ok {
		return "", fmt.Errorf("%s: unknown graph %s", where, a.Value.Raw)
	}
	return name, nil
}

func (sg *Supergraph) readType(def *ast.Definition) error {
	t := &Type{Def: def, InGraph: map[string]*TypeInGraph{}, Fields: map[string]*Field{}}
	jt := sg.names.join + "__type"
	for _, d := range def.Directives {
		switch d.Name {
		case jt:
			g, err := sg.graphArg(d, def.Name)
			if err != nil {
				return err
			}
			tg := t.in(g)
			if !slices.Contains(t.Graphs, g) {
				t.Graphs = append(t.Graphs, g)
			}
			if key := argString(d, "key"); key != "" {
				sel, err := parseFieldSet(key)
				if err != nil {
					return fmt.Errorf("type %s: key %q in %s: %w", def.Name, key, g, err)
				}
				tg.Keys = append(tg.Keys, Key{Fields: key, Selection: sel, Resolvable: argBool(d, "resolvable", true)})
			}
			tg.Extension = tg.Extension || argBool(d, "extension", false)
			tg.InterfaceObject = tg.InterfaceObject || argBool(d, "isInterfaceObject", false)
		case sg.names.join + "__implements":
			g, err := sg.graphArg(d, def.Name)
			if err != nil {
				return err
			}
			tg := t.in(g)
			tg.Implements = append(tg.Implements, argString(d, "interface"))
		case sg.names.join + "__unionMember":
			g, err := sg.graphArg(d, def.Name)
			if err != nil {
				return err
			}
			tg := t.in(g)
			tg.hasUnionMemberDir = true
			tg.UnionMembers = append(tg.UnionMembers, argString(d, "member"))
		}
	}
	// A type without any @join__type (join v0.1 style or a plain type) is
	// taken to live in every subgraph.
	if len(t.Graphs) == 0 {
		for _, g := range sg.Graphs {
			t.Graphs = append(t.Graphs, g.Name)
			t.in(g.Name)
		}
	}
	for _, fd := range def.Fields {
		if def.Kind != ast.Object && def.Kind != ast.Interface {
			break
		}
		f := &Field{Def: fd}
		for _, d := range fd.Directives.ForNames(sg.names.join + "__field") {
			g, err := sg.graphArg(d, def.Name+"."+fd.Name)
			if err != nil {
				return err
			}
			if g == "" {
				f.ViaInterfaceObject = true
				continue
			}
			j := FieldJoin{
				Graph:          g,
				Requires:       argString(d, "requires"),
				Provides:       argString(d, "provides"),
				Type:           argString(d, "type"),
				External:       argBool(d, "external", false),
				Override:       argString(d, "override"),
				OverrideLabel:  argString(d, "overrideLabel"),
				UsedOverridden: argBool(d, "usedOverridden", false),
			}
			if _, ok := t.InGraph[g]; !ok {
				return fmt.Errorf("field %s.%s: @%s__field names graph %s that does not define %s", def.Name, fd.Name, sg.names.join, g, def.Name)
			}
			if j.Requires != "" {
				if j.RequiresSel, err = parseFieldSet(j.Requires); err != nil {
					return fmt.Errorf("field %s.%s: requires %q: %w", def.Name, fd.Name, j.Requires, err)
				}
			}
			if j.Provides != "" {
				if j.ProvidesSel, err = parseFieldSet(j.Provides); err != nil {
					return fmt.Errorf("field %s.%s: provides %q: %w", def.Name, fd.Name, j.Provides, err)
				}
			}
			f.Joins = append(f.Joins, j)
		}
		if len(f.Joins) > 0 {
			f.ViaInterfaceObject = false
		}
		t.Fields[fd.Name] = f
	}
	sg.Types[def.Name] = t
	return nil
}

func (t *Type) in(g string) *TypeInGraph {
	tg := t.InGraph[g]
	if tg == nil {
		tg = &TypeInGraph{}
		t.InGraph[g] = tg
	}
	return tg
}

func argString(d *ast.Directive, name string) string {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil || a.Value.Kind == ast.NullValue {
		return ""
	}
	return a.Value.Raw
}

func argBool(d *ast.Directive, name string, def bool) bool {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil || a.Value.Kind != ast.BooleanValue {
		return def
	}
	return a.Value.Raw == "true"
}
