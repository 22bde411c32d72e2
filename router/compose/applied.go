package compose

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// applied holds the directives an element keeps in the supergraph besides
// the join ones: @deprecated, @inaccessible, @tag and directives the
// subgraph asked to keep with @composeDirective.
type applied struct {
	inaccessible bool
	tags         []string
	deprecated   *ast.Directive
	composed     []string // rendered applications, e.g. @lowercase(strict: true)
	guards       guards
}

// merge folds another set of applications (from a type extension) in.
func (a *applied) merge(o applied) {
	a.inaccessible = a.inaccessible || o.inaccessible
	for _, t := range o.tags {
		a.tags = appendUnique(a.tags, t)
	}
	if a.deprecated == nil {
		a.deprecated = o.deprecated
	}
	for _, d := range o.composed {
		a.composed = appendUnique(a.composed, d)
	}
	a.guards.merge(o.guards)
}

// readApplied reads the directives of one element that the supergraph
// keeps.
func (s *subgraph) readApplied(dirs ast.DirectiveList) applied {
	var a applied
	for _, dir := range dirs {
		canonical := s.link.canonical(dir.Name)
		a.guards.read(canonical, dir)
		switch canonical {
		case "inaccessible":
			a.inaccessible = true
		case "tag":
			a.tags = appendUnique(a.tags, stringArg(dir, "name"))
		}
		if dir.Name == "deprecated" && a.deprecated == nil {
			a.deprecated = dir
		}
		if name, ok := s.composed[dir.Name]; ok {
			cp := *dir
			cp.Name = name
			a.composed = appendUnique(a.composed, renderDirective(&cp))
		}
	}
	return a
}

// mergeApplied renders the kept directives of one element across
// subgraphs: @deprecated from the first subgraph deprecating it, then
// @inaccessible if any subgraph hides it, the union of @tag names and of
// composed directive applications.
func (c *composer) mergeApplied(list []applied) []string {
	var out []string
	var merged applied
	for _, a := range list {
		merged.merge(a)
	}
	if merged.deprecated != nil {
		out = append(out, renderDirective(merged.deprecated))
	}
	if merged.inaccessible {
		c.usesInaccessible = true
		out = append(out, "@inaccessible")
	}
	for _, t := range merged.tags {
		c.usesTag = true
		out = append(out, fmt.Sprintf("@tag(name: %s)", quote(t)))
	}
	out = append(out, merged.guards.render(c)...)
	// A directive that is not repeatable keeps its first application only.
	var seen []string
	for _, d := range merged.composed {
		name := directiveName(d)
		if !c.composedRepeatable[name] && slices.Contains(seen, name) {
			continue
		}
		seen = append(seen, name)
		out = append(out, d)
	}
	return out
}

// directiveName is the name of a rendered application "@name(args)".
func directiveName(rendered string) string {
	end := strings.IndexByte(rendered, '(')
	if end < 0 {
		end = len(rendered)
	}
	return rendered[1:end]
}
