package kafka

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/cinegraph/cinegraph/internal/events"
)

// Listen streams events published to topic after the call: it reads every
// partition from the end offset it had when Listen was called, without a
// consumer group, so each instance sees every new event. The channel
// closes when ctx is done.
func (b *Bus) Listen(ctx context.Context, topic string) (<-chan events.Event, error) {
	if err := b.ensureTopics(ctx, topic); err != nil {
		return nil, fmt.Errorf("listen %s: %w", topic, err)
	}
	name := b.kafkaTopic(topic)
	parts, err := b.partitions(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", topic, err)
	}
	// The end offsets are fixed now, before returning, so an event
	// published right after Listen returns is not missed.
	req := make([]kafka.OffsetRequest, len(parts))
	for i, p := range parts {
		req[i] = kafka.LastOffsetOf(p)
	}
	var offs *kafka.ListOffsetsResponse
	err = withRetry(ctx, func() error {
		var err error
		offs, err = b.client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{name: req}})
		if err != nil {
			return err
		}
		// A partition whose leader is still being elected fails alone.
		for _, po := range offs.Topics[name] {
			if po.Error != nil {
				return po.Error
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listen %s: end offsets: %w", topic, err)
	}
	readers := make([]*kafka.Reader, 0, len(parts))
	for _, po := range offs.Topics[name] {
		if po.Error != nil {
			return nil, fmt.Errorf("listen %s: end offset of partition %d: %w", topic, po.Partition, po.Error)
		}
		r := kafka.NewReader(kafka.ReaderConfig{
			Brokers:   b.cfg.Brokers,
			Topic:     name,
			Partition: po.Partition,
			Dialer:    b.dialer,
			MinBytes:  1,
			MaxBytes:  10 << 20,
			MaxWait:   250 * time.Millisecond,
		})
		if err := r.SetOffset(po.LastOffset); err != nil {
			_ = r.Close()
			for _, open := range readers {
				_ = open.Close()
			}
			return nil, fmt.Errorf("listen %s: partition %d: %w", topic, po.Partition, err)
		}
		readers = append(readers, r)
	}
	out := make(chan events.Event, ListenBuffer)
	// Retried publishes are shown once to this listener.
	seen := newSeenIDs(b.opts.SeenIDs)
	var wg sync.WaitGroup
	for _, r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.Close()
			for {
				m, err := r.ReadMessage(ctx)
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					// A broker hiccup: the reader reconnects on the next read.
					select {
					case <-ctx.Done():
						return
					case <-time.After(time.Second):
					}
					continue
				}
				ev, err := decode(topic, m)
				if err != nil || !seen.addNew(ev.ID) {
					continue
				}
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out, nil
}
