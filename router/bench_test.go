package router

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/router/request"
	"github.com/cinegraph/cinegraph/router/wire"
)

// cannedFetcher answers from memory so benchmarks measure the router alone.
type cannedFetcher struct {
	root     []byte
	entities func(n int) []byte
}

func (c *cannedFetcher) Fetch(_ context.Context, subgraph string, req *wire.SubgraphRequest, _ http.Header) (*wire.SubgraphResponse, error) {
	if reps, ok := req.Variables["representations"]; ok {
		return wire.DecodeResponse(c.entities(lenOf(reps)))
	}
	return wire.DecodeResponse(c.root)
}

func lenOf(v any) int {
	switch v := v.(type) {
	case []any:
		return len(v)
	case []json.RawMessage:
		return len(v)
	}
	return 0
}

func BenchmarkEntityJump(b *testing.B) {
	const n = 200
	var sb strings.Builder
	sb.WriteString(`{"data":{"topProducts":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"upc":"%d","name":"Product %d","__typename":"Product"}`, i, i)
	}
	sb.WriteString(`]}}`)
	ents := func(k int) []byte {
		var eb strings.Builder
		eb.WriteString(`{"data":{"_entities":[`)
		for i := 0; i < k; i++ {
			if i > 0 {
				eb.WriteByte(',')
			}
			eb.WriteString(`{"__typename":"Product","reviews":[{"body":"good","rating":5},{"body":"bad","rating":1}],"inStock":true}`)
		}
		eb.WriteString(`]}}`)
		return []byte(eb.String())
	}
	r, err := New(Config{SupergraphSDL: demoSDLB(b), Fetcher: &cannedFetcher{root: []byte(sb.String()), entities: ents}})
	if err != nil {
		b.Fatal(err)
	}
	req := &request.Request{Query: `{ topProducts(first: 200) { upc name inStock reviews { body rating } } }`, Header: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := r.Execute(context.Background(), req)
		if len(res.Response.Errors) > 0 {
			b.Fatal(res.Response.Errors[0].Message)
		}
	}
}
