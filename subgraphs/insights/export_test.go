package insights

// LiveSubscribers returns how many insight subscriptions roomID has, so
// tests can wait for a subscription to reach the hub before publishing.
func (s *Subgraph) LiveSubscribers(roomID string) int {
	if s.hub == nil {
		return 0
	}
	return s.hub.Subscribers(roomID)
}
