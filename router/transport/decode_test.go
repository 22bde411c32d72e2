package transport

import "testing"

func TestDecodeBody(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		raw     string
		wantErr string
		query   string
		vars    int
	}{
		{"full", `{"query":"{ a }","operationName":null,"variables":{"x":1,"y":"z"},"extensions":{}}`, "", "{ a }", 2},
		{"query only", `{"query":"{ b }"}`, "", "{ b }", 0},
		{"query not a string", `{"query":5}`, "query must be a string", "", 0},
		{"variables a list", `{"query":"{ a }","variables":[1]}`, "variables must be a JSON object", "", 0},
		{"not an object", `[1]`, "the body must be a JSON object", "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var b body
			err := decodeBody([]byte(tc.raw), &b)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.Query != tc.query || len(b.variables) != tc.vars {
				t.Errorf("query %q with %d variables, want %q with %d", b.Query, len(b.variables), tc.query, tc.vars)
			}
		})
	}
}
