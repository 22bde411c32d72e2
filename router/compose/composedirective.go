package compose

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// specLink is a @link to a spec other than link and federation.
type specLink struct {
	url       string
	identity  string // the URL without its version
	major     int
	minor     int
	namespace string
	imports   map[string]string // local name -> name in the spec
}

// composedDirective is a custom directive a subgraph keeps in the
// supergraph through @composeDirective.
type composedDirective struct {
	name string // as written in the subgraph (and in the supergraph)
	link specLink
	def  *ast.DirectiveDefinition
}

// readComposeDirectives resolves every @composeDirective of a subgraph to
// its definition and to the @link that brings it in; Apollo only composes
// directives that belong to a linked spec.
func (s *subgraph) readComposeDirectives(doc *ast.SchemaDocument, errs *errorSink) {
	s.composed = map[string]string{}
	var dirs ast.DirectiveList
	for _, list := range []ast.SchemaDefinitionList{doc.Schema, doc.SchemaExtension} {
		for _, sd := range list {
			dirs = append(dirs, sd.Directives...)
		}
	}
	var links []specLink
	for _, d := range dirs {
		if d.Name != "link" {
			continue
		}
		if l, ok := parseSpecLink(d); ok {
			links = append(links, l)
		}
	}
	for _, d := range dirs {
		if s.link.canonical(d.Name) != "composeDirective" {
			continue
		}
		raw := stringArg(d, "name")
		if !strings.HasPrefix(raw, "@") {
			errs.add(CodeDirectiveComposition, s.name, "", "[%s] Argument to @composeDirective %q must start with a '@'", s.name, raw)
			continue
		}
		name := strings.TrimPrefix(raw, "@")
		if s.link.canonical(name) != "" || name == "link" {
			errs.add(CodeDirectiveComposition, s.name, "", "[%s] Composing federation directive %q is not supported", s.name, raw)
			continue
		}
		var def *ast.DirectiveDefinition
		for _, dd := range doc.Directives {
			if dd.Name == name {
				def = dd
			}
		}
		if def == nil {
			errs.add(CodeDirectiveComposition, s.name, "", "[%s] Could not find matching directive definition for argument to @composeDirective %q", s.name, raw)
			continue
		}
		link, ok := linkOf(links, name)
		if !ok {
			errs.add(CodeDirectiveComposition, s.name, "", "[%s] Directive %q cannot be composed because it is not a member of a core feature", s.name, raw)
			continue
		}
		s.composed[name] = name
		s.composedDefs = append(s.composedDefs, composedDirective{name: name, link: link, def: def})
	}
}

func linkOf(links []specLink, name string) (specLink, bool) {
	for _, l := range links {
		if _, ok := l.imports[name]; ok {
			return l, true
		}
		if strings.HasPrefix(name, l.namespace+"__") {
			return l, true
		}
	}
	return specLink{}, false
}

// parseSpecLink reads @link(url: "https://example.dev/spec/v1.0", as:,
// import:) for specs other than link and federation.
func parseSpecLink(d *ast.Directive) (specLink, bool) {
	url := stringArg(d, "url")
	if url == "" || strings.HasPrefix(url, federationSpecPrefix) || strings.HasPrefix(url, linkSpecPrefix) {
		return specLink{}, false
	}
	cut := strings.LastIndexByte(strings.TrimSuffix(url, "/"), '/')
	if cut < 0 {
		return specLink{}, false
	}
	l := specLink{url: url, identity: url[:cut], imports: map[string]string{}}
	version := strings.TrimPrefix(url[cut+1:], "v")
	majorS, minorS, _ := strings.Cut(version, ".")
	l.major, _ = strconv.Atoi(majorS)
	l.minor, _ = strconv.Atoi(minorS)
	l.namespace = l.identity[strings.LastIndexByte(l.identity, '/')+1:]
	if as := stringArg(d, "as"); as != "" {
		l.namespace = as
	}
	if imports := d.Arguments.ForName("import"); imports != nil && imports.Value != nil {
		for _, child := range imports.Value.Children {
			name, as := importEntry(child.Value)
			if !strings.HasPrefix(name, "@") {
				continue
			}
			local := name
			if as != "" {
				local = as
			}
			l.imports[strings.TrimPrefix(local, "@")] = strings.TrimPrefix(name, "@")
		}
	}
	return l, true
}

// composedSet is what the supergraph keeps of composed directives: one
// definition per name, from the subgraph linking the newest spec version,
// and one @link per spec.
type composedSet struct {
	defs  []composedDirective
	links []string
}

// collectComposed gathers the composed directives of all subgraphs and
// checks that each name comes from the same spec everywhere.
func (c *composer) collectComposed() composedSet {
	var set composedSet
	best := map[string]int{}
	c.composedRepeatable = map[string]bool{}
	for _, sg := range c.sgs {
		for _, cd := range sg.composedDefs {
			i, seen := best[cd.name]
			if !seen {
				best[cd.name] = len(set.defs)
				set.defs = append(set.defs, cd)
				continue
			}
			cur := set.defs[i]
			if cur.link.identity != cd.link.identity {
				c.errs.add(CodeDirectiveComposition, sg.name, "", "Composed directive %q is linked from %q in one subgraph but from %q in subgraph %q", "@"+cd.name, cur.link.identity, cd.link.identity, sg.name)
				continue
			}
			if cd.link.major > cur.link.major || (cd.link.major == cur.link.major && cd.link.minor > cur.link.minor) {
				set.defs[i] = cd
			}
		}
	}
	var identities []string
	imports := map[string][]string{}
	urls := map[string]string{}
	for _, cd := range set.defs {
		c.composedRepeatable[cd.name] = cd.def.IsRepeatable
		id := cd.link.identity
		if _, ok := urls[id]; !ok {
			identities = append(identities, id)
		}
		urls[id] = cd.link.url
		entry := quote("@" + cd.name)
		if orig := cd.link.imports[cd.name]; orig != "" && orig != cd.name {
			entry = fmt.Sprintf("{name: %s, as: %s}", quote("@"+orig), quote("@"+cd.name))
		}
		imports[id] = append(imports[id], entry)
	}
	for _, id := range identities {
		set.links = append(set.links, fmt.Sprintf("@link(url: %s, import: [%s])", quote(urls[id]), strings.Join(imports[id], ", ")))
	}
	return set
}
