package config

import (
	"maps"
	"math"
	"slices"
)

// RateLimit limits how often a client may call the router: per client (the
// first of key_headers a request carries, else its IP), per client and
// operation name, and how many websockets stay open. A request over a limit
// is answered 429 with Retry-After and a RATE_LIMITED error naming the
// limit; a websocket over one is closed with 4429. Embedded mode counts in
// memory, per process; cluster mode in storage.redis, shared by every
// router. The defaults only stop floods: one client may send the federation
// benchmark's load (about 8,000 requests a second from one address).
type RateLimit struct {
	Enabled bool `koanf:"enabled" yaml:"enabled"`
	// KeyHeaders name headers that identify the client before its IP, such
	// as a verified-identity header a trusted proxy sets; a header clients
	// may set themselves lets them pick their own allowance.
	KeyHeaders []string `koanf:"key_headers" yaml:"key_headers"`
	// PerClient bounds every request of one client (each websocket opened
	// and each operation on it count).
	PerClient Rate `koanf:"per_client" yaml:"per_client"`
	// PerOperation bounds one client's requests of the named operations,
	// on top of per_client.
	PerOperation map[string]Rate `koanf:"per_operation" yaml:"per_operation"`
	// WebSocket caps the websockets open at once on one router.
	WebSocket WebSocketLimits `koanf:"websocket" yaml:"websocket"`
}

// Rate is an average rate with a burst above it.
type Rate struct {
	// Rate is requests per second on average.
	Rate float64 `koanf:"rate" yaml:"rate"`
	// Burst is how many requests may come at once.
	Burst int `koanf:"burst" yaml:"burst"`
}

// WebSocketLimits cap open websockets; 0 means no cap.
type WebSocketLimits struct {
	MaxPerClient int `koanf:"max_per_client" yaml:"max_per_client"`
	MaxTotal     int `koanf:"max_total" yaml:"max_total"`
}

// Defaults of router.rate_limit.
const (
	// DefaultRatePerClient is above the federation benchmark's load from
	// one address (16 connections, about 8,000 requests a second).
	DefaultRatePerClient = 20_000
	// DefaultBurstPerClient absorbs a page load's or a reconnect storm's
	// worth at once.
	DefaultBurstPerClient = 40_000
	// DefaultWebSocketsPerClient allows a busy NAT or a load test's clients
	// behind one address.
	DefaultWebSocketsPerClient = 20_000
	// DefaultWebSockets bounds one router's open sockets (tens of KiB
	// each).
	DefaultWebSockets = 100_000
)

func defaultRateLimit() RateLimit {
	return RateLimit{
		Enabled:      true,
		KeyHeaders:   []string{},
		PerClient:    Rate{Rate: DefaultRatePerClient, Burst: DefaultBurstPerClient},
		PerOperation: map[string]Rate{},
		WebSocket:    WebSocketLimits{MaxPerClient: DefaultWebSocketsPerClient, MaxTotal: DefaultWebSockets},
	}
}

func (r RateLimit) problems(check func(ok bool, format string, args ...any)) {
	for _, h := range r.KeyHeaders {
		check(validHeaderName(h), "router.rate_limit.key_headers: %q is not a header name", h)
	}
	r.PerClient.problems(check, "router.rate_limit.per_client", true)
	for _, name := range slices.Sorted(maps.Keys(r.PerOperation)) {
		check(name != "", "router.rate_limit.per_operation: an operation name must not be empty")
		r.PerOperation[name].problems(check, "router.rate_limit.per_operation."+name, false)
	}
	check(r.WebSocket.MaxPerClient >= 0, "router.rate_limit.websocket.max_per_client: must not be negative, got %d", r.WebSocket.MaxPerClient)
	check(r.WebSocket.MaxTotal >= 0, "router.rate_limit.websocket.max_total: must not be negative, got %d", r.WebSocket.MaxTotal)
}

// problems checks a rate: both set and positive, or (where off is
// allowed) both zero.
func (r Rate) problems(check func(ok bool, format string, args ...any), key string, zeroIsOff bool) {
	if zeroIsOff && r.Rate == 0 && r.Burst == 0 {
		return
	}
	check(r.Rate > 0 && !math.IsInf(r.Rate, 0) && !math.IsNaN(r.Rate), "%s.rate: must be a positive number of requests per second, got %g", key, r.Rate)
	check(r.Burst > 0, "%s.burst: must be positive, got %d", key, r.Burst)
}
