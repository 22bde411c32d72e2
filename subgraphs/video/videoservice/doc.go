// Package videoservice holds the video subgraph's domain: videos, renditions,
// playback sessions and viewing history, the engine-neutral Store contract
// the storage engines implement, and the Service that validates input and
// applies the playback rules before anything is written.
package videoservice
