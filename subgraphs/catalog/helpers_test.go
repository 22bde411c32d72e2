package catalog_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/catalog"
)

// gqlError is one error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// result is a decoded response.
type result struct {
	Data   json.RawMessage
	Errors []gqlError
}

// query posts a GraphQL operation through the handler.
func query(t *testing.T, c *client.Client, q string, opts ...client.Option) result {
	t.Helper()
	raw, err := c.RawPost(q, opts...)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	var out result
	if raw.Data != nil {
		out.Data, err = json.Marshal(raw.Data)
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(raw.Errors) > 0 {
		if err := json.Unmarshal(raw.Errors, &out.Errors); err != nil {
			t.Fatalf("decode errors %s: %v", raw.Errors, err)
		}
	}
	return out
}

// ok posts q, fails on any error and decodes data into into.
func ok(t *testing.T, c *client.Client, q string, into any, opts ...client.Option) {
	t.Helper()
	res := query(t, c, q, opts...)
	if len(res.Errors) > 0 {
		t.Fatalf("unexpected errors: %+v", res.Errors)
	}
	if err := json.Unmarshal(res.Data, into); err != nil {
		t.Fatalf("decode %s: %v", res.Data, err)
	}
}

// code returns the first error's code and field, failing when none.
func code(t *testing.T, res result) (string, string) {
	t.Helper()
	if len(res.Errors) == 0 {
		t.Fatalf("expected an error, got data %s", res.Data)
	}
	c, _ := res.Errors[0].Extensions["code"].(string)
	f, _ := res.Errors[0].Extensions["field"].(string)
	return c, f
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// openSubgraph opens a freshly seeded catalog in a temporary directory.
func openSubgraph(t *testing.T, bus events.Bus) *catalog.Subgraph {
	t.Helper()
	sg, err := catalog.Open(context.Background(), catalog.Options{DataDir: t.TempDir(), Bus: bus, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sg.Close() })
	return sg
}

// recordingBus is an in-memory events.Bus that keeps what was published.
type recordingBus struct {
	mu        sync.Mutex
	published []events.Event
}

func (b *recordingBus) Publish(_ context.Context, evs ...events.Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ev := range evs {
		if err := ev.Validate(); err != nil {
			return err
		}
	}
	b.published = append(b.published, evs...)
	return nil
}

func (b *recordingBus) Consume(ctx context.Context, _, _ string, _ events.Handler) error {
	<-ctx.Done()
	return nil
}

func (b *recordingBus) Listen(ctx context.Context, _ string) (<-chan events.Event, error) {
	ch := make(chan events.Event)
	go func() { <-ctx.Done(); close(ch) }()
	return ch, nil
}

func (b *recordingBus) Close() error { return nil }

func (b *recordingBus) events() []events.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]events.Event(nil), b.published...)
}
