package config

import (
	"maps"
	"regexp"
	"slices"
)

// Subscriptions configures the router's subscriptions.
type Subscriptions struct {
	// Resume names, by Subscription field, how an upstream subscription
	// the router lost is reopened from the last event it delivered: the
	// field's argument taking a position, and the field of each event's
	// object giving its own.
	Resume map[string]SubscriptionResume `koanf:"resume" yaml:"resume"`
}

// SubscriptionResume is one field's resumption rule.
type SubscriptionResume struct {
	Argument string `koanf:"argument" yaml:"argument"`
	Cursor   string `koanf:"cursor" yaml:"cursor"`
}

// defaultSubscriptions resumes chat's messageAdded(roomId, since) by
// message id.
func defaultSubscriptions() Subscriptions {
	return Subscriptions{Resume: map[string]SubscriptionResume{
		"messageAdded": {Argument: "since", Cursor: "id"},
	}}
}

var graphqlName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)

func (s Subscriptions) problems(check func(ok bool, format string, args ...any)) {
	for _, field := range slices.Sorted(maps.Keys(s.Resume)) {
		r := s.Resume[field]
		p := "router.subscriptions.resume." + field
		check(graphqlName.MatchString(field), "%s: %q is not a field name", p, field)
		check(graphqlName.MatchString(r.Argument), "%s.argument: %q is not an argument name", p, r.Argument)
		check(graphqlName.MatchString(r.Cursor), "%s.cursor: %q is not a field name", p, r.Cursor)
	}
}
