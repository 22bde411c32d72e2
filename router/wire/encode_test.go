package wire

import (
	"encoding/json"
	"testing"
)

// The hand-written encoders must write what encoding/json writes.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	values := []struct {
		name string
		v    any
	}{
		{"floats", []any{1.5, 1e21, 1e-7, 0.000001, -2.0, float64(0)}},
		{"ints", []any{int64(-3), 7, int32(9)}},
		{"strings", []any{"a\"b\\c\n<&>\u2028", "héllo", "\x01"}},
		{"nested", map[string]any{"z": []any{true, nil}, "a": map[string]any{"k": json.Number("12")}, "m": "x"}},
		{"raw", []json.RawMessage{json.RawMessage(`{"a":1}`), nil}},
		{"strs", []string{"x", "y"}},
	}
	for _, tc := range values {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want, err := json.Marshal(tc.v)
			if err != nil {
				t.Fatal(err)
			}
			if got := AppendJSON(nil, tc.v); string(got) != string(want) {
				t.Errorf("AppendJSON = %s, want %s", got, want)
			}
		})
	}
}

func TestResponseAppendJSON(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		resp *Response
		want string
	}{
		{"data only", &Response{Data: json.RawMessage(`{"a":1}`)}, `{"data":{"a":1}}`},
		{"null data", &Response{Data: json.RawMessage(`null`), Errors: []*Error{{Message: "m", Path: []any{"a", 0}}}}, `{"errors":[{"message":"m","path":["a",0]}],"data":null}`},
		{"request error", &Response{Errors: []*Error{{Message: "bad", Locations: []Location{{Line: 1, Column: 2}}, Extensions: map[string]any{"code": "X", "a": 1}}}}, `{"errors":[{"message":"bad","locations":[{"line":1,"column":2}],"extensions":{"a":1,"code":"X"}}]}`},
		{"extensions", &Response{Data: json.RawMessage(`{}`), Extensions: map[string]any{"k": []any{"v"}}}, `{"data":{},"extensions":{"k":["v"]}}`},
		{"empty", &Response{}, `{}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := string(tc.resp.AppendJSON(nil)); got != tc.want {
				t.Errorf("AppendJSON = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestSubgraphRequestAppendJSON(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		req  *SubgraphRequest
	}{
		{"query only", &SubgraphRequest{Query: "{ a }"}},
		{"named", &SubgraphRequest{Query: "query Q { a }", OperationName: "Q"}},
		{"variables", &SubgraphRequest{Query: "q", Variables: map[string]any{"representations": []json.RawMessage{json.RawMessage(`{"__typename":"T","id":"1"}`)}, "b": 2.5, "a": "x"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want, err := json.Marshal(tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.req.AppendJSON(nil); string(got) != string(want) {
				t.Errorf("AppendJSON = %s, want %s", got, want)
			}
		})
	}
}
