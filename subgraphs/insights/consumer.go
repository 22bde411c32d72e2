package insights

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/cinegraph/cinegraph/internal/errs"
	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/subgraphs/insights/insightsservice"
)

// Retry delays after a consumer fails, doubling up to the maximum.
const (
	retryMin = 100 * time.Millisecond
	retryMax = 10 * time.Second
)

// consumer feeds bus events to the service.
type consumer struct {
	bus    events.Bus
	svc    *insightsservice.Service
	logger *slog.Logger
}

// run consumes topic until ctx is done, and then returns nil. A handler
// error (the store failing) stops the bus's Consume without committing, so
// run waits and resumes from the same event, backing off while the failure
// lasts.
func (c consumer) run(ctx context.Context, topic string, h events.Handler) error {
	delay := retryMin
	for {
		started := time.Now()
		err := c.bus.Consume(ctx, topic, Group, h)
		if ctx.Err() != nil {
			return nil
		}
		if time.Since(started) > retryMax {
			delay = retryMin // the last failure is long past
		}
		c.logger.ErrorContext(ctx, "consumer stopped, retrying", "topic", topic, "err", err, "retry_in", delay)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(delay):
		}
		delay = min(2*delay, retryMax)
	}
}

// chatMessage scores a posted chat message.
func (c consumer) chatMessage(ctx context.Context, ev events.Event) error {
	var m insightsservice.ChatMessagePosted
	if err := json.Unmarshal(ev.Payload, &m); err != nil {
		return c.skip(ctx, ev, err)
	}
	if _, err := c.svc.RecordMessage(ctx, m); err != nil {
		return c.skipInvalid(ctx, ev, err)
	}
	return nil
}

// videoProgress counts a profile as a viewer of the video's title.
func (c consumer) videoProgress(ctx context.Context, ev events.Event) error {
	var p insightsservice.VideoProgress
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return c.skip(ctx, ev, err)
	}
	if err := c.svc.RecordViewing(ctx, p); err != nil {
		return c.skipInvalid(ctx, ev, err)
	}
	return nil
}

// videoFrames runs the detector on a video's keyframes. While the
// detector fails the event is retried, so no frame is lost.
func (c consumer) videoFrames(ctx context.Context, ev events.Event) error {
	var p insightsservice.FramesCaptured
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return c.skip(ctx, ev, err)
	}
	n, err := c.svc.RecordFrames(ctx, p)
	if err != nil {
		return c.skipInvalid(ctx, ev, err)
	}
	c.logger.DebugContext(ctx, "detected objects in frames", "video", p.VideoID, "frames", len(p.Frames), "detections", n)
	return nil
}

// skipInvalid drops an event the service rejects as malformed, since
// redelivering it would fail forever, and returns any other error so the
// event is retried.
func (c consumer) skipInvalid(ctx context.Context, ev events.Event, err error) error {
	if errs.CodeOf(err) == errs.BadUserInput {
		return c.skip(ctx, ev, err)
	}
	return err
}

func (c consumer) skip(ctx context.Context, ev events.Event, err error) error {
	c.logger.WarnContext(ctx, "skipping malformed event", "topic", ev.Topic, "id", ev.ID, "type", ev.Type, "err", err)
	return nil
}
