package execute

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/cinegraph/cinegraph/router/plan"
	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	resp, err := wire.DecodeResponse([]byte(`{"data":` + s + `}`))
	if err != nil {
		t.Fatal(err)
	}
	return resp.Data
}

func TestMergeObject(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, dst, src, want string }{
		{"adds keys", `{"a":1}`, `{"b":2}`, `{"a":1,"b":2}`},
		{"merges nested objects", `{"a":{"x":1}}`, `{"a":{"y":2}}`, `{"a":{"x":1,"y":2}}`},
		{"merges lists item by item", `{"l":[{"x":1},{"x":2}]}`, `{"l":[{"y":1},{"y":2}]}`, `{"l":[{"x":1,"y":1},{"x":2,"y":2}]}`},
		{"null does not erase", `{"a":{"x":1}}`, `{"a":null}`, `{"a":{"x":1}}`},
		{"scalars are replaced", `{"a":1}`, `{"a":2}`, `{"a":2}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dst := decode(t, tc.dst)
			mergeObject(dst, decode(t, tc.src))
			got, _ := json.Marshal(dst)
			if string(got) != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestCollectPaths(t *testing.T) {
	t.Parallel()
	data := decode(t, `{"a":[{"b":{"c":1}},null,{"b":[{"d":1},{"d":2}]}]}`)
	var c collector
	c.collect(data, []string{"a", "@", "b"})
	var paths []string
	for i := range c.targets {
		paths = append(paths, fmt.Sprint(c.path(i)))
	}
	want := []string{"[a 0 b]", "[a 2 b 0]", "[a 2 b 1]"}
	if !reflect.DeepEqual(paths, want) {
		t.Fatalf("paths = %v, want %v", paths, want)
	}
}

func TestRepresentation(t *testing.T) {
	t.Parallel()
	reqs := []*plan.RepType{
		{TypeName: "Product", Fields: []*plan.RepField{
			{Name: "__typename", ResponseKey: "__typename", Key: true},
			{Name: "upc", ResponseKey: "upc", Key: true},
			{Name: "price", ResponseKey: "__cg_price"},
			{Name: "dims", ResponseKey: "dims", Fields: []*plan.RepField{{Name: "w", ResponseKey: "w"}}},
			{Name: "color", ResponseKey: "color", Optional: true},
		}},
		{TypeName: "Movie", SendAs: "Media", Fields: []*plan.RepField{
			{Name: "__typename", ResponseKey: "__typename", Key: true},
			{Name: "id", ResponseKey: "id", Key: true},
		}},
	}
	tests := []struct {
		name, obj, want string
		sentAs, ok      bool
	}{
		{"aliased and nested fields", `{"__typename":"Product","upc":"1","__cg_price":5,"dims":{"w":2,"h":3}}`, `{"__typename":"Product","upc":"1","price":5,"dims":{"w":2}}`, false, true},
		{"null key skips", `{"__typename":"Product","upc":null,"__cg_price":5,"dims":null}`, "", false, false},
		{"missing required field skips", `{"__typename":"Product","upc":"1"}`, "", false, false},
		{"other types skip", `{"__typename":"Furniture","upc":"1"}`, "", false, false},
		{"sent as interface", `{"__typename":"Movie","id":"m1"}`, `{"__typename":"Media","id":"m1"}`, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep, sentAs, ok := representation(decode(t, tc.obj), reqs)
			if ok != tc.ok || sentAs != tc.sentAs || string(rep) != tc.want {
				t.Fatalf("got %s %v %v, want %s %v %v", rep, sentAs, ok, tc.want, tc.sentAs, tc.ok)
			}
		})
	}
}

func TestEntityErrorPath(t *testing.T) {
	t.Parallel()
	var c collector
	c.collect(decode(t, `{"a":[{},{},{}]}`), []string{"a"})
	owners := [][]int{{0, 2}, {1}}
	tests := []struct {
		in   []any
		want []any
	}{
		{[]any{"_entities", json.Number("1"), "name"}, []any{"a", 1, "name"}},
		{[]any{"_entities", json.Number("0"), "l", json.Number("3")}, []any{"a", 0, "l", 3}},
		{[]any{"_entities", json.Number("7")}, nil},
		{[]any{"other"}, nil},
	}
	for _, tc := range tests {
		if got := entityErrorPath(tc.in, &c, owners); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("entityErrorPath(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestShapeNullPropagation(t *testing.T) {
	t.Parallel()
	schema := gqlparser.MustLoadSchema(&ast.Source{Input: `
type Query { a: A b: [B!] c: C! e: E }
type A { x: Int! y: String }
type B { z: Int! }
type C { w: Int! }
enum E { ONE TWO }`})
	tests := []struct{ name, query, data, want string }{
		{"nullable parent absorbs", `{ a { x y } }`, `{"a":{"x":null,"y":"s"}}`, `{"a":null}`},
		{"list item bubbles to nullable list", `{ b { z } }`, `{"b":[{"z":1},{"z":null}]}`, `{"b":null}`},
		{"non-null root nulls data", `{ c { w } }`, `{"c":{"w":null}}`, `null`},
		{"order and aliases follow the query", `{ a { second: y first: x } }`, `{"a":{"first":1,"second":"s","__cg_x":2}}`, `{"a":{"second":"s","first":1}}`},
		{"unknown enum value is nulled", `{ e }`, `{"e":"THREE"}`, `{"e":null}`},
		{"typename from the schema", `{ a { __typename } }`, `{"a":{}}`, `{"a":{"__typename":"A"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			doc, errs := gqlparser.LoadQuery(schema, tc.query)
			if errs != nil {
				t.Fatal(errs)
			}
			op, err := plan.Normalize(schema, doc, doc.Operations[0], nil)
			if err != nil {
				t.Fatal(err)
			}
			s := shaper{schema: schema, applies: plan.SchemaApplies(schema), rootType: "Query"}
			if got := string(s.shape(decode(t, tc.data), op)); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestGatherExtensions(t *testing.T) {
	t.Parallel()
	degraded := func(dep string) map[string]any { return map[string]any{"dependency": dep, "fallback": "store"} }
	tests := []struct {
		name      string
		propagate []string
		responses []map[string]any
		want      map[string]any
	}{
		{name: "none named", responses: []map[string]any{{"degraded": []any{degraded("a")}}}},
		{
			name: "lists gathered from every fetch, once each", propagate: []string{"degraded"},
			responses: []map[string]any{
				{"degraded": []any{degraded("a")}, "tracing": "private"},
				nil,
				{"degraded": []any{degraded("a"), degraded("b")}},
			},
			want: map[string]any{"degraded": []any{degraded("a"), degraded("b")}},
		},
		{
			name: "other values: the last fetch's", propagate: []string{"region"},
			responses: []map[string]any{{"region": "eu"}, {"region": "us"}},
			want:      map[string]any{"region": "us"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &run{e: &Executor{PropagateExtensions: tc.propagate}}
			for _, ext := range tc.responses {
				r.gatherExtensions(&wire.SubgraphResponse{Extensions: ext})
			}
			if !reflect.DeepEqual(r.extensions, tc.want) {
				t.Fatalf("extensions %v, want %v", r.extensions, tc.want)
			}
		})
	}
}
