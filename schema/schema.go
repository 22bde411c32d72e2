// Package schema embeds Cinegraph's source-of-truth GraphQL schemas: each
// subgraph's SDL and the supergraph composed from them, so the binary runs
// from any directory and `cinegraph compose --check` can detect drift.
package schema

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed catalog/*.graphqls video/*.graphqls chat/*.graphqls insights/*.graphqls ops/*.graphqls supergraph.graphql
var files embed.FS

// SupergraphFile is the composed supergraph's path inside this directory.
const SupergraphFile = "supergraph.graphql"

// Supergraph returns the checked-in composed supergraph SDL.
func Supergraph() string {
	raw, err := files.ReadFile(SupergraphFile)
	if err != nil {
		panic(fmt.Sprintf("embedded supergraph missing: %v", err)) // guaranteed by go:embed
	}
	return string(raw)
}

// Subgraph returns the SDL of one subgraph: its .graphqls files joined in
// name order.
func Subgraph(name string) (string, error) {
	return Read(files, name)
}

// Read returns the SDL of subgraph name from fsys, laid out like this
// directory (name/*.graphqls).
func Read(fsys fs.FS, name string) (string, error) {
	matches, err := fs.Glob(fsys, path.Join(name, "*.graphqls"))
	if err != nil {
		return "", fmt.Errorf("schema of %s: %w", name, err)
	}
	if len(matches) == 0 {
		return "", fmt.Errorf("schema of %s: no %s/*.graphqls", name, name)
	}
	sort.Strings(matches)
	var b strings.Builder
	for _, m := range matches {
		raw, err := fs.ReadFile(fsys, m)
		if err != nil {
			return "", fmt.Errorf("schema of %s: %w", name, err)
		}
		b.Write(raw)
		if !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}
