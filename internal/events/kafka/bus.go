// Package kafka is Cinegraph's event bus on Apache Kafka, for cluster mode.
// Each events topic is a Kafka topic created at open with the configured
// partitions; an event's key picks its partition (hash balancer), so
// events with the same key keep their order. The event id, type and time
// travel as headers and the payload as the value. Consumers use consumer
// groups and commit after the handler succeeds; they drop event ids they
// have already processed (a bounded memory of recent ids per group), which
// absorbs retried publishes. An event's trace context (Event.Headers:
// traceparent, tracestate, baggage) travels as message headers of the same
// names, and the bus spans its publishes and handler calls by the
// messaging conventions (events.Tracing). Listen tails every partition from its end
// without a group, for live fan-out inside one instance.
package kafka

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/cinegraph/cinegraph/internal/config"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/telemetry"
)

var _ events.Bus = (*Bus)(nil)

// Message headers carrying the event's fields.
const (
	headerID   = "cinegraph-id"
	headerType = "cinegraph-type"
	headerTime = "cinegraph-time"
)

// Defaults of Options.
const (
	// DefaultSeenIDs bounds how many recent event ids each consumer group
	// remembers to drop redeliveries of.
	DefaultSeenIDs = 10000
	// ListenBuffer is the channel capacity of a listener.
	ListenBuffer = 256
)

// Options tune a Bus beyond its config.
type Options struct {
	// TopicPrefix is put before every topic and group name, so that
	// several deployments (or test runs) can share one cluster.
	TopicPrefix string
	// SeenIDs bounds the ids each group remembers; DefaultSeenIDs if 0.
	SeenIDs int
	// Logger reports messages that are skipped because they are not
	// Cinegraph events; slog.Default() if nil.
	Logger *slog.Logger
	// Tracing is the provider of the bus's producer and consumer spans;
	// the process's (telemetry.Current) when nil.
	Tracing *telemetry.Provider
}

// Bus is the Kafka-backed event bus.
type Bus struct {
	cfg    config.Kafka
	opts   Options
	client *kafka.Client
	writer *kafka.Writer
	dialer *kafka.Dialer
	// tracing spans publishes and handler calls; nil when tracing is off.
	tracing *events.Tracing

	mu     sync.Mutex
	topics map[string]bool     // Kafka topics known to exist
	seen   map[string]*seenIDs // by group and topic
}

// Open connects to the brokers in cfg and creates the Cinegraph topics
// (events.TopicCatalogChanges, TopicChatMessages, TopicVideoEvents,
// TopicInsights, TopicVideoFrames) with cfg.Partitions partitions if they do not exist.
func Open(ctx context.Context, cfg config.Kafka, opts Options) (*Bus, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("kafka: no brokers configured")
	}
	if cfg.Partitions <= 0 {
		cfg.Partitions = 1
	}
	if cfg.ReplicationFactor <= 0 {
		cfg.ReplicationFactor = 1
	}
	if opts.SeenIDs <= 0 {
		opts.SeenIDs = DefaultSeenIDs
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	addr := kafka.TCP(cfg.Brokers...)
	transport := &kafka.Transport{ClientID: cfg.ClientID, DialTimeout: 5 * time.Second}
	b := &Bus{
		cfg:    cfg,
		opts:   opts,
		client: &kafka.Client{Addr: addr, Transport: transport, Timeout: 10 * time.Second},
		writer: &kafka.Writer{
			Addr:      addr,
			Transport: transport,
			Balancer:  &kafka.Hash{},
			// Every replica must have an event before Publish returns.
			RequiredAcks: kafka.RequireAll,
			// Publish is synchronous; a short linger keeps it quick.
			BatchTimeout:           5 * time.Millisecond,
			AllowAutoTopicCreation: false,
		},
		dialer:  &kafka.Dialer{ClientID: cfg.ClientID, Timeout: 10 * time.Second, DualStack: true},
		topics:  map[string]bool{},
		seen:    map[string]*seenIDs{},
		tracing: events.NewTracing(opts.Tracing, events.SystemKafka),
	}
	if err := b.ensureTopics(ctx, events.TopicCatalogChanges, events.TopicChatMessages, events.TopicVideoEvents, events.TopicInsights, events.TopicVideoFrames); err != nil {
		_ = b.writer.Close()
		return nil, err
	}
	return b, nil
}

// kafkaTopic is the Kafka topic name of an events topic.
func (b *Bus) kafkaTopic(topic string) string { return b.opts.TopicPrefix + topic }

// ensureTopics creates the topics that this bus has not seen yet; a topic
// that already exists is fine.
func (b *Bus) ensureTopics(ctx context.Context, topics ...string) error {
	b.mu.Lock()
	var missing []kafka.TopicConfig
	for _, t := range topics {
		if !b.topics[t] {
			missing = append(missing, kafka.TopicConfig{
				Topic: b.kafkaTopic(t), NumPartitions: b.cfg.Partitions, ReplicationFactor: b.cfg.ReplicationFactor,
			})
		}
	}
	b.mu.Unlock()
	if len(missing) == 0 {
		return nil
	}
	res, err := b.client.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: missing})
	if err != nil {
		return fmt.Errorf("create kafka topics: %w", err)
	}
	for name, terr := range res.Errors {
		if terr != nil && !errors.Is(terr, kafka.TopicAlreadyExists) {
			return fmt.Errorf("create kafka topic %s: %w", name, terr)
		}
	}
	// Metadata of a new topic reaches every broker a moment after creation.
	for _, t := range missing {
		if err := b.waitForTopic(ctx, t.Topic); err != nil {
			return err
		}
	}
	b.mu.Lock()
	for _, t := range topics {
		b.topics[t] = true
	}
	b.mu.Unlock()
	return nil
}

func (b *Bus) waitForTopic(ctx context.Context, topic string) error {
	for {
		_, err := b.partitions(ctx, topic)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for kafka topic %s: %w", topic, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// partitions lists the partition ids of a Kafka topic, all with a leader.
func (b *Bus) partitions(ctx context.Context, topic string) ([]int, error) {
	md, err := b.client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("metadata of %s: %w", topic, err)
	}
	for _, t := range md.Topics {
		if t.Name != topic {
			continue
		}
		if t.Error != nil {
			return nil, fmt.Errorf("metadata of %s: %w", topic, t.Error)
		}
		if len(t.Partitions) == 0 {
			return nil, fmt.Errorf("metadata of %s: no partitions yet", topic)
		}
		out := make([]int, 0, len(t.Partitions))
		for _, p := range t.Partitions {
			if p.Error != nil || p.Leader.Host == "" {
				return nil, fmt.Errorf("metadata of %s: partition %d has no leader yet", topic, p.ID)
			}
			out = append(out, p.ID)
		}
		return out, nil
	}
	return nil, fmt.Errorf("metadata of %s: topic missing", topic)
}

// Publish writes evs, each keyed by its Key. Kafka has no multi-partition
// atomic write here: a failed Publish may have stored some events, and the
// caller retries the whole batch; consumers drop the ids they have already
// processed, so a retry does not process an event twice.
func (b *Bus) Publish(ctx context.Context, evs ...events.Event) (err error) {
	if len(evs) == 0 {
		return nil
	}
	topics := make([]string, 0, 1)
	for _, ev := range evs {
		if err := ev.Validate(); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		topics = append(topics, ev.Topic)
	}
	if err := b.ensureTopics(ctx, topics...); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	evs, end := b.tracing.Publish(ctx, evs)
	defer func() { end(err) }()
	msgs := make([]kafka.Message, len(evs))
	for i, ev := range evs {
		headers := make([]kafka.Header, 3, 3+len(ev.Headers))
		headers[0] = kafka.Header{Key: headerID, Value: []byte(ev.ID)}
		headers[1] = kafka.Header{Key: headerType, Value: []byte(ev.Type)}
		headers[2] = kafka.Header{Key: headerTime, Value: []byte(ev.Time.UTC().Format(time.RFC3339Nano))}
		for k, v := range ev.Headers {
			headers = append(headers, kafka.Header{Key: k, Value: []byte(v)})
		}
		msgs[i] = kafka.Message{
			Topic:   b.kafkaTopic(ev.Topic),
			Value:   ev.Payload,
			Headers: headers,
		}
		if ev.Key != "" {
			msgs[i].Key = []byte(ev.Key)
		}
	}
	if err := b.writer.WriteMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("publish %d events: %w", len(evs), err)
	}
	return nil
}

// decode turns a Kafka message back into the event published.
func decode(topic string, m kafka.Message) (events.Event, error) {
	ev := events.Event{Topic: topic, Key: string(m.Key), Payload: m.Value, Offset: m.Offset}
	for _, h := range m.Headers {
		switch h.Key {
		case headerID:
			ev.ID = string(h.Value)
		case headerType:
			ev.Type = string(h.Value)
		case headerTime:
			at, err := time.Parse(time.RFC3339Nano, string(h.Value))
			if err != nil {
				return ev, fmt.Errorf("message %d/%d: time header: %w", m.Partition, m.Offset, err)
			}
			ev.Time = at
		default:
			// Every other header is the event's (its trace context),
			// including those another producer's instrumentation set.
			if ev.Headers == nil {
				ev.Headers = make(map[string]string, len(m.Headers))
			}
			ev.Headers[h.Key] = string(h.Value)
		}
	}
	if ev.ID == "" {
		return ev, fmt.Errorf("message %d/%d of %s has no event id", m.Partition, m.Offset, topic)
	}
	return ev, nil
}

// Close stops the writer. Consumers and listeners stop through their
// contexts.
func (b *Bus) Close() error {
	if err := b.writer.Close(); err != nil {
		return fmt.Errorf("close kafka writer: %w", err)
	}
	return nil
}

// seenFor is the id memory of group on topic.
func (b *Bus) seenFor(group, topic string) *seenIDs {
	key := group + "\x00" + topic
	b.mu.Lock()
	defer b.mu.Unlock()
	s, ok := b.seen[key]
	if !ok {
		s = newSeenIDs(b.opts.SeenIDs)
		b.seen[key] = s
	}
	return s
}
