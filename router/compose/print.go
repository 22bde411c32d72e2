package compose

import (
	"slices"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Spec definitions the supergraph carries, as Apollo composition prints
// them.
const (
	linkSpecURL         = "https://specs.apollo.dev/link/v1.0"
	joinSpecURLPrefix   = "https://specs.apollo.dev/join/v0."
	tagSpecURL          = "https://specs.apollo.dev/tag/v0.3"
	inaccessibleSpecURL = "https://specs.apollo.dev/inaccessible/v0.2"

	allElementLocations = "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)

type printedDef struct {
	name, text string
}

// print renders the supergraph SDL: the schema definition, directive
// definitions, then all types, each group in Apollo's order.
func (c *composer) print() string {
	var b strings.Builder
	b.WriteString("schema\n")
	b.WriteString("  @link(url: \"" + linkSpecURL + "\")\n")
	b.WriteString("  @link(url: \"" + joinSpecURLPrefix + strconv.Itoa(c.joinMinor) + "\", for: EXECUTION)\n")
	if c.usesTag {
		b.WriteString("  @link(url: \"" + tagSpecURL + "\")\n")
	}
	if c.usesInaccessible {
		b.WriteString("  @link(url: \"" + inaccessibleSpecURL + "\", for: SECURITY)\n")
	}
	for _, l := range c.securityLinks() {
		b.WriteString("  " + l + "\n")
	}
	for _, l := range c.composed.links {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString("{\n  query: Query\n")
	if c.types["Mutation"] != nil {
		b.WriteString("  mutation: Mutation\n")
	}
	if c.types["Subscription"] != nil {
		b.WriteString("  subscription: Subscription\n")
	}
	b.WriteString("}")

	dirs := c.directiveDefinitions()
	slices.SortStableFunc(dirs, func(x, y printedDef) int { return collate(x.name, y.name) })
	for _, d := range dirs {
		b.WriteString("\n\n")
		b.WriteString(d.text)
	}

	defs := c.builtinTypes()
	for _, name := range c.order {
		defs = append(defs, printedDef{name, printType(c.types[name])})
	}
	slices.SortStableFunc(defs, func(x, y printedDef) int { return collate(x.name, y.name) })
	for _, d := range defs {
		b.WriteString("\n\n")
		b.WriteString(d.text)
	}
	b.WriteString("\n")
	return b.String()
}

func (c *composer) directiveDefinitions() []printedDef {
	joinField := "directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean"
	if c.joinMinor >= 4 {
		joinField += ", overrideLabel: String"
	}
	joinField += ") repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION"
	defs := []printedDef{
		{"join__enumValue", "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE"},
		{"join__field", joinField},
		{"join__graph", "directive @join__graph(name: String!, url: String!) on ENUM_VALUE"},
		{"join__implements", "directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE"},
		{"join__type", "directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR"},
		{"join__unionMember", "directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION"},
		{"link", "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA"},
	}
	if c.joinMinor >= 4 {
		defs = append(defs, printedDef{"join__directive", "directive @join__directive(graphs: [join__Graph!], name: String!, args: join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION"})
	}
	if c.usesInaccessible {
		defs = append(defs, printedDef{"inaccessible", "directive @inaccessible on " + allElementLocations})
	}
	if c.usesTag {
		defs = append(defs, printedDef{"tag", "directive @tag(name: String!) repeatable on " + allElementLocations + " | SCHEMA"})
	}
	guardDirs, _ := c.securityDefinitions()
	defs = append(defs, guardDirs...)
	for _, cd := range c.composed.defs {
		defs = append(defs, printedDef{cd.name, printDirectiveDefinition(cd.def)})
	}
	for _, dd := range c.sharedExecutableDirectives() {
		defs = append(defs, printedDef{dd.Name, printDirectiveDefinition(dd)})
	}
	return defs
}

func (c *composer) builtinTypes() []printedDef {
	var graphs strings.Builder
	graphs.WriteString("enum join__Graph {")
	for _, sg := range c.sgs {
		graphs.WriteString("\n  " + sg.enumName + " @join__graph(name: " + quote(sg.name) + ", url: " + quote(sg.url) + ")")
	}
	graphs.WriteString("\n}")
	defs := []printedDef{
		{"join__FieldSet", "scalar join__FieldSet"},
		{"join__Graph", graphs.String()},
		{"link__Import", "scalar link__Import"},
		{"link__Purpose", "enum link__Purpose {\n" +
			"  \"\"\"\n  `SECURITY` features provide metadata necessary to securely resolve fields.\n  \"\"\"\n  SECURITY\n\n" +
			"  \"\"\"\n  `EXECUTION` features provide metadata necessary for operation execution.\n  \"\"\"\n  EXECUTION\n}"},
	}
	if c.joinMinor >= 4 {
		defs = append(defs, printedDef{"join__DirectiveArguments", "scalar join__DirectiveArguments"})
	}
	_, guardTypes := c.securityDefinitions()
	return append(defs, guardTypes...)
}

// sharedExecutableDirectives keeps the executable directive definitions
// every subgraph declares, restricted to the locations all of them accept,
// since the router forwards such directives to subgraphs.
func (c *composer) sharedExecutableDirectives() []*ast.DirectiveDefinition {
	if len(c.sgs) == 0 {
		return nil
	}
	var out []*ast.DirectiveDefinition
	for _, dd := range c.sgs[0].directives {
		locs := executableLocations(dd)
		ok := true
		for _, sg := range c.sgs[1:] {
			i := slices.IndexFunc(sg.directives, func(o *ast.DirectiveDefinition) bool { return o.Name == dd.Name })
			if i < 0 {
				ok = false
				break
			}
			other := executableLocations(sg.directives[i])
			locs = slices.DeleteFunc(locs, func(l ast.DirectiveLocation) bool { return !slices.Contains(other, l) })
		}
		if ok && len(locs) > 0 {
			cp := *dd
			cp.Locations = locs
			out = append(out, &cp)
		}
	}
	return out
}

func executableLocations(dd *ast.DirectiveDefinition) []ast.DirectiveLocation {
	var out []ast.DirectiveLocation
	for _, l := range dd.Locations {
		switch l {
		case ast.LocationQuery, ast.LocationMutation, ast.LocationSubscription, ast.LocationField,
			ast.LocationFragmentDefinition, ast.LocationFragmentSpread, ast.LocationInlineFragment,
			ast.LocationVariableDefinition:
			out = append(out, l)
		}
	}
	return out
}

func printDirectiveDefinition(dd *ast.DirectiveDefinition) string {
	var b strings.Builder
	b.WriteString(printDescription(dd.Description, "", true))
	b.WriteString("directive @" + dd.Name)
	var args []*superArg
	for _, a := range dd.Arguments {
		args = append(args, &superArg{name: a.Name, description: a.Description, typ: a.Type, def: a.DefaultValue})
	}
	b.WriteString(printArgs(args, ""))
	if dd.IsRepeatable {
		b.WriteString(" repeatable")
	}
	locs := make([]string, len(dd.Locations))
	for i, l := range dd.Locations {
		locs[i] = string(l)
	}
	b.WriteString(" on " + strings.Join(locs, " | "))
	return b.String()
}

// printType renders one merged type in Apollo's layout: directives one per
// line under the type name, then the body.
func printType(t *superType) string {
	var b strings.Builder
	b.WriteString(printDescription(t.description, "", true))
	keyword := map[ast.DefinitionKind]string{
		ast.Object: "type", ast.Interface: "interface", ast.Union: "union",
		ast.Enum: "enum", ast.InputObject: "input", ast.Scalar: "scalar",
	}[t.kind]
	b.WriteString(keyword + " " + t.name)
	if len(t.implements) > 0 {
		b.WriteString(" implements " + strings.Join(t.implements, " & "))
	}
	for _, d := range t.directives {
		b.WriteString("\n  " + d)
	}
	switch t.kind {
	case ast.Scalar:
		return b.String()
	case ast.Union:
		if len(t.directives) > 0 {
			b.WriteString("\n")
		}
		b.WriteString(" = " + strings.Join(t.members, " | "))
		return b.String()
	}
	if len(t.directives) > 0 {
		b.WriteString("\n{")
	} else {
		b.WriteString(" {")
	}
	switch t.kind {
	case ast.Enum:
		for i, v := range t.values {
			b.WriteString("\n")
			b.WriteString(printDescription(v.description, "  ", i == 0))
			b.WriteString("  " + v.name)
			for _, d := range v.directives {
				b.WriteString(" " + d)
			}
		}
	default:
		for i, f := range t.fields {
			b.WriteString("\n")
			b.WriteString(printDescription(f.description, "  ", i == 0))
			b.WriteString("  " + f.name + printArgs(f.args, "  ") + ": " + f.typ.String())
			if f.def != nil {
				b.WriteString(" = " + renderValue(f.def))
			}
			for _, d := range f.directives {
				b.WriteString(" " + d)
			}
		}
	}
	b.WriteString("\n}")
	return b.String()
}

// printArgs prints arguments on one line unless one has a description.
func printArgs(args []*superArg, indent string) string {
	if len(args) == 0 {
		return ""
	}
	described := slices.ContainsFunc(args, func(a *superArg) bool { return a.description != "" })
	if !described {
		parts := make([]string, len(args))
		for i, a := range args {
			parts[i] = printArg(a)
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	var b strings.Builder
	b.WriteString("(\n")
	for i, a := range args {
		b.WriteString(printDescription(a.description, indent+"  ", i == 0))
		b.WriteString(indent + "  " + printArg(a) + "\n")
	}
	b.WriteString(indent + ")")
	return b.String()
}

func printArg(a *superArg) string {
	s := a.name + ": " + a.typ.String()
	if a.def != nil {
		s += " = " + renderValue(a.def)
	}
	for _, d := range a.directives {
		s += " " + d
	}
	return s
}

// printDescription prints a description as graphql-js does: a blank line
// before it unless it opens its block, and a block string indented to the
// element.
func printDescription(desc, indent string, firstInBlock bool) string {
	if desc == "" {
		return ""
	}
	prefix := indent
	if indent != "" && !firstInBlock {
		prefix = "\n" + indent
	}
	return prefix + strings.ReplaceAll(blockString(desc), "\n", "\n"+indent) + "\n"
}

// blockString follows graphql-js printBlockString.
func blockString(value string) string {
	escaped := strings.ReplaceAll(value, `"""`, `\"""`)
	lines := strings.Split(strings.ReplaceAll(strings.ReplaceAll(escaped, "\r\n", "\n"), "\r", "\n"), "\n")
	single := len(lines) == 1
	forceLeading := len(lines) > 1
	for _, l := range lines[1:] {
		if l != "" && l[0] != ' ' && l[0] != '\t' {
			forceLeading = false
		}
	}
	trailingTriple := strings.HasSuffix(escaped, `\"""`)
	trailingQuote := strings.HasSuffix(value, `"`) && !trailingTriple
	trailingSlash := strings.HasSuffix(value, `\`)
	forceTrailing := trailingQuote || trailingSlash
	multi := !single || len([]rune(value)) > 70 || forceTrailing || forceLeading || trailingTriple
	skipLeading := single && (value[0] == ' ' || value[0] == '\t')
	var b strings.Builder
	b.WriteString(`"""`)
	if (multi && !skipLeading) || forceLeading {
		b.WriteString("\n")
	}
	b.WriteString(escaped)
	if multi || forceTrailing {
		b.WriteString("\n")
	}
	b.WriteString(`"""`)
	return b.String()
}

// renderValue prints a GraphQL value literal the way graphql-js does.
func renderValue(v *ast.Value) string {
	if v == nil {
		return ""
	}
	switch v.Kind {
	case ast.ListValue:
		parts := make([]string, len(v.Children))
		for i, c := range v.Children {
			parts[i] = renderValue(c.Value)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case ast.ObjectValue:
		parts := make([]string, len(v.Children))
		for i, c := range v.Children {
			parts[i] = c.Name + ": " + renderValue(c.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case ast.BlockValue:
		return quote(v.Raw)
	}
	return v.String()
}

// renderDirective prints an applied directive such as @deprecated(reason:).
func renderDirective(d *ast.Directive) string {
	if len(d.Arguments) == 0 {
		return "@" + d.Name
	}
	parts := make([]string, len(d.Arguments))
	for i, a := range d.Arguments {
		parts[i] = a.Name + ": " + renderValue(a.Value)
	}
	return "@" + d.Name + "(" + strings.Join(parts, ", ") + ")"
}
