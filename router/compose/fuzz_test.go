package compose

import "testing"

// FuzzCompose feeds arbitrary SDL next to a valid subgraph: composition
// must report problems as errors, never panic, and stay deterministic.
func FuzzCompose(f *testing.F) {
	for _, s := range streamingSubgraphs() {
		f.Add(s.SDL)
	}
	f.Add(fed2Link + `type Query { t: T } type T @key(fields: "id { x") { id: ID! }`)
	f.Add(fed2Link + `interface I @key(fields: "id") { id: ID! } type T @interfaceObject @key(fields: "id") { id: ID! }`)
	f.Add(`schema { query: Q } type Q { a: Int } extend type T @key(fields: "a") { a: Int @external }`)
	other := sg("other", `type Query { t: T } type T @key(fields: "id") { id: ID! name: String @shareable } enum E { A B } input I { a: Int }`)
	f.Fuzz(func(t *testing.T, sdl string) {
		in := []Subgraph{other, {Name: "fuzz", URL: "http://fuzz", SDL: sdl}}
		out1, err1 := Compose(in)
		out2, err2 := Compose(in)
		if out1 != out2 || (err1 == nil) != (err2 == nil) {
			t.Fatalf("composition is not deterministic")
		}
		if err1 != nil && err1.Error() != err2.Error() {
			t.Fatalf("errors are not deterministic:\n%v\n%v", err1, err2)
		}
	})
}
