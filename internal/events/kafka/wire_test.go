package kafka_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/cinegraph/cinegraph/internal/enginetest"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/bustest"
	"github.com/cinegraph/cinegraph/internal/events/kafka"
)

// freshBus opens a bus with its own topic prefix and partitions.
func freshBus(t *testing.T, partitions int) (*kafka.Bus, string) {
	t.Helper()
	cfg := enginetest.Storage(t).Kafka
	cfg.Brokers = enginetest.Kafka(t)
	cfg.Partitions = partitions
	prefix := fmt.Sprintf("test-%d-%d.", time.Now().UnixNano(), runSeq.Add(1))
	deleteTopicsAtEnd(t, prefix)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := kafka.Open(ctx, cfg, kafka.Options{TopicPrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b, prefix
}

func TestOpenCreatesTopicsWithPartitions(t *testing.T) {
	t.Parallel()
	_, prefix := freshBus(t, 4)
	client := &kafkago.Client{Addr: kafkago.TCP(enginetest.Kafka(t)...), Transport: &kafkago.Transport{}}
	topics := []string{events.TopicCatalogChanges, events.TopicChatMessages, events.TopicVideoEvents, events.TopicInsights}
	names := make([]string, len(topics))
	for i, tp := range topics {
		names[i] = prefix + tp
	}
	// A client's metadata may lag a topic's creation for a moment.
	got := map[string]int{}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		md, err := client.Metadata(context.Background(), &kafkago.MetadataRequest{Topics: names})
		if err != nil {
			t.Fatal(err)
		}
		clear(got)
		for _, tp := range md.Topics {
			if tp.Error == nil {
				got[tp.Name] = len(tp.Partitions)
			}
		}
		if len(got) == len(names) {
			break
		}
	}
	for _, n := range names {
		if got[n] != 4 {
			t.Errorf("topic %s has %d partitions, want 4", n, got[n])
		}
	}
}

// TestMessagesCarryKeyAndHeaders reads the topic with a plain Kafka reader:
// other Kafka clients see the key, the payload as value and the event's
// fields as headers, and one key stays on one partition.
func TestMessagesCarryKeyAndHeaders(t *testing.T) {
	t.Parallel()
	b, prefix := freshBus(t, 3)
	var sent []events.Event
	for n := 1; n <= 5; n++ {
		sent = append(sent, bustest.Event(t, events.TopicVideoEvents, "video-7", n))
	}
	if err := b.Publish(context.Background(), sent...); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), bustest.Wait)
	defer cancel()
	r := kafkago.NewReader(kafkago.ReaderConfig{
		Brokers: enginetest.Kafka(t), GroupID: prefix + "raw", Topic: prefix + events.TopicVideoEvents,
		StartOffset: kafkago.FirstOffset, MaxWait: 250 * time.Millisecond,
	})
	defer r.Close()
	partitions := map[int]bool{}
	for i, ev := range sent {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		partitions[m.Partition] = true
		headers := map[string]string{}
		for _, h := range m.Headers {
			headers[h.Key] = string(h.Value)
		}
		if string(m.Key) != ev.Key || string(m.Value) != string(ev.Payload) ||
			headers["cinegraph-id"] != ev.ID || headers["cinegraph-type"] != ev.Type ||
			headers["cinegraph-time"] != ev.Time.UTC().Format(time.RFC3339Nano) {
			t.Errorf("message %d = key %q value %s headers %v, want event %+v", i, m.Key, m.Value, headers, ev)
		}
	}
	if len(partitions) != 1 {
		t.Errorf("one key spread over partitions %v", partitions)
	}
}

// TestGroupMembersSplitTheWork runs two consumers of one group at once:
// together they see every event exactly once, and each key's events in
// order.
func TestGroupMembersSplitTheWork(t *testing.T) {
	t.Parallel()
	b, _ := freshBus(t, 4)
	keys := []string{"a", "b", "c", "d", "e", "f"}
	var sent []events.Event
	for n := 1; n <= 5; n++ {
		for _, k := range keys {
			sent = append(sent, bustest.Event(t, events.TopicChatMessages, k, n))
		}
	}
	if err := b.Publish(context.Background(), sent...); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), bustest.Wait)
	defer cancel()
	var mu sync.Mutex
	byKey := map[string][]string{}
	total := 0
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := b.Consume(ctx, events.TopicChatMessages, "split", func(_ context.Context, ev events.Event) error {
				mu.Lock()
				defer mu.Unlock()
				byKey[ev.Key] = append(byKey[ev.Key], ev.ID)
				total++
				if total == len(sent) {
					time.AfterFunc(bustest.Quiet, cancel)
				}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if total != len(sent) {
		t.Errorf("group saw %d events, want %d", total, len(sent))
	}
	for _, k := range keys {
		want := []string{k + "-1", k + "-2", k + "-3", k + "-4", k + "-5"}
		if !slices.Equal(byKey[k], want) {
			t.Errorf("key %s: %v, want %v", k, byKey[k], want)
		}
	}
}

// TestForeignMessagesAreSkipped writes a message that is not a Cinegraph
// event (no id header) before a real one: the consumer passes over it
// instead of stalling the partition.
func TestForeignMessagesAreSkipped(t *testing.T) {
	t.Parallel()
	b, prefix := freshBus(t, 1)
	w := &kafkago.Writer{Addr: kafkago.TCP(enginetest.Kafka(t)...), Topic: prefix + events.TopicInsights,
		BatchTimeout: 5 * time.Millisecond, Transport: &kafkago.Transport{}}
	defer w.Close()
	// This writer's metadata may not know the new topic for a moment.
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if err = w.WriteMessages(context.Background(), kafkago.Message{Key: []byte("k"), Value: []byte("not an event")}); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(context.Background(), bustest.Event(t, events.TopicInsights, "k", 1)); err != nil {
		t.Fatal(err)
	}
	got := bustest.Collect(t, b, events.TopicInsights, "g", 1)
	if len(got) != 1 || got[0].ID != "k-1" {
		t.Fatalf("got %+v, want only k-1", got)
	}
}
