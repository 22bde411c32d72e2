package kafka

import (
	"container/list"
	"sync"
)

// seenIDs remembers the most recent event ids up to a bound, forgetting the
// least recently seen first.
type seenIDs struct {
	mu    sync.Mutex
	max   int
	order *list.List // of string, most recent at the front
	index map[string]*list.Element
}

func newSeenIDs(n int) *seenIDs {
	return &seenIDs{max: n, order: list.New(), index: make(map[string]*list.Element, min(n, 1024))}
}

// has reports whether id was added and is still remembered.
func (s *seenIDs) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.index[id]
	if ok {
		s.order.MoveToFront(e)
	}
	return ok
}

// add remembers id, forgetting the oldest id beyond the bound.
func (s *seenIDs) add(id string) { s.addNew(id) }

// addNew remembers id and reports whether it was new.
func (s *seenIDs) addNew(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.index[id]; ok {
		s.order.MoveToFront(e)
		return false
	}
	s.index[id] = s.order.PushFront(id)
	for s.order.Len() > s.max {
		oldest := s.order.Back()
		s.order.Remove(oldest)
		delete(s.index, oldest.Value.(string))
	}
	return true
}
