package mediastore

import (
	"errors"
	"syscall"
)

// isNotDir reports an error from a path that runs through a file
// ("a.jpg/b"), which means the key holds nothing.
func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }
