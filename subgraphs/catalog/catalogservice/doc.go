// Package catalogservice is the catalog's domain: titles, people, genres, episodes,
// viewer profiles and My List, the engine-neutral Store contract the
// embedded and cluster engines implement, and the Service that validates
// input and applies the catalog's rules before touching a store.
package catalogservice
