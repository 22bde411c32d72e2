package compose

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

const (
	federationSpecPrefix = "https://specs.apollo.dev/federation/"
	linkSpecPrefix       = "https://specs.apollo.dev/link/"
)

// federationDirectives are the directives of the federation v2 spec that
// composition understands, by their canonical (unprefixed) names.
var federationDirectives = []string{
	"key", "requires", "provides", "external", "tag", "extends", "shareable",
	"inaccessible", "override", "composeDirective", "interfaceObject",
	"authenticated", "requiresScopes", "policy", "context", "fromContext",
	"cost", "listSize",
}

// fedLink is what a subgraph's @link to the federation spec says: whether it
// is a federation 2 subgraph at all, which minor version, and how each
// federation directive is spelled in its SDL.
type fedLink struct {
	fed2  bool
	minor int
	// names maps a directive name as written in the subgraph to its canonical
	// federation name.
	names map[string]string
}

// canonical returns the federation name of a directive written as name, or
// "" when the directive is not a federation one.
func (l fedLink) canonical(name string) string {
	return l.names[name]
}

// readFedLink finds the federation @link among the schema definitions and
// extensions and resolves the import list, including {name, as} renames and
// the namespaced federation__x spelling of directives not imported.
func readFedLink(doc *ast.SchemaDocument, sg string, errs *errorSink) fedLink {
	var schemaDirs ast.DirectiveList
	for _, s := range doc.Schema {
		schemaDirs = append(schemaDirs, s.Directives...)
	}
	for _, s := range doc.SchemaExtension {
		schemaDirs = append(schemaDirs, s.Directives...)
	}
	for _, d := range schemaDirs {
		if d.Name != "link" {
			continue
		}
		url := stringArg(d, "url")
		if !strings.HasPrefix(url, federationSpecPrefix) {
			continue
		}
		l := fedLink{fed2: true, names: map[string]string{}}
		version := strings.TrimPrefix(url, federationSpecPrefix)
		minor, ok := parseFedVersion(version)
		if !ok {
			errs.add(CodeUnknownFederationLink, sg, "", "[%s] Invalid version %q for the federation feature in @link directive on schema", sg, version)
		}
		l.minor = minor
		prefix := "federation"
		if as := stringArg(d, "as"); as != "" {
			prefix = strings.TrimPrefix(as, "@")
		}
		for _, name := range federationDirectives {
			l.names[prefix+"__"+name] = name
		}
		if imports := d.Arguments.ForName("import"); imports != nil && imports.Value != nil {
			for _, child := range imports.Value.Children {
				name, as := importEntry(child.Value)
				if !strings.HasPrefix(name, "@") {
					continue // types such as FieldSet need no mapping
				}
				if as != "" && !strings.HasPrefix(as, "@") {
					errs.add(CodeLinkImportNameMismatch, sg, "", "[%s] Invalid @link import renaming: directive %q imported name should start with a '@' character, but got %q", sg, name, as)
					continue
				}
				local := strings.TrimPrefix(name, "@")
				if as != "" {
					local = strings.TrimPrefix(as, "@")
				}
				l.names[local] = strings.TrimPrefix(name, "@")
			}
		}
		return l
	}
	// Federation 1 subgraphs use the directives under their plain names.
	l := fedLink{names: map[string]string{}}
	for _, name := range federationDirectives {
		l.names[name] = name
	}
	return l
}

// parseFedVersion reads "v2.3" and returns the minor version.
func parseFedVersion(v string) (int, bool) {
	major, minor, ok := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	if !ok || major != "2" {
		return 0, false
	}
	n, err := strconv.Atoi(minor)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// importEntry reads one element of @link(import:): either "@key" or
// {name: "@key", as: "@primaryKey"}.
func importEntry(v *ast.Value) (name, as string) {
	if v == nil {
		return "", ""
	}
	switch v.Kind {
	case ast.StringValue, ast.BlockValue:
		return v.Raw, ""
	case ast.ObjectValue:
		for _, c := range v.Children {
			switch c.Name {
			case "name":
				name = c.Value.Raw
			case "as":
				as = c.Value.Raw
			}
		}
	}
	return name, as
}

// stringArg returns a string argument of a directive, or "".
func stringArg(d *ast.Directive, name string) string {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil {
		return ""
	}
	return a.Value.Raw
}

// boolArg returns a boolean argument and whether it was given.
func boolArg(d *ast.Directive, name string) (value, given bool) {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil || a.Value.Kind != ast.BooleanValue {
		return false, false
	}
	return a.Value.Raw == "true", true
}

func fieldCoord(typeName, field string) string {
	return fmt.Sprintf("%s.%s", typeName, field)
}
