// Package layering holds the test that keeps the repository's layers
// apart: internal/ is the floor and imports nothing above it, the router
// knows nothing of Cinegraph's subgraphs or schema, and the subgraphs know
// nothing of the router. Only the composition root (app/, cmd/) sees
// everything. The test reads the import graph with `go list`, so the
// package itself imports nothing.
package layering
