package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	docs := []string{
		`{"data":{"a":[1,-2.5,3e10,0,-0.0e-3],"b":"x\"y\\z\n\u00e9\ud83d\ude00\/","c":null,"d":true,"e":false,"f":{}}}`,
		`  [ ]  `,
		`"plain"`,
		`{"bad surrogate":"\ud800x"}`,
		`12345678901234567890123`,
		`{"nested":[[[{"x":[]}]]]}`,
	}
	for _, d := range docs {
		got, err := parseJSON([]byte(d))
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(d)))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %#v\nwant %#v", d, got, want)
		}
	}
}

func TestParseJSONRejects(t *testing.T) {
	t.Parallel()
	for _, d := range []string{``, `{`, `{"a"}`, `{"a":1,}`, `[1 2]`, `01`, `1.`, `"abc`, `tru`, `{"a":1} x`, "\"a\x01\"", `"\q"`, `-`, `1e`} {
		if _, err := parseJSON([]byte(d)); err == nil {
			t.Errorf("parseJSON(%q) accepted invalid JSON", d)
		}
	}
}

var errInvalid = errors.New("invalid")

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"data":{"a":[1,"x",null]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := parseJSON(b)
		valid := json.Valid(b)
		var want any
		if valid {
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.UseNumber()
			if derr := dec.Decode(&want); derr != nil {
				t.Fatal(derr)
			}
		}
		var werr error
		if !valid {
			werr = errInvalid
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("parseJSON err=%v, encoding/json err=%v for %q", err, werr, b)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("mismatch for %q: %#v vs %#v", b, got, want)
		}
	})
}

// Interned keys must decode exactly as uninterned ones, escapes included.
func TestParseJSONRepeatedKeys(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in string }{
		{"plain", `[{"a":1,"b":2},{"a":3,"b":4}]`},
		{"escaped then plain", `[{"\u0061":1},{"a":2},{"a\"":3},{"a\"":4}]`},
		{"invalid utf8", "[{\"\xff\":1},{\"\xff\":2}]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseJSON([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			var want any
			dec := json.NewDecoder(strings.NewReader(tc.in))
			dec.UseNumber()
			if err := dec.Decode(&want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("parseJSON = %#v, want %#v", got, want)
			}
		})
	}
}
