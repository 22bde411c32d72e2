package catalogservice

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cinegraph/cinegraph/internal/events"
	"github.com/cinegraph/cinegraph/internal/events/outbox"
)

// Event types published to events.TopicCatalogChanges.
const (
	EventMyListAdded   = "catalog.mylist.added"
	EventMyListRemoved = "catalog.mylist.removed"
)

// MyListChange is the payload of My List events.
type MyListChange struct {
	ProfileID string `json:"profileId"`
	TitleID   string `json:"titleId"`
}

// MyList returns the titles a profile saved, most recently added first.
func (s *Service) MyList(ctx context.Context, profileID string) ([]ListEntry, error) {
	if err := ValidateID("profileId", profileID); err != nil {
		return nil, err
	}
	lists, err := s.store.MyLists(ctx, []string{profileID})
	if err != nil {
		return nil, fmt.Errorf("load my list of %s: %w", profileID, err)
	}
	return lists[profileID], nil
}

// AddToMyList saves a title to the profile's list. Saving it twice changes
// nothing; an unknown title or profile is NOT_FOUND.
func (s *Service) AddToMyList(ctx context.Context, profileID, titleID string) (Profile, error) {
	p, err := s.checkListChange(ctx, profileID, titleID)
	if err != nil {
		return Profile{}, err
	}
	now := s.now().UTC()
	ev, err := s.event(ctx, EventMyListAdded, profileID, titleID, now)
	if err != nil {
		return Profile{}, err
	}
	added, err := s.store.AddToMyList(ctx, ListEntry{ProfileID: profileID, TitleID: titleID, AddedAt: now}, ev)
	if errors.Is(err, ErrUnknownReference) {
		// The title vanished between the check and the write (a reseed).
		return Profile{}, missing("title", titleID)
	}
	if err != nil {
		return Profile{}, fmt.Errorf("add %s to my list of %s: %w", titleID, profileID, err)
	}
	if added {
		s.notify()
	}
	return p, nil
}

// RemoveFromMyList removes a title from the profile's list; removing a title
// that is not there changes nothing, but the title must exist.
func (s *Service) RemoveFromMyList(ctx context.Context, profileID, titleID string) (Profile, error) {
	p, err := s.checkListChange(ctx, profileID, titleID)
	if err != nil {
		return Profile{}, err
	}
	ev, err := s.event(ctx, EventMyListRemoved, profileID, titleID, s.now().UTC())
	if err != nil {
		return Profile{}, err
	}
	removed, err := s.store.RemoveFromMyList(ctx, profileID, titleID, ev)
	if err != nil {
		return Profile{}, fmt.Errorf("remove %s from my list of %s: %w", titleID, profileID, err)
	}
	if removed {
		s.notify()
	}
	return p, nil
}

func (s *Service) checkListChange(ctx context.Context, profileID, titleID string) (Profile, error) {
	if err := ValidateID("titleId", titleID); err != nil {
		return Profile{}, err
	}
	p, err := s.Profile(ctx, profileID)
	if err != nil {
		return Profile{}, err
	}
	t, err := s.Title(ctx, titleID)
	if err != nil {
		return Profile{}, err
	}
	if t == nil {
		return Profile{}, missing("title", titleID)
	}
	return p, nil
}

// event builds the event announcing a My List change; the store commits it
// with the change and the relay publishes it, so no change goes unannounced.
// It is sealed with the request's trace context, which its consumers
// continue however late the relay publishes it.
func (s *Service) event(ctx context.Context, typ, profileID, titleID string, at time.Time) (events.Event, error) {
	ev, err := events.New(events.TopicCatalogChanges, profileID, typ, uuid.NewString(), at, MyListChange{ProfileID: profileID, TitleID: titleID})
	if err != nil {
		return events.Event{}, fmt.Errorf("build %s event: %w", typ, err)
	}
	return outbox.Seal(ctx, ev), nil
}
