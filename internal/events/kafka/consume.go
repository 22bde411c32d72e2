package kafka

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/cinegraph/cinegraph/internal/events"
)

// Consume delivers topic's events to h as a member of the consumer group,
// committing each message's offset after h succeeds. Ids the group has
// already processed in this process are committed without calling h again.
// It returns nil when ctx is done and h's error, uncommitted, when h fails.
func (b *Bus) Consume(ctx context.Context, topic, group string, h events.Handler) error {
	if topic == "" || group == "" {
		return errors.New("consume: topic and group are required")
	}
	if err := b.ensureTopics(ctx, topic); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("consume %s as %s: %w", topic, group, err)
	}
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers:     b.cfg.Brokers,
		GroupID:     b.opts.TopicPrefix + group,
		Topic:       b.kafkaTopic(topic),
		Dialer:      b.dialer,
		StartOffset: kafka.FirstOffset,
		MinBytes:    1,
		MaxBytes:    10 << 20,
		MaxWait:     250 * time.Millisecond,
		// Commits are explicit and synchronous, after the handler.
		CommitInterval:         0,
		HeartbeatInterval:      time.Second,
		SessionTimeout:         10 * time.Second,
		RebalanceTimeout:       10 * time.Second,
		JoinGroupBackoff:       500 * time.Millisecond,
		WatchPartitionChanges:  true,
		PartitionWatchInterval: 5 * time.Second,
	})
	defer r.Close()
	seen := b.seenFor(group, topic)
	lag := newPartitionLag(events.ConsumerLag(topic, group))
	for {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			// The reader rejoins the group by itself after a transient
			// error, such as a coordinator still being elected.
			if temporary(err) {
				if !pause(ctx) {
					return nil
				}
				continue
			}
			return fmt.Errorf("consume %s as %s: %w", topic, group, err)
		}
		ev, err := decode(topic, m)
		switch {
		case err != nil:
			// A message no handler could read would otherwise block the
			// partition for good; it is logged and passed over.
			b.opts.Logger.Warn("skipping a message that is not a Cinegraph event",
				"topic", topic, "group", group, "partition", m.Partition, "offset", m.Offset, "err", err)
		case !seen.has(ev.ID):
			hctx, done := b.tracing.Process(ctx, group, ev)
			err := h(hctx, ev)
			done(err)
			if err != nil {
				return fmt.Errorf("consume %s as %s: event %s: %w", topic, group, ev.ID, err)
			}
			seen.add(ev.ID)
		}
		// The commit must land even if ctx ends while h ran: the event was
		// processed, and skipping the commit would redeliver it.
		commitCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		err = withRetry(commitCtx, func() error { return r.CommitMessages(commitCtx, m) })
		cancel()
		if err != nil {
			return fmt.Errorf("commit %s as %s at %d/%d: %w", topic, group, m.Partition, m.Offset, err)
		}
		lag.committed(m)
	}
}

// partitionLag sums the lag of the partitions one consumer reads, each as
// of its last committed message: the partition's high-water mark, which
// the fetch that brought the message reported, less the next offset. A
// partition reassigned to another member keeps its last value here until
// this member reads it again.
type partitionLag struct {
	gauge interface{ Set(float64) }
	by    map[int]int64
}

func newPartitionLag(g interface{ Set(float64) }) *partitionLag {
	return &partitionLag{gauge: g, by: map[int]int64{}}
}

func (l *partitionLag) committed(m kafka.Message) {
	l.by[m.Partition] = max(m.HighWaterMark-(m.Offset+1), 0)
	var sum int64
	for _, n := range l.by {
		sum += n
	}
	l.gauge.Set(float64(sum))
}
