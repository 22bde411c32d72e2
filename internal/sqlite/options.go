package sqlite

import (
	"fmt"
	"strings"
)

// Synchronous is how far a commit waits for the disk (SQLite's
// PRAGMA synchronous).
type Synchronous string

// The durability levels a database may be opened with.
const (
	// SynchronousNormal syncs the write-ahead log at checkpoints only: a
	// power loss or OS crash may lose the last transactions committed
	// before it, but never corrupts the database. A crash of the process
	// alone loses nothing. It is the default.
	SynchronousNormal Synchronous = "normal"
	// SynchronousFull syncs the write-ahead log on every commit, so each
	// commit survives a power loss, at the price of one fsync per write
	// transaction.
	SynchronousFull Synchronous = "full"
)

// Options are the settings a database is opened with. The zero value is
// the default.
type Options struct {
	// Synchronous is the durability of commits; empty is SynchronousNormal.
	Synchronous Synchronous
}

// Validate reports an Options no database can be opened with.
func (o Options) Validate() error {
	switch o.synchronous() {
	case SynchronousNormal, SynchronousFull:
		return nil
	}
	return fmt.Errorf("synchronous %q is not one of %s, %s", o.Synchronous, SynchronousNormal, SynchronousFull)
}

func (o Options) synchronous() Synchronous {
	if o.Synchronous == "" {
		return SynchronousNormal
	}
	return o.Synchronous
}

// pragma is the value PRAGMA synchronous takes for s.
func (s Synchronous) pragma() string { return strings.ToUpper(string(s)) }
