// Package compose merges Apollo Federation v2 subgraph schemas into a
// supergraph schema in Apollo's standard format (link v1.0 + join v0.3, or
// join v0.4 once a subgraph uses federation 2.7 or a progressive @override
// label), so that any Apollo-compatible router, and Cinegraph's own, can
// load it.
//
// Composition parses each subgraph SDL with gqlparser (without validation,
// since subgraph SDLs omit the federation built-ins), resolves the
// federation directive names each subgraph imported through @link, merges
// types, fields, enum values and union members, records which subgraph
// resolves what with @join__* directives, and validates the result: kind
// and type conflicts, field sharing, field sets of @key/@requires/@provides,
// unused @external fields, enum and input merging, root types and a basic
// reachability check. Every problem found is reported at once in Errors.
package compose
