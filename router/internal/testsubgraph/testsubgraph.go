// Package testsubgraph is a tiny GraphQL executor for router tests: a
// subgraph is an SDL plus a map of resolvers, served over HTTP, with
// _entities support and a record of every request it received.
package testsubgraph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// Resolver resolves one field. parent is the parent object (a map), args
// the coerced arguments.
type Resolver func(ctx context.Context, parent map[string]any, args map[string]any) (any, error)

// EntityResolver resolves one representation to an object (or nil).
type EntityResolver func(ctx context.Context, rep map[string]any) (any, error)

// CodedError is an error with an extensions.code.
type CodedError struct {
	Message string
	Code    string
}

func (e *CodedError) Error() string { return e.Message }

// Request is a request the subgraph received.
type Request struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables"`
	Header    http.Header    `json:"-"`
}

// Subgraph is a test subgraph.
type Subgraph struct {
	Name      string
	schema    *ast.Schema
	resolvers map[string]Resolver
	entities  map[string]EntityResolver

	mu       sync.Mutex
	requests []Request
	// Fail makes every request answer HTTP 503 while true.
	fail bool
}

// New builds a subgraph. sdl is plain GraphQL (no federation directives);
// entities maps entity type names to their resolvers, which adds
// _entities to Query.
func New(name, sdl string, resolvers map[string]Resolver, entities map[string]EntityResolver) (*Subgraph, error) {
	src := sdl
	if len(entities) > 0 {
		doc, err := parser.ParseSchema(&ast.Source{Name: name, Input: sdl})
		if err != nil {
			return nil, fmt.Errorf("parse %s schema: %w", name, err)
		}
		// Interfaces resolve to their implementations, which join _Entity.
		members := map[string]bool{}
		for n := range entities {
			members[n] = true
		}
		for _, d := range doc.Definitions {
			if d.Kind == ast.Interface && members[d.Name] {
				delete(members, d.Name)
				for _, o := range doc.Definitions {
					if slices.Contains(o.Interfaces, d.Name) {
						members[o.Name] = true
					}
				}
			}
		}
		names := make([]string, 0, len(members))
		for n := range members {
			names = append(names, n)
		}
		sort.Strings(names)
		src += "\nscalar _Any\nunion _Entity = " + strings.Join(names, " | ") +
			"\nextend type Query { _entities(representations: [_Any!]!): [_Entity]! }\n"
	}
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: name, Input: src})
	if err != nil {
		return nil, fmt.Errorf("load %s schema: %w", name, err)
	}
	return &Subgraph{Name: name, schema: schema, resolvers: resolvers, entities: entities}, nil
}

// SetFailing makes the subgraph answer 503 to everything.
func (s *Subgraph) SetFailing(f bool) {
	s.mu.Lock()
	s.fail = f
	s.mu.Unlock()
}

// Requests returns the requests received so far.
func (s *Subgraph) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ServeHTTP implements http.Handler.
func (s *Subgraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req Request
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req.Header = r.Header.Clone()
	s.mu.Lock()
	s.requests = append(s.requests, req)
	fail := s.fail
	s.mu.Unlock()
	if fail {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	resp := s.Execute(r.Context(), req.Query, req.Variables)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// Response is a GraphQL response.
type Response struct {
	Data   any        `json:"data"`
	Errors []gqlError `json:"errors,omitempty"`
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

// Execute runs a query.
func (s *Subgraph) Execute(ctx context.Context, query string, vars map[string]any) *Response {
	doc, errs := gqlparser.LoadQuery(s.schema, query)
	if len(errs) > 0 {
		return &Response{Errors: listErrors(errs)}
	}
	op := doc.Operations[0]
	coerced, err := validator.VariableValues(s.schema, op, normalize(vars).(map[string]any))
	if err != nil {
		return &Response{Errors: []gqlError{{Message: err.Error()}}}
	}
	e := &executor{s: s, ctx: ctx, vars: coerced, doc: doc}
	root := s.schema.Query
	if op.Operation == ast.Mutation {
		root = s.schema.Mutation
	}
	data, ok := e.object(root, map[string]any{}, op.SelectionSet, nil)
	resp := &Response{Errors: e.errors}
	if ok {
		resp.Data = data
	}
	return resp
}

func listErrors(errs gqlerror.List) []gqlError {
	out := make([]gqlError, 0, len(errs))
	for _, e := range errs {
		out = append(out, gqlError{Message: e.Message})
	}
	return out
}

// normalize turns json.Number into int64/float64 throughout.
func normalize(v any) any {
	switch v := v.(type) {
	case nil:
		return map[string]any{}
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if x == nil {
				out[k] = nil
				continue
			}
			out[k] = normalize(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			if x == nil {
				continue
			}
			out[i] = normalize(x)
		}
		return out
	}
	return v
}

type executor struct {
	s      *Subgraph
	ctx    context.Context
	vars   map[string]any
	doc    *ast.QueryDocument
	errors []gqlError
}

// ordered is a JSON object that keeps field order.
type ordered struct {
	keys []string
	vals map[string]any
}

func (o *ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (e *executor) collect(typ *ast.Definition, sels ast.SelectionSet, out *[]*ast.Field) {
	for _, s := range sels {
		if !e.included(s) {
			continue
		}
		switch s := s.(type) {
		case *ast.Field:
			*out = append(*out, s)
		case *ast.InlineFragment:
			if s.TypeCondition == "" || e.applies(s.TypeCondition, typ.Name) {
				e.collect(typ, s.SelectionSet, out)
			}
		case *ast.FragmentSpread:
			fd := e.doc.Fragments.ForName(s.Name)
			if fd != nil && e.applies(fd.TypeCondition, typ.Name) {
				e.collect(typ, fd.SelectionSet, out)
			}
		}
	}
}

func (e *executor) included(s ast.Selection) bool {
	var dirs ast.DirectiveList
	switch s := s.(type) {
	case *ast.Field:
		dirs = s.Directives
	case *ast.InlineFragment:
		dirs = s.Directives
	case *ast.FragmentSpread:
		dirs = s.Directives
	}
	for _, d := range dirs {
		v, _ := d.ArgumentMap(e.vars)["if"].(bool)
		if (d.Name == "skip" && v) || (d.Name == "include" && !v) {
			return false
		}
	}
	return true
}

func (e *executor) applies(cond, obj string) bool {
	if cond == obj {
		return true
	}
	for _, d := range e.s.schema.PossibleTypes[cond] {
		if d.Name == obj {
			return true
		}
	}
	return false
}

var errNull = errors.New("null bubbled")

// object resolves sels on obj; false means a non-null field failed.
func (e *executor) object(typ *ast.Definition, obj map[string]any, sels ast.SelectionSet, path []any) (*ordered, bool) {
	var fields []*ast.Field
	e.collect(typ, sels, &fields)
	out := &ordered{vals: map[string]any{}}
	for _, f := range fields {
		key := f.Alias
		if key == "" {
			key = f.Name
		}
		if _, dup := out.vals[key]; dup {
			// Merge repeated selections of one key.
			if o, ok := out.vals[key].(*ordered); ok {
				more, _ := e.field(typ, obj, f, append(path, key))
				if mo, ok := more.(*ordered); ok {
					for _, k := range mo.keys {
						if _, has := o.vals[k]; !has {
							o.keys = append(o.keys, k)
						}
						o.vals[k] = mo.vals[k]
					}
				}
			}
			continue
		}
		v, err := e.field(typ, obj, f, append(append([]any(nil), path...), key))
		if err != nil {
			return nil, false
		}
		out.keys = append(out.keys, key)
		out.vals[key] = v
	}
	return out, true
}

func (e *executor) field(typ *ast.Definition, obj map[string]any, f *ast.Field, path []any) (any, error) {
	if f.Name == "__typename" {
		if tn, ok := obj["__typename"].(string); ok {
			return tn, nil
		}
		return typ.Name, nil
	}
	args := f.ArgumentMap(e.vars)
	var v any
	var err error
	switch {
	case f.Name == "_entities":
		v, err = e.entities(args)
	case e.s.resolvers[typ.Name+"."+f.Name] != nil:
		v, err = e.s.resolvers[typ.Name+"."+f.Name](e.ctx, obj, args)
	default:
		v = obj[f.Name]
	}
	if err != nil {
		ge := gqlError{Message: err.Error(), Path: path}
		var ce *CodedError
		if errors.As(err, &ce) && ce.Code != "" {
			ge.Extensions = map[string]any{"code": ce.Code}
		}
		e.errors = append(e.errors, ge)
		return e.complete(f.Definition.Type, nil, f, path)
	}
	if v == nil && f.Definition.Type.NonNull {
		e.errors = append(e.errors, gqlError{Message: "Cannot return null for non-nullable field " + typ.Name + "." + f.Name, Path: path})
	}
	return e.complete(f.Definition.Type, v, f, path)
}

func (e *executor) complete(t *ast.Type, v any, f *ast.Field, path []any) (any, error) {
	if v == nil {
		if t.NonNull {
			return nil, errNull
		}
		return nil, nil
	}
	if t.Elem != nil {
		list, ok := toList(v)
		if !ok {
			return nil, fmt.Errorf("not a list")
		}
		out := make([]any, len(list))
		for i, x := range list {
			c, err := e.complete(t.Elem, x, f, append(append([]any(nil), path...), i))
			if err != nil {
				if t.NonNull {
					return nil, errNull
				}
				return nil, nil
			}
			out[i] = c
		}
		return out, nil
	}
	def := e.s.schema.Types[t.NamedType]
	if def.IsLeafType() {
		return v, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("not an object")
	}
	rt := def
	if def.IsAbstractType() {
		tn, _ := m["__typename"].(string)
		rt = e.s.schema.Types[tn]
		if rt == nil {
			e.errors = append(e.errors, gqlError{Message: "unknown runtime type " + tn, Path: path})
			if t.NonNull {
				return nil, errNull
			}
			return nil, nil
		}
	}
	o, ok := e.object(rt, m, f.SelectionSet, path)
	if !ok {
		if t.NonNull {
			return nil, errNull
		}
		return nil, nil
	}
	return o, nil
}

func toList(v any) ([]any, bool) {
	switch l := v.(type) {
	case []any:
		return l, true
	case []map[string]any:
		out := make([]any, len(l))
		for i, x := range l {
			out[i] = x
		}
		return out, true
	}
	return nil, false
}

func (e *executor) entities(args map[string]any) (any, error) {
	reps, _ := args["representations"].([]any)
	out := make([]any, len(reps))
	for i, r := range reps {
		rep, _ := r.(map[string]any)
		tn, _ := rep["__typename"].(string)
		res := e.s.entities[tn]
		if res == nil {
			return nil, fmt.Errorf("no entity resolver for %q", tn)
		}
		v, err := res(e.ctx, rep)
		if err != nil {
			ge := gqlError{Message: err.Error(), Path: []any{"_entities", i}}
			var ce *CodedError
			if errors.As(err, &ce) && ce.Code != "" {
				ge.Extensions = map[string]any{"code": ce.Code}
			}
			e.errors = append(e.errors, ge)
			continue
		}
		if m, ok := v.(map[string]any); ok {
			if _, has := m["__typename"]; !has {
				m["__typename"] = tn
			}
		}
		out[i] = v
	}
	return out, nil
}
