package video

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// selection answers what the operation asks for below the current field,
// so entity resolvers can prefetch the levels below in one call each.
type selection struct {
	op     *graphql.OperationContext
	fields []graphql.CollectedField
}

// selectionOn is the current field's selection on objects of type typ.
func selectionOn(ctx context.Context, typ string) selection {
	return selection{op: graphql.GetOperationContext(ctx), fields: graphql.CollectFieldsCtx(ctx, []string{typ})}
}

// all returns every occurrence of field name (aliases included).
func (s selection) all(name string) []graphql.CollectedField {
	var out []graphql.CollectedField
	for _, f := range s.fields {
		if f.Name == name {
			out = append(out, f)
		}
	}
	return out
}

// has reports whether field name is selected.
func (s selection) has(name string) bool { return len(s.all(name)) > 0 }

// below merges the selections of every occurrence of field name, on
// objects of type typ.
func (s selection) below(name, typ string) selection {
	out := selection{op: s.op}
	for _, f := range s.all(name) {
		out.fields = append(out.fields, graphql.CollectFields(s.op, f.Selections, []string{typ})...)
	}
	return out
}

// intArg reads an Int argument of f (defaults applied), ok false when it is
// absent or not an int.
func (s selection) intArg(f graphql.CollectedField, name string, fallback int) (int, bool) {
	raw, present := f.ArgumentMap(s.op.Variables)[name]
	if !present || raw == nil {
		return fallback, true
	}
	n, err := graphql.UnmarshalInt(raw)
	return n, err == nil
}
