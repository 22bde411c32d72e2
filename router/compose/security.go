package compose

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// The access control and demand control directives composition carries
// into the supergraph, as Apollo composition prints them.
const (
	authenticatedSpecURL  = "https://specs.apollo.dev/authenticated/v0.1"
	requiresScopesSpecURL = "https://specs.apollo.dev/requiresScopes/v0.1"
	policySpecURL         = "https://specs.apollo.dev/policy/v0.1"
	costSpecURL           = "https://specs.apollo.dev/cost/v0.1"

	accessLocations = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"
)

// guards are an element's access control and demand control directives:
// @authenticated, @requiresScopes, @policy, @cost and @listSize.
type guards struct {
	authenticated bool
	// scopes and policies are in disjunctive normal form: any inner list
	// whose every entry the client holds grants access; nil sets none.
	scopes, policies [][]string
	cost             *int
	listSize         *listSize
}

// listSize is @listSize: how many items a list field returns.
type listSize struct {
	assumedSize        *int
	slicingArguments   []string
	sizedFields        []string
	requireOneSlicing  bool
	requireOneExplicit bool
}

// read records dir when it is one of the guard directives (canonical is
// its federation name).
func (g *guards) read(canonical string, dir *ast.Directive) {
	switch canonical {
	case "authenticated":
		g.authenticated = true
	case "requiresScopes":
		g.scopes = andDNF(g.scopes, dnfArg(dir, "scopes"))
	case "policy":
		g.policies = andDNF(g.policies, dnfArg(dir, "policies"))
	case "cost":
		if w, ok := intArg(dir, "weight"); ok {
			g.cost = maxInt(g.cost, w)
		}
	case "listSize":
		ls := &listSize{requireOneSlicing: true}
		if n, ok := intArg(dir, "assumedSize"); ok {
			ls.assumedSize = &n
		}
		ls.slicingArguments = stringsArg(dir, "slicingArguments")
		ls.sizedFields = stringsArg(dir, "sizedFields")
		if v, given := boolArg(dir, "requireOneSlicingArgument"); given {
			ls.requireOneSlicing, ls.requireOneExplicit = v, true
		}
		g.listSize = mergeListSize(g.listSize, ls)
	}
}

// merge folds the guards of the same element in another subgraph or type
// extension in. Access requirements add up (a client must meet both);
// demand figures take the larger estimate.
func (g *guards) merge(o guards) {
	g.authenticated = g.authenticated || o.authenticated
	g.scopes = andDNF(g.scopes, o.scopes)
	g.policies = andDNF(g.policies, o.policies)
	if o.cost != nil {
		g.cost = maxInt(g.cost, *o.cost)
	}
	g.listSize = mergeListSize(g.listSize, o.listSize)
}

// render prints the guards as directive applications, noting in c which
// spec definitions the supergraph then needs.
func (g *guards) render(c *composer) []string {
	var out []string
	if g.authenticated {
		c.usesAuthenticated = true
		out = append(out, "@authenticated")
	}
	if g.scopes != nil {
		c.usesRequiresScopes = true
		out = append(out, "@requiresScopes(scopes: "+renderDNF(g.scopes)+")")
	}
	if g.policies != nil {
		c.usesPolicy = true
		out = append(out, "@policy(policies: "+renderDNF(g.policies)+")")
	}
	if g.cost != nil {
		c.usesCost = true
		out = append(out, fmt.Sprintf("@cost(weight: %d)", *g.cost))
	}
	if ls := g.listSize; ls != nil {
		c.usesCost = true
		var args []string
		if ls.assumedSize != nil {
			args = append(args, fmt.Sprintf("assumedSize: %d", *ls.assumedSize))
		}
		if ls.slicingArguments != nil {
			args = append(args, "slicingArguments: "+renderStrings(ls.slicingArguments))
		}
		if ls.sizedFields != nil {
			args = append(args, "sizedFields: "+renderStrings(ls.sizedFields))
		}
		if ls.requireOneExplicit {
			args = append(args, "requireOneSlicingArgument: "+strconv.FormatBool(ls.requireOneSlicing))
		}
		if len(args) == 0 {
			out = append(out, "@listSize")
		} else {
			out = append(out, "@listSize("+strings.Join(args, ", ")+")")
		}
	}
	return out
}

// securityLinks are the @link applications for the guard specs in use.
func (c *composer) securityLinks() []string {
	var out []string
	if c.usesAuthenticated {
		out = append(out, `@link(url: "`+authenticatedSpecURL+`", for: SECURITY)`)
	}
	if c.usesRequiresScopes {
		out = append(out, `@link(url: "`+requiresScopesSpecURL+`", for: SECURITY)`)
	}
	if c.usesPolicy {
		out = append(out, `@link(url: "`+policySpecURL+`", for: SECURITY)`)
	}
	if c.usesCost {
		out = append(out, `@link(url: "`+costSpecURL+`", import: ["@cost", "@listSize"])`)
	}
	return out
}

// securityDefinitions are the directive definitions and scalars of the
// guard specs in use.
func (c *composer) securityDefinitions() (dirs, types []printedDef) {
	if c.usesAuthenticated {
		dirs = append(dirs, printedDef{"authenticated", "directive @authenticated on " + accessLocations})
	}
	if c.usesRequiresScopes {
		dirs = append(dirs, printedDef{"requiresScopes", "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on " + accessLocations})
		types = append(types, printedDef{"requiresScopes__Scope", "scalar requiresScopes__Scope"})
	}
	if c.usesPolicy {
		dirs = append(dirs, printedDef{"policy", "directive @policy(policies: [[policy__Policy!]!]!) on " + accessLocations})
		types = append(types, printedDef{"policy__Policy", "scalar policy__Policy"})
	}
	if c.usesCost {
		dirs = append(dirs,
			printedDef{"cost", "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR"},
			printedDef{"listSize", "directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION"})
	}
	return dirs, types
}

// andDNF is the requirement of meeting both a and b: every pairing of an
// alternative of a with one of b. Nil stands for no requirement.
func andDNF(a, b [][]string) [][]string {
	if a == nil {
		return normalizeDNF(b)
	}
	if b == nil {
		return normalizeDNF(a)
	}
	var out [][]string
	for _, x := range a {
		for _, y := range b {
			out = append(out, append(slices.Clone(x), y...))
		}
	}
	return normalizeDNF(out)
}

// normalizeDNF sorts and deduplicates each alternative and the list of
// alternatives, so equal requirements print equally.
func normalizeDNF(d [][]string) [][]string {
	if d == nil {
		return nil
	}
	out := make([][]string, 0, len(d))
	for _, alt := range d {
		alt = slices.Clone(alt)
		slices.Sort(alt)
		alt = slices.Compact(alt)
		if !slices.ContainsFunc(out, func(o []string) bool { return slices.Equal(o, alt) }) {
			out = append(out, alt)
		}
	}
	slices.SortFunc(out, func(x, y []string) int { return slices.Compare(x, y) })
	return out
}

func renderDNF(d [][]string) string {
	parts := make([]string, len(d))
	for i, alt := range d {
		parts[i] = renderStrings(alt)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func renderStrings(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// dnfArg reads a [[String!]!]! argument.
func dnfArg(d *ast.Directive, name string) [][]string {
	a := d.Arguments.ForName(name)
	out := [][]string{}
	if a == nil || a.Value == nil {
		return out
	}
	for _, alt := range a.Value.Children {
		var names []string
		if alt.Value.Kind == ast.ListValue {
			for _, s := range alt.Value.Children {
				names = append(names, s.Value.Raw)
			}
		} else {
			names = append(names, alt.Value.Raw) // a single item coerces to a list
		}
		out = append(out, names)
	}
	return out
}

// stringsArg reads a [String!] argument; nil when absent.
func stringsArg(d *ast.Directive, name string) []string {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil || a.Value.Kind == ast.NullValue {
		return nil
	}
	if a.Value.Kind != ast.ListValue {
		return []string{a.Value.Raw}
	}
	out := []string{}
	for _, c := range a.Value.Children {
		out = append(out, c.Value.Raw)
	}
	return out
}

// intArg reads an Int argument.
func intArg(d *ast.Directive, name string) (int, bool) {
	a := d.Arguments.ForName(name)
	if a == nil || a.Value == nil || a.Value.Kind != ast.IntValue {
		return 0, false
	}
	n, err := strconv.Atoi(a.Value.Raw)
	return n, err == nil
}

func maxInt(p *int, v int) *int {
	if p != nil && *p >= v {
		return p
	}
	return &v
}

func mergeListSize(a, b *listSize) *listSize {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	out := &listSize{assumedSize: a.assumedSize}
	if b.assumedSize != nil {
		out.assumedSize = maxInt(a.assumedSize, *b.assumedSize)
	}
	for _, s := range [][]string{a.slicingArguments, b.slicingArguments} {
		for _, v := range s {
			out.slicingArguments = appendUnique(out.slicingArguments, v)
		}
	}
	for _, s := range [][]string{a.sizedFields, b.sizedFields} {
		for _, v := range s {
			out.sizedFields = appendUnique(out.sizedFields, v)
		}
	}
	out.requireOneSlicing = a.requireOneSlicing || b.requireOneSlicing
	out.requireOneExplicit = a.requireOneExplicit || b.requireOneExplicit
	return out
}
