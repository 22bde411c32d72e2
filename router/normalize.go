package router

import (
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
)

// normalizeQuery rewrites an operation as its tokens separated by single
// spaces, without comments, so that requests differing only in layout share
// one cache entry. ok is false when the text does not lex; such requests
// are keyed by their raw text.
func normalizeQuery(query string) (string, bool) {
	lx := lexer.New(&ast.Source{Input: query})
	var b strings.Builder
	b.Grow(len(query))
	for {
		tok, err := lx.ReadToken()
		if err != nil {
			return "", false
		}
		switch tok.Kind {
		case lexer.EOF:
			return b.String(), true
		case lexer.Comment:
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		switch tok.Kind {
		case lexer.String, lexer.BlockString:
			b.WriteString(strconv.Quote(tok.Value))
		case lexer.Name, lexer.Int, lexer.Float:
			b.WriteString(tok.Value)
		default:
			b.WriteString(tok.Kind.String())
		}
	}
}
