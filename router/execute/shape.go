package execute

import (
	"context"
	"fmt"
	"log/slog"

	cgerrs "github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2/ast"
)

// shaper writes the client response from the merged tree: only the fields
// the client asked for, in its order, under its aliases, with non-null
// violations bubbling to the nearest nullable parent. Writing straight into
// a buffer keeps this one pass; a bubbling null truncates what was written.
type shaper struct {
	schema     *ast.Schema
	applies    plan.Applies
	vars       map[string]any
	introspect func(*plan.CollectedField, map[string]any) ([]byte, error)
	// logger receives the detail of internal failures; nil drops it. ctx
	// is the execution's, whose request the lines name.
	logger   *slog.Logger
	ctx      context.Context
	rootType string
	op       *plan.Operation // memoizes field collection across requests

	buf       []byte
	path      []pathElem // unboxed: a path becomes []any only for an error
	collected map[collectKey][]*plan.CollectedField
	violation *wire.Error // first non-null violation, reported when nothing else explains it
	errors    []*wire.Error
	// max bounds the response bytes (0: none); over is how many had been
	// written when the shaper stopped there.
	max  int
	over int
	// sizeHint is the subgraph bytes the response is shaped from, its
	// buffer's starting size.
	sizeHint int
}

func (s *shaper) shape(data map[string]any, op *plan.Operation) []byte {
	s.op = op
	// The response is about as large as the subgraph data it is shaped
	// from: starting there spares a large response the copies of growing
	// (append grows large slices by only a quarter at a time).
	hint := max(s.sizeHint, 1024)
	if s.max > 0 {
		hint = min(hint, s.max+1)
	}
	s.buf = make([]byte, 0, hint)
	if !s.object(data, op.RootType, op.Selections) {
		return []byte("null")
	}
	return s.buf
}

func (s *shaper) object(obj map[string]any, typ string, sels []plan.Selection) bool {
	if s.over > 0 || (s.max > 0 && len(s.buf) > s.max) {
		s.over = max(s.over, len(s.buf))
		return false
	}
	start := len(s.buf)
	s.buf = append(s.buf, '{')
	for i, cf := range s.collect(sels, typ) {
		if i > 0 {
			s.buf = append(s.buf, ',')
		}
		s.buf = wire.AppendString(s.buf, cf.Key)
		s.buf = append(s.buf, ':')
		f := cf.First()
		if f.Name == "__typename" {
			s.buf = wire.AppendString(s.buf, typ)
			continue
		}
		if withheld(cf) {
			// Authorization removed it; its error is the router's.
			if f.Type != nil && f.Type.NonNull {
				s.buf = s.buf[:start]
				return false
			}
			s.buf = append(s.buf, "null"...)
			continue
		}
		if typ == s.rootType && (f.Name == "__schema" || f.Name == "__type") {
			if !s.introspection(cf) {
				s.buf = s.buf[:start]
				return false
			}
			continue
		}
		s.path = append(s.path, pathElem{key: cf.Key})
		ok := s.value(obj[f.DataKey()], f.Type, cf, typ)
		s.path = s.path[:len(s.path)-1]
		if !ok {
			s.buf = s.buf[:start]
			return false
		}
	}
	s.buf = append(s.buf, '}')
	return true
}

// withheld reports whether authorization removed every field of the key
// (router/authz): the key then answers null whatever the data holds, since
// the planner may have fetched the same name for its own needs (a key).
// When another selection of the key was kept, its data is the client's.
func withheld(cf *plan.CollectedField) bool {
	for _, f := range cf.Fields {
		if !f.Withheld {
			return false
		}
	}
	return true
}

// pathElem is a response key, or a list index when key is empty (response
// keys are never empty).
type pathElem struct {
	key   string
	index int
}

// errorPath is the current path as an error reports it.
func (s *shaper) errorPath() []any { return boxPath(s.path) }

// boxPath turns a path into the []any an error reports.
func boxPath(path []pathElem) []any {
	p := make([]any, len(path))
	for i, e := range path {
		if e.key != "" {
			p[i] = e.key
		} else {
			p[i] = e.index
		}
	}
	return p
}

// collectKey names a selection set (plans never change once built, so the
// slice's first element identifies it) and a runtime type.
type collectKey struct {
	first *plan.Selection
	n     int
	typ   string
}

// collect is CollectFields, memoized: a list of a thousand objects shares
// one result.
func (s *shaper) collect(sels []plan.Selection, typ string) []*plan.CollectedField {
	if len(sels) == 0 {
		return nil
	}
	if s.op != nil {
		return s.op.Collect(sels, typ, s.applies)
	}
	k := collectKey{&sels[0], len(sels), typ}
	if cfs, ok := s.collected[k]; ok {
		return cfs
	}
	cfs := plan.CollectFields(sels, typ, s.applies)
	if s.collected == nil {
		s.collected = map[collectKey][]*plan.CollectedField{}
	}
	s.collected[k] = cfs
	return cfs
}

func (s *shaper) introspection(cf *plan.CollectedField) bool {
	if s.introspect == nil {
		s.buf = append(s.buf, "null"...)
		s.errors = append(s.errors, &wire.Error{Message: "introspection is disabled", Path: []any{cf.Key}, Extensions: map[string]any{"code": string(cgerrs.Forbidden)}})
		return cf.First().Type == nil || !cf.First().Type.NonNull
	}
	b, err := s.introspect(cf, s.vars)
	if err != nil {
		if s.logger != nil {
			s.logger.ErrorContext(s.ctx, "introspection failed", "field", cf.Key, "error", err)
		}
		s.errors = append(s.errors, &wire.Error{Message: "internal error", Path: []any{cf.Key}, Extensions: map[string]any{"code": string(cgerrs.Internal)}})
		if cf.First().Type.NonNull {
			return false
		}
		s.buf = append(s.buf, "null"...)
		return true
	}
	s.buf = append(s.buf, b...)
	return true
}

func (s *shaper) nullViolation(parent string, cf *plan.CollectedField) {
	if s.violation != nil {
		return
	}
	p := s.errorPath()
	s.violation = &wire.Error{Message: fmt.Sprintf("Cannot return null for non-nullable field %s.%s.", parent, cf.First().Name), Path: p}
}

// value writes v as type t. It returns false when v is null (or became null)
// and t is non-null, so the caller must null itself.
func (s *shaper) value(v any, t *ast.Type, cf *plan.CollectedField, parent string) bool {
	if v == nil {
		if t.NonNull {
			s.nullViolation(parent, cf)
			return false
		}
		s.buf = append(s.buf, "null"...)
		return true
	}
	if t.Elem != nil {
		l, ok := v.([]any)
		if !ok {
			return s.badValue(t, cf, parent, "expected a list")
		}
		start := len(s.buf)
		s.buf = append(s.buf, '[')
		for i, x := range l {
			if i > 0 {
				s.buf = append(s.buf, ',')
			}
			s.path = append(s.path, pathElem{index: i})
			ok := s.value(x, t.Elem, cf, parent)
			s.path = s.path[:len(s.path)-1]
			if !ok {
				s.buf = s.buf[:start]
				if t.NonNull {
					return false
				}
				s.buf = append(s.buf, "null"...)
				return true
			}
		}
		s.buf = append(s.buf, ']')
		return true
	}
	def := s.schema.Types[t.NamedType]
	if def == nil {
		return s.badValue(t, cf, parent, "unknown type "+t.NamedType)
	}
	switch def.Kind {
	case ast.Scalar:
		s.buf = wire.AppendJSON(s.buf, v)
		return true
	case ast.Enum:
		str, ok := v.(string)
		if !ok || def.EnumValues.ForName(str) == nil {
			return s.badValue(t, cf, parent, fmt.Sprintf("invalid value for enum %s", def.Name))
		}
		s.buf = wire.AppendString(s.buf, str)
		return true
	}
	m, ok := v.(map[string]any)
	if !ok {
		return s.badValue(t, cf, parent, "expected an object")
	}
	rt := def.Name
	if def.IsAbstractType() {
		tn, _ := m["__typename"].(string)
		od := s.schema.Types[tn]
		// An @interfaceObject answers with the interface's own name when
		// nothing needed the concrete type; interface-level fields still apply.
		if tn == def.Name && def.Kind == ast.Interface {
			od = def
		} else if od == nil || od.Kind != ast.Object || !s.applies(def.Name, tn) {
			return s.badValue(t, cf, parent, fmt.Sprintf("cannot resolve the runtime type of %s (got %q)", def.Name, tn))
		}
		rt = tn
	}
	start := len(s.buf)
	if !s.object(m, rt, cf.SubSelections()) {
		s.buf = s.buf[:start]
		if t.NonNull {
			return false
		}
		s.buf = append(s.buf, "null"...)
	}
	return true
}

// badValue reports a subgraph value that does not fit the schema and nulls it.
func (s *shaper) badValue(t *ast.Type, cf *plan.CollectedField, parent, why string) bool {
	p := s.errorPath()
	s.errors = append(s.errors, &wire.Error{
		Message:    fmt.Sprintf("Invalid value for %s.%s: %s", parent, cf.First().Name, why),
		Path:       p,
		Extensions: map[string]any{"code": string(cgerrs.Internal)},
	})
	if t.NonNull {
		return false
	}
	s.buf = append(s.buf, "null"...)
	return true
}
