package plan

import (
	"fmt"
	"strings"
)

// node turns the fetch groups into Sequence/Parallel/Flatten/Fetch nodes.
// Mutation roots run in order; query roots run in parallel.
func (b *builder) node() (Node, error) {
	fetches := make(map[*group]Node, len(b.groups))
	for _, g := range b.groups {
		n, err := b.fetch(g)
		if err != nil {
			return nil, err
		}
		fetches[g] = n
	}
	var roots []Node
	for _, r := range b.roots {
		roots = append(roots, b.tree(r, fetches))
	}
	if len(roots) == 0 {
		return nil, nil
	}
	if b.op.Kind == "mutation" {
		return wrap(roots, false), nil
	}
	return wrap(roots, true), nil
}

func wrap(nodes []Node, parallel bool) Node {
	if len(nodes) == 1 {
		return nodes[0]
	}
	if parallel {
		return &Parallel{Nodes: nodes}
	}
	return &Sequence{Nodes: nodes}
}

// tree lays out the groups under root. When every group depends only on
// its parent the plan nests (each child starts as soon as its parent is
// done); otherwise it runs in dependency levels.
func (b *builder) tree(root *group, fetches map[*group]Node) Node {
	var members []*group
	for _, g := range b.groups {
		for x := g; x != nil; x = x.parent {
			if x == root {
				members = append(members, g)
				break
			}
		}
	}
	simple := true
	for _, g := range members {
		if g != root && (len(g.deps) != 1 || g.deps[0] != g.parent) {
			simple = false
		}
	}
	if simple {
		return b.nested(root, members, fetches)
	}
	level := map[*group]int{}
	var depth func(*group) int
	depth = func(g *group) int {
		if l, ok := level[g]; ok {
			return l
		}
		level[g] = 0 // cycles cannot happen; guard anyway
		l := 0
		for _, d := range g.deps {
			if dl := depth(d) + 1; dl > l {
				l = dl
			}
		}
		level[g] = l
		return l
	}
	maxLevel := 0
	for _, g := range members {
		if l := depth(g); l > maxLevel {
			maxLevel = l
		}
	}
	stages := make([][]Node, maxLevel+1)
	for _, g := range members {
		stages[level[g]] = append(stages[level[g]], fetches[g])
	}
	var seq []Node
	for _, s := range stages {
		if len(s) > 0 {
			seq = append(seq, wrap(s, true))
		}
	}
	return wrap(seq, false)
}

func (b *builder) nested(g *group, members []*group, fetches map[*group]Node) Node {
	var kids []Node
	for _, m := range members {
		if m.parent == g {
			kids = append(kids, b.nested(m, members, fetches))
		}
	}
	if len(kids) == 0 {
		return fetches[g]
	}
	next := wrap(kids, true)
	if seq, ok := next.(*Sequence); ok {
		return &Sequence{Nodes: append([]Node{fetches[g]}, seq.Nodes...)}
	}
	return &Sequence{Nodes: []Node{fetches[g], next}}
}

func (b *builder) fetch(g *group) (Node, error) {
	var sb strings.Builder
	kind := "query"
	if !g.entity {
		kind = string(b.op.Kind)
	}
	usages := g.sel.variables(map[string]bool{}, nil)
	f := &Fetch{ServiceName: g.graph, OperationKind: kind, VariableUsages: usages, Renames: g.renames}
	sb.WriteString(kind)
	if b.op.Name != "" {
		f.OperationName = fmt.Sprintf("%s__%s__%d", b.op.Name, g.graph, g.id)
		sb.WriteByte(' ')
		sb.WriteString(f.OperationName)
	}
	var defs []string
	if g.entity {
		defs = append(defs, "$representations:[_Any!]!")
	}
	for _, u := range usages {
		vd := b.op.VariableDefinitions.ForName(u)
		if vd == nil {
			return nil, fmt.Errorf("variable $%s is not defined by the operation", u)
		}
		d := "$" + u + ":" + vd.Type.String()
		if vd.DefaultValue != nil {
			d += "=" + vd.DefaultValue.String()
		}
		defs = append(defs, d)
	}
	if len(defs) > 0 {
		sb.WriteByte('(')
		sb.WriteString(strings.Join(defs, ","))
		sb.WriteByte(')')
	}
	if g.entity {
		sb.WriteString("{_entities(representations:$representations)")
		g.sel.write(&sb)
		sb.WriteByte('}')
		f.Requires = g.reps
	} else {
		g.sel.write(&sb)
	}
	f.Operation = sb.String()
	if !g.entity {
		return f, nil
	}
	return &Flatten{Path: g.path, Node: f}, nil
}
