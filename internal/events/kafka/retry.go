package kafka

import (
	"context"
	"errors"
	"time"

	"github.com/segmentio/kafka-go"
)

// retryBackoff is the pause before retrying after a transient broker error.
const retryBackoff = 250 * time.Millisecond

// temporary reports whether err is a Kafka error that goes away by itself:
// a leader or group coordinator still being elected, as right after a
// topic or the offsets topic was created.
func temporary(err error) bool {
	var kerr kafka.Error
	return errors.As(err, &kerr) && kerr.Temporary()
}

// pause waits for the backoff; false when ctx ended first.
func pause(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(retryBackoff):
		return true
	}
}

// withRetry calls f until it succeeds, fails with a lasting error, or
// ctx ends.
func withRetry(ctx context.Context, f func() error) error {
	for {
		err := f()
		if err == nil || !temporary(err) || !pause(ctx) {
			return err
		}
	}
}
