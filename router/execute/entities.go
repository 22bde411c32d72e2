package execute

import (
	"encoding/json"
	"fmt"

	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/wire"
)

// target is one object at a Flatten path; its response path is the chain
// of the collector's nodes ending at node (numbered from 1; 0 is the
// root), turned into []any only for errors.
type target struct {
	obj  map[string]any
	node int32
}

// pathNode is one step of a response path: a key or a list index, under
// its parent node (0: the root).
type pathNode struct {
	parent int32
	elem   pathElem
}

// collector finds the objects at a path in the response tree. The paths
// share their prefixes as a tree of nodes, one per object and list item
// walked through, instead of a copy of the whole path per target: paths
// are needed only when an error names one.
type collector struct {
	targets []target
	nodes   []pathNode
	cur     int32
}

func newCollector() collector { return collector{nodes: make([]pathNode, 0, 64)} }

// enter steps into e under the current node, returning the node to go
// back to.
func (c *collector) enter(e pathElem) (back int32) {
	back = c.cur
	c.nodes = append(c.nodes, pathNode{parent: c.cur, elem: e})
	c.cur = int32(len(c.nodes))
	return back
}

func (c *collector) collect(v any, path []string) {
	if v == nil {
		return
	}
	if len(path) == 0 {
		switch v := v.(type) {
		case map[string]any:
			c.targets = append(c.targets, target{obj: v, node: c.cur})
		case []any:
			// Objects inside lists the path does not spell out.
			for i, x := range v {
				back := c.enter(pathElem{index: i})
				c.collect(x, path)
				c.cur = back
			}
		}
		return
	}
	if path[0] == "@" {
		l, ok := v.([]any)
		if !ok {
			return
		}
		for i, x := range l {
			back := c.enter(pathElem{index: i})
			c.collect(x, path[1:])
			c.cur = back
		}
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	back := c.enter(pathElem{key: path[0]})
	c.collect(m[path[0]], path[1:])
	c.cur = back
}

// path is the response path of target i.
func (c *collector) path(i int) []any {
	n := 0
	for at := c.targets[i].node; at > 0; at = c.nodes[at-1].parent {
		n++
	}
	elems := make([]pathElem, n)
	for at := c.targets[i].node; at > 0; at = c.nodes[at-1].parent {
		n--
		elems[n] = c.nodes[at-1].elem
	}
	return boxPath(elems)
}

func (r *run) entityFetch(fl *plan.Flatten) {
	f := fl.Node
	r.mu.Lock()
	c := newCollector()
	c.collect(r.data, fl.Path)
	targets := c.targets
	var reps []json.RawMessage
	index := map[string]int{}
	owners := make([][]int, 0, len(targets)) // representation -> targets
	var renamed map[int]bool                 // representations sent under an interface name
	for ti, t := range targets {
		rep, sentAs, ok := representation(t.obj, f.Requires)
		if !ok {
			continue
		}
		i, seen := index[string(rep)]
		if !seen {
			i = len(reps)
			index[string(rep)] = i
			reps = append(reps, rep)
			owners = append(owners, nil)
			if sentAs {
				if renamed == nil {
					renamed = map[int]bool{}
				}
				renamed[i] = true
			}
		}
		owners[i] = append(owners[i], ti)
	}
	r.mu.Unlock()
	if len(reps) == 0 {
		return
	}
	vars := r.variables(f, 1)
	vars["representations"] = reps
	req := &wire.SubgraphRequest{Query: f.Operation, OperationName: f.OperationName, Variables: vars, OperationKind: f.OperationKind}
	resp, err := r.fetchTimed(f.ServiceName, fl.Path, req)
	if err != nil {
		if !r.overAllowance(err) {
			r.addErrors(r.e.fetchFailed(r.ctx, f.ServiceName, err, c.path(owners[0][0])))
		}
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	// Each entity is written once per object it completes.
	if !r.charge(resp, len(targets)/len(reps)) {
		return
	}
	r.gatherExtensions(resp)
	var ents []any
	if resp.Data != nil {
		ents, _ = resp.Data["_entities"].([]any)
	}
	if resp.Data != nil && resp.Data["_entities"] != nil && len(ents) != len(reps) {
		r.errors = append(r.errors, r.e.fetchFailed(r.ctx, f.ServiceName, fmt.Errorf("_entities returned %d results for %d representations", len(ents), len(reps)), nil))
		ents = nil
	}
	for i, ent := range ents {
		em, ok := ent.(map[string]any)
		if !ok {
			continue
		}
		applyRenames(em, f.Renames)
		if renamed[i] {
			// The subgraph answered as the interface; keep the concrete type.
			delete(em, "__typename")
		}
		for _, ti := range owners[i] {
			mergeObject(targets[ti].obj, em)
		}
	}
	for _, se := range resp.Errors {
		r.errors = append(r.errors, r.e.subgraphError(f.ServiceName, se, entityErrorPath(se.Path, &c, owners)))
	}
}

// entityErrorPath maps ["_entities", i, rest...] to the client path of the
// first object that produced representation i.
func entityErrorPath(p []any, c *collector, owners [][]int) []any {
	if len(p) < 2 || p[0] != "_entities" {
		return nil
	}
	var i int
	switch n := p[1].(type) {
	case json.Number:
		x, err := n.Int64()
		if err != nil {
			return nil
		}
		i = int(x)
	case float64:
		i = int(n)
	case int:
		i = n
	default:
		return nil
	}
	if i < 0 || i >= len(owners) || len(owners[i]) == 0 {
		return nil
	}
	base := c.path(owners[i][0])
	out := make([]any, 0, len(base)+len(p)-2)
	out = append(out, base...)
	for _, x := range p[2:] {
		if n, ok := x.(json.Number); ok {
			if v, err := n.Int64(); err == nil {
				out = append(out, int(v))
				continue
			}
		}
		out = append(out, x)
	}
	return out
}

// representation builds the _Any for obj, or false when obj is not one of
// the fetch's types or lacks a required field. sentAs reports that the
// typename was replaced by an interface's.
func representation(obj map[string]any, reqs []*plan.RepType) (rep json.RawMessage, sentAs bool, ok bool) {
	tn, _ := obj["__typename"].(string)
	for _, rt := range reqs {
		if rt.TypeName != tn {
			continue
		}
		buf := make([]byte, 0, 64)
		buf, ok := appendRep(buf, obj, rt.Fields, rt.SendAs)
		if !ok {
			return nil, false, false
		}
		return buf, rt.SendAs != "", true
	}
	return nil, false, false
}

func appendRep(buf []byte, obj map[string]any, fields []*plan.RepField, sendAs string) ([]byte, bool) {
	buf = append(buf, '{')
	n := 0
	for _, f := range fields {
		v, ok := obj[f.ResponseKey]
		if !ok {
			if f.Optional {
				continue
			}
			return nil, false
		}
		if v == nil && f.Key {
			// Entities with null keys cannot be resolved; skip them.
			return nil, false
		}
		if n > 0 {
			buf = append(buf, ',')
		}
		n++
		buf = wire.AppendString(buf, f.Name)
		buf = append(buf, ':')
		if sendAs != "" && f.Name == "__typename" {
			buf = wire.AppendString(buf, sendAs)
			continue
		}
		if len(f.Fields) > 0 && v != nil {
			buf, ok = appendRepValue(buf, v, f.Fields)
			if !ok {
				return nil, false
			}
			continue
		}
		buf = wire.AppendJSON(buf, v)
	}
	return append(buf, '}'), true
}

func appendRepValue(buf []byte, v any, fields []*plan.RepField) ([]byte, bool) {
	switch v := v.(type) {
	case map[string]any:
		return appendRep(buf, v, fields, "")
	case []any:
		buf = append(buf, '[')
		for i, x := range v {
			if i > 0 {
				buf = append(buf, ',')
			}
			if x == nil {
				buf = append(buf, "null"...)
				continue
			}
			var ok bool
			if buf, ok = appendRepValue(buf, x, fields); !ok {
				return nil, false
			}
		}
		return append(buf, ']'), true
	}
	return wire.AppendJSON(buf, v), true
}
