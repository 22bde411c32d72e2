package supergraph

import (
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// specNames records how the linked specs name their elements in this
// supergraph: @link lets a schema rename a spec (as:) or import elements.
type specNames struct {
	join         string          // namespace prefix of join elements, usually "join"
	inaccessible string          // directive name of @inaccessible, "" when not linked
	prefixes     []string        // namespaces whose elements are machinery ("join__", "link__", ...)
	directives   map[string]bool // directives that are machinery (imported or spec-named)
	types        map[string]bool // imported type names that are machinery
	// guards maps the canonical names of the access and demand control
	// directives (authenticated, requiresScopes, policy, cost, listSize)
	// to their names in this supergraph; absent when not linked.
	guards map[string]string
}

type linkSpec struct {
	name, version string
	as            string
	apollo        bool
	imports       [][2]string // {original, local}
}

func parseLinkURL(url string) (linkSpec, error) {
	trimmed := strings.TrimRight(url, "/")
	parts := strings.Split(trimmed, "/")
	if len(parts) < 2 {
		return linkSpec{}, fmt.Errorf("bad @link url %q", url)
	}
	s := linkSpec{name: parts[len(parts)-2], version: parts[len(parts)-1]}
	s.apollo = strings.Contains(url, "specs.apollo.dev")
	if !strings.HasPrefix(s.version, "v") {
		return linkSpec{}, fmt.Errorf("bad @link url %q: no version", url)
	}
	return s, nil
}

func readLinks(dirs ast.DirectiveList) (specNames, error) {
	n := specNames{directives: map[string]bool{}, types: map[string]bool{}, guards: map[string]string{}}
	var specs []linkSpec
	for _, d := range dirs {
		urlArg := d.Arguments.ForName("url")
		if urlArg == nil || urlArg.Value == nil {
			continue
		}
		s, err := parseLinkURL(urlArg.Value.Raw)
		if err != nil {
			return n, err
		}
		s.as = argString(d, "as")
		if imp := d.Arguments.ForName("import"); imp != nil && imp.Value != nil {
			for _, c := range imp.Value.Children {
				v := c.Value
				switch v.Kind {
				case ast.StringValue, ast.BlockValue:
					s.imports = append(s.imports, [2]string{v.Raw, v.Raw})
				case ast.ObjectValue:
					var orig, local string
					for _, f := range v.Children {
						switch f.Name {
						case "name":
							orig = f.Value.Raw
						case "as":
							local = f.Value.Raw
						}
					}
					if local == "" {
						local = orig
					}
					s.imports = append(s.imports, [2]string{orig, local})
				}
			}
		}
		specs = append(specs, s)
	}
	for _, s := range specs {
		local := s.name
		if s.as != "" {
			local = s.as
		}
		if s.apollo {
			n.prefixes = append(n.prefixes, local+"__")
			n.directives[local] = true
			for _, im := range s.imports {
				if strings.HasPrefix(im[1], "@") {
					n.directives[strings.TrimPrefix(im[1], "@")] = true
				} else {
					n.types[im[1]] = true
				}
			}
		}
		switch s.name {
		case "join":
			if s.version < "v0.2" {
				return n, fmt.Errorf("join spec %s is not supported (need v0.2 or later)", s.version)
			}
			n.join = local
		case "authenticated", "requiresScopes", "policy":
			n.guards[s.name] = local
			for _, im := range s.imports {
				if im[0] == "@"+s.name {
					n.guards[s.name] = strings.TrimPrefix(im[1], "@")
				}
			}
		case "cost":
			// @cost and @listSize are imported; unimported, they are
			// cost__cost and cost__listSize.
			n.guards["cost"], n.guards["listSize"] = local+"__cost", local+"__listSize"
			for _, im := range s.imports {
				switch im[0] {
				case "@cost":
					n.guards["cost"] = strings.TrimPrefix(im[1], "@")
				case "@listSize":
					n.guards["listSize"] = strings.TrimPrefix(im[1], "@")
				}
			}
		case "inaccessible":
			n.inaccessible = local
			for _, im := range s.imports {
				if im[0] == "@inaccessible" {
					n.inaccessible = strings.TrimPrefix(im[1], "@")
				}
			}
		}
	}
	if n.join == "" {
		return n, fmt.Errorf("supergraph does not @link the join spec")
	}
	// link's own types are machinery even when the link spec is not linked
	// explicitly (older supergraphs).
	n.prefixes = append(n.prefixes, "link__")
	n.directives["link"] = true
	return n, nil
}

// isMachinery reports whether a type name belongs to a linked spec.
func (n specNames) isMachinery(name string) bool {
	if n.types[name] {
		return true
	}
	for _, p := range n.prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// isMachineryDirective reports whether a directive belongs to a linked spec.
func (n specNames) isMachineryDirective(name string) bool {
	return n.directives[name] || n.isMachinery(name)
}
