package kafka_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/bustest"
	"github.com/cinegraph/cinegraph/internal/events/kafka"
)

var runSeq atomic.Int64

// open returns a bus whose topics and groups no other test shares, and a
// reopen that starts another bus on the same topics.
func open(t *testing.T) (events.Bus, func(t *testing.T) events.Bus) {
	t.Helper()
	cfg := enginetest.Storage(t).Kafka
	cfg.Brokers = enginetest.Kafka(t)
	cfg.Partitions = 3
	opts := kafka.Options{TopicPrefix: fmt.Sprintf("test-%d-%d.", time.Now().UnixNano(), runSeq.Add(1))}
	deleteTopicsAtEnd(t, opts.TopicPrefix)
	reopen := func(t *testing.T) events.Bus {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		b, err := kafka.Open(ctx, cfg, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = b.Close() })
		return b
	}
	return reopen(t), reopen
}

func TestBusContract(t *testing.T) {
	t.Parallel()
	bustest.Run(t, open)
}

// deleteTopicsAtEnd removes the test's topics when it ends, so the shared
// broker does not pile up partitions run after run.
func deleteTopicsAtEnd(t *testing.T, prefix string) {
	t.Helper()
	brokers := enginetest.Kafka(t)
	t.Cleanup(func() {
		client := &kafkago.Client{Addr: kafkago.TCP(brokers...), Transport: &kafkago.Transport{}, Timeout: 10 * time.Second}
		var names []string
		for _, tp := range []string{events.TopicCatalogChanges, events.TopicChatMessages, events.TopicVideoEvents, events.TopicInsights} {
			names = append(names, prefix+tp)
		}
		if _, err := client.DeleteTopics(context.Background(), &kafkago.DeleteTopicsRequest{Topics: names}); err != nil {
			t.Logf("delete test topics %s*: %v", prefix, err)
		}
	})
}
