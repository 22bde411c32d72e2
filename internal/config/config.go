// Package config is Cinegraph's one typed configuration: defaults, then a
// YAML file, then CINEGRAPH_* environment variables, validated with every
// problem reported at once, and printable with secrets masked.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/env/v2"
	"github.com/knadh/koanf/providers/file"
	"github.com/knadh/koanf/providers/structs"
	"github.com/knadh/koanf/v2"
	yamlv3 "gopkg.in/yaml.v3"
)

// EnvPrefix starts every environment override: CINEGRAPH_LISTEN,
// CINEGRAPH_DATA_DIR, CINEGRAPH_ROUTER_SUPERGRAPH, ...
const EnvPrefix = "CINEGRAPH_"

// Subgraphs names Cinegraph's subgraphs, in start order.
var Subgraphs = []string{"catalog", "video", "chat", "insights"}

// RouterSources names the GraphQL sources a router's own process answers
// in process (the ops report, app/ops.go): composed into the supergraph
// after Subgraphs, served by no listener and run by no process of their
// own.
var RouterSources = []string{"ops"}

// RouterSourceURL is the URL the supergraph gives a router source: a
// name, never dialled.
func RouterSourceURL(name string) string { return "inprocess://" + name }

// Config is the whole configuration of a Cinegraph process.
type Config struct {
	// Profile is demo (the default: introspection, plans and the
	// playground on) or production, which turns them off unless set.
	Profile string `koanf:"profile" yaml:"profile"`
	// Listen is the address `serve` and `router` listen on.
	Listen string `koanf:"listen" yaml:"listen"`
	// DataDir holds the embedded stores.
	DataDir string  `koanf:"data_dir" yaml:"data_dir"`
	Log     Log     `koanf:"log" yaml:"log"`
	Storage Storage `koanf:"storage" yaml:"storage"`
	// Events configures the embedded event bus (embedded.go).
	Events Events `koanf:"events" yaml:"events"`
	Router Router `koanf:"router" yaml:"router"`
	// Auth authenticates the router's clients (auth.go).
	Auth Auth `koanf:"auth" yaml:"auth"`
	// Admin is the read-only admin listener.
	Admin    Admin    `koanf:"admin" yaml:"admin"`
	Metrics  Metrics  `koanf:"metrics" yaml:"metrics"` // at /metrics on the admin listener (metrics.go)
	Subgraph Subgraph `koanf:"subgraph" yaml:"subgraph"`
	Frontend Frontend `koanf:"frontend" yaml:"frontend"`
	// Server configures every HTTP server the process starts (server.go).
	Server Server `koanf:"server" yaml:"server"`
	// Tracing configures OpenTelemetry tracing (tracing.go).
	Tracing Tracing `koanf:"tracing" yaml:"tracing"`
	// ML configures the insights subgraph's models (ml.go).
	ML ML `koanf:"ml" yaml:"ml"`
	// ShutdownTimeout bounds draining requests on SIGINT/SIGTERM.
	ShutdownTimeout time.Duration `koanf:"shutdown_timeout" yaml:"shutdown_timeout"`
}

// Log configures structured logging. Lines written while serving a
// request carry its trace_id and span_id (when traced), request_id and,
// once parsed, its operation (internal/logging).
type Log struct {
	Level  string `koanf:"level" yaml:"level"`   // debug, info, warn, error
	Format string `koanf:"format" yaml:"format"` // text or json
	// Access writes one info line (msg=access) per client request to the
	// router when it ends: method, path, status, duration, operation,
	// operation_type, outcome, bytes, request_id and trace_id. It needs
	// log.level info or debug.
	Access bool `koanf:"access" yaml:"access"`
}

// Storage selects the storage engines.
type Storage struct {
	// Mode is "embedded" (pure-Go, local files) or "cluster" (real engines).
	Mode          string        `koanf:"mode" yaml:"mode"`
	Postgres      Postgres      `koanf:"postgres" yaml:"postgres"`
	Cassandra     Cassandra     `koanf:"cassandra" yaml:"cassandra"`
	Redis         Redis         `koanf:"redis" yaml:"redis"`
	Elasticsearch Elasticsearch `koanf:"elasticsearch" yaml:"elasticsearch"`
	Kafka         Kafka         `koanf:"kafka" yaml:"kafka"`
	// SQLite configures the embedded databases (embedded.go).
	SQLite SQLite `koanf:"sqlite" yaml:"sqlite"`
}

// Postgres holds the catalog, profiles, My List, videos and insights in
// cluster mode.
type Postgres struct {
	// DSN is a libpq connection string or URL; its password is a secret.
	DSN      string `koanf:"dsn" yaml:"dsn"`
	MaxConns int32  `koanf:"max_conns" yaml:"max_conns"`
}

// Cassandra holds chat messages and viewing history in cluster mode.
type Cassandra struct {
	Hosts    []string `koanf:"hosts" yaml:"hosts"`
	Keyspace string   `koanf:"keyspace" yaml:"keyspace"`
	// Consistency is the read/write consistency level (ONE, QUORUM, LOCAL_QUORUM, ...).
	Consistency       string        `koanf:"consistency" yaml:"consistency"`
	ReplicationFactor int           `koanf:"replication_factor" yaml:"replication_factor"`
	Timeout           time.Duration `koanf:"timeout" yaml:"timeout"`
	Retries           int           `koanf:"retries" yaml:"retries"`
	Username          string        `koanf:"username" yaml:"username"`
	Password          string        `koanf:"password" yaml:"password"`
}

// Redis caches catalog reads and keeps persisted queries and rate limits.
type Redis struct {
	Addr     string        `koanf:"addr" yaml:"addr"`
	Password string        `koanf:"password" yaml:"password"`
	DB       int           `koanf:"db" yaml:"db"`
	CacheTTL time.Duration `koanf:"cache_ttl" yaml:"cache_ttl"`
}

// Elasticsearch serves catalog search in cluster mode.
type Elasticsearch struct {
	Addresses []string `koanf:"addresses" yaml:"addresses"`
	// Index is the alias queries use; reindexing swaps the index behind it.
	Index    string `koanf:"index" yaml:"index"`
	Username string `koanf:"username" yaml:"username"`
	Password string `koanf:"password" yaml:"password"`
}

// Kafka carries domain events in cluster mode.
type Kafka struct {
	Brokers           []string `koanf:"brokers" yaml:"brokers"`
	Partitions        int      `koanf:"partitions" yaml:"partitions"`
	ReplicationFactor int      `koanf:"replication_factor" yaml:"replication_factor"`
	ClientID          string   `koanf:"client_id" yaml:"client_id"`
}

// Router configures the federation router.
type Router struct {
	// Supergraph is a composed supergraph SDL file; empty means the one
	// built into the binary (schema/supergraph.graphql).
	Supergraph string `koanf:"supergraph" yaml:"supergraph"`
	// SubgraphURLs overrides the routing URL of a subgraph, by name.
	SubgraphURLs map[string]string `koanf:"subgraph_urls" yaml:"subgraph_urls"`
	// ForwardHeaders are client request headers passed on to subgraphs.
	ForwardHeaders []string `koanf:"forward_headers" yaml:"forward_headers"`
	// PlanHeader is the request header with which a client asks for the
	// query plan in the response (value "true"); empty never exposes plans.
	PlanHeader string `koanf:"plan_header" yaml:"plan_header"`
	// CostHeader is the request header with which a client asks for its
	// operation's estimated and actual cost in the response's extensions;
	// empty never shows it.
	CostHeader string `koanf:"cost_header" yaml:"cost_header"`
	// TimingsScope is the scope a client's token must carry to see the
	// timings of its subgraph fetches (extensions.timings), asked for with
	// the plan header (value "true") or extensions.timings: true. Without
	// plan_header no one sees them; when no auth key set is configured
	// (every client anonymous) whoever asks does. Empty lets any client
	// that asks see them.
	TimingsScope string `koanf:"timings_scope" yaml:"timings_scope"`
	// InitPayloadHeaders maps websocket connection_init payload keys to the
	// request header each stands for, for clients that cannot set headers
	// on a websocket.
	InitPayloadHeaders map[string]string `koanf:"init_payload_headers" yaml:"init_payload_headers"`
	// Introspection answers __schema and __type; off, they are refused
	// (__typename still works).
	Introspection bool `koanf:"introspection" yaml:"introspection"`
	// ExposeSubgraphErrors passes uncoded subgraph error messages to clients.
	ExposeSubgraphErrors bool `koanf:"expose_subgraph_errors" yaml:"expose_subgraph_errors"`
	// MaxRequestBytes bounds a client request body.
	MaxRequestBytes int64 `koanf:"max_request_bytes" yaml:"max_request_bytes"`
	// FetchTimeout bounds one subgraph fetch.
	FetchTimeout time.Duration `koanf:"fetch_timeout" yaml:"fetch_timeout"`
	// AuthToken is the secret the router sends to subgraphs in
	// X-Cinegraph-Router-Token and subgraphs require before they believe
	// the identity headers beside it. `serve` makes one up when it is
	// empty; a router and subgraphs in separate processes need the same.
	AuthToken string `koanf:"auth_token" yaml:"auth_token"`
	// Resilience guards every subgraph fetch (resilience.go).
	Resilience Resilience `koanf:"resilience" yaml:"resilience"`
	// Limits bound the work of one request (limits.go).
	Limits Limits `koanf:"limits" yaml:"limits"`
	// CORS lets web apps served from other origins call the router.
	CORS CORS `koanf:"cors" yaml:"cors"`
	// CSRF refuses requests that pages on other origins could have forged.
	CSRF CSRF `koanf:"csrf" yaml:"csrf"`
	// RateLimit limits requests per client and operation (ratelimit.go).
	RateLimit RateLimit `koanf:"rate_limit" yaml:"rate_limit"`
	// PersistedQueries configures APQ, trusted documents and the safelist
	// (persisted.go).
	PersistedQueries PersistedQueries `koanf:"persisted_queries" yaml:"persisted_queries"`
	// Discovery finds several instances per subgraph and balances fetches
	// over them (discovery.go).
	Discovery Discovery `koanf:"discovery" yaml:"discovery"`
	// Subscriptions configures resuming lost upstream subscriptions
	// (subscriptions.go).
	Subscriptions Subscriptions `koanf:"subscriptions" yaml:"subscriptions"`
	// SubgraphExtensions names the subgraph response extensions passed on
	// to clients: degraded lists the fallbacks that answered.
	SubgraphExtensions []string `koanf:"subgraph_extensions" yaml:"subgraph_extensions"`
	// Dedupe shares identical subgraph queries in flight (dedupe.go).
	Dedupe Dedupe `koanf:"dedupe" yaml:"dedupe"`
	// Compression compresses responses to clients and, when asked,
	// subgraph traffic (compression.go).
	Compression Compression `koanf:"compression" yaml:"compression"`
}

// Admin configures the read-only admin listener of `serve` and `router`:
// the effective configuration (secrets masked), each subgraph instance's
// health and circuit breakers, readiness. It shows operators what the
// process is doing and changes nothing; keep it off the public network.
type Admin struct {
	// Listen is the admin listener's address; empty means none.
	Listen string `koanf:"listen" yaml:"listen"`
	// Pprof serves Go's profiles at /debug/pprof/ on the admin listener.
	Pprof bool `koanf:"pprof" yaml:"pprof"`
}

// Subgraph configures `cinegraph subgraph <name>`.
type Subgraph struct {
	// Listen maps a subgraph name to the address it listens on alone.
	Listen map[string]string `koanf:"listen" yaml:"listen"`
}

// Frontend configures the web app served by `serve`.
type Frontend struct {
	// Dir is the built app (frontend/dist); missing means no app is served.
	Dir string `koanf:"dir" yaml:"dir"`
	// Playground serves the GraphQL playground at /playground.
	Playground bool `koanf:"playground" yaml:"playground"`
}

// Default returns the configuration used when nothing overrides it.
func Default() Config {
	return Config{
		Profile: ProfileDemo,
		Listen:  "127.0.0.1:4000",
		DataDir: ".data",
		Log:     Log{Level: "info", Format: "text"},
		Storage: Storage{
			Mode: "embedded",
			// The addresses deploy/local starts the engines on.
			Postgres: Postgres{DSN: "postgres://cinegraph:cinegraph@127.0.0.1:55432/cinegraph?sslmode=disable", MaxConns: 16},
			Cassandra: Cassandra{
				Hosts: []string{"127.0.0.1:59042"}, Keyspace: "cinegraph", Consistency: "LOCAL_QUORUM",
				ReplicationFactor: 1, Timeout: 5 * time.Second, Retries: 3,
			},
			Redis:         Redis{Addr: "127.0.0.1:56379", CacheTTL: 5 * time.Minute},
			Elasticsearch: Elasticsearch{Addresses: []string{"http://127.0.0.1:59200"}, Index: "cinegraph-titles"},
			Kafka:         Kafka{Brokers: []string{"127.0.0.1:59092"}, Partitions: 6, ReplicationFactor: 1, ClientID: "cinegraph"},
			SQLite:        defaultSQLite(),
		},
		Events: defaultEvents(),
		Router: Router{
			SubgraphURLs: map[string]string{},
			// Identity reaches subgraphs from the verified token, never
			// from the client's own headers.
			ForwardHeaders: []string{"X-Request-Id"},
			// Any client may ask for its query plan, for debugging.
			PlanHeader: "X-Cinegraph-Plan",
			CostHeader: "X-Cinegraph-Cost",
			// The scope demo tokens carry when asked for an admin's
			// (internal/viewer.AdminScope).
			TimingsScope:  "admin",
			Introspection: true,
			// connection_init payload keys become headers as they are
			// (Authorization included); no key needs mapping by default.
			InitPayloadHeaders: map[string]string{},
			MaxRequestBytes:    1 << 20,
			FetchTimeout:       10 * time.Second,
			Resilience:         defaultResilience(),
			Limits:             defaultLimits(),
			CORS:               defaultCORS(),
			CSRF:               defaultCSRF(),
			RateLimit:          defaultRateLimit(),
			PersistedQueries:   defaultPersistedQueries(),
			Discovery:          defaultDiscovery(),
			Subscriptions:      defaultSubscriptions(),
			SubgraphExtensions: []string{"degraded"},
			Dedupe:             defaultDedupe(),
			Compression:        defaultCompression(),
		},
		Subgraph: Subgraph{Listen: map[string]string{
			"catalog":  "127.0.0.1:4001",
			"video":    "127.0.0.1:4002",
			"chat":     "127.0.0.1:4003",
			"insights": "127.0.0.1:4004",
		}},
		Auth:            defaultAuth(),
		Frontend:        Frontend{Dir: "frontend/dist", Playground: true},
		Metrics:         defaultMetrics(),
		Server:          defaultServer(),
		Tracing:         defaultTracing(),
		ML:              defaultML(),
		ShutdownTimeout: 15 * time.Second,
	}
}

// FileEnv names the configuration file when --config does not; Load
// leaves it out of the settings.
const FileEnv = EnvPrefix + "CONFIG"

// Load builds the configuration from defaults, the YAML file at path (if
// path is not empty) and the environment, then validates it.
func Load(path string, environ []string) (Config, error) {
	k := koanf.New(".")
	if err := k.Load(defaults{}, nil); err != nil {
		return Config{}, fmt.Errorf("config defaults: %w", err)
	}
	var problems []error
	explicit := map[string]bool{}
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return Config{}, fmt.Errorf("config file: %w", err)
		}
		fk := koanf.New(".")
		if err := fk.Load(file.Provider(path), yaml.Parser()); err != nil {
			return Config{}, fmt.Errorf("config file %s: %w", path, err)
		}
		for _, key := range fk.Keys() {
			if !knownKey(key) {
				problems = append(problems, fmt.Errorf("%s: no such setting (in %s)", key, path))
				continue
			}
			explicit[key] = true
		}
		if err := k.Merge(fk); err != nil {
			return Config{}, fmt.Errorf("config file %s: %w", path, err)
		}
	}
	keys := envKeys(k)
	var unknown []string
	err := k.Load(env.Provider(".", env.Opt{
		Prefix:      EnvPrefix,
		EnvironFunc: func() []string { return environ },
		TransformFunc: func(name, value string) (string, any) {
			if name == FileEnv {
				// Names the file itself, not a setting in it.
				return "", nil
			}
			key, ok := keys[name]
			if !ok {
				key, ok = structMapEntryKey(name)
			}
			if !ok {
				key, ok = mapEntryKey(k, name)
			}
			if !ok {
				unknown = append(unknown, name)
				return "", nil
			}
			explicit[key] = true
			if slices.Contains(sliceKeys, key) {
				return key, splitList(value)
			}
			for _, m := range listMapKeys {
				if strings.HasPrefix(key, m+".") {
					return key, splitList(value)
				}
			}
			return key, value
		},
	}), nil)
	if err != nil {
		return Config{}, fmt.Errorf("config environment: %w", err)
	}
	var cfg Config
	decodeErr := k.UnmarshalWithConf("", &cfg, koanf.UnmarshalConf{Tag: "koanf"})
	badTypes := typeProblems(decodeErr, k.Get)
	applyProfile(&cfg, explicit)
	for _, p := range cfg.problems() {
		// A setting that did not decode is left zero; its type error
		// says more than the zero value's.
		if !badTypes.covers(p) {
			problems = append(problems, p)
		}
	}
	problems = append(problems, badTypes...)
	for _, name := range unknown {
		problems = append(problems, fmt.Errorf("environment variable %s names no setting", name))
	}
	if len(problems) > 0 {
		return Config{}, &Invalid{Problems: problems}
	}
	return cfg, nil
}

// defaults provides Default() to koanf with its maps as map[string]any:
// koanf merges a later layer into a map entry by entry only then, so that
// CINEGRAPH_SUBGRAPH_LISTEN_CATALOG changes one default address instead of
// replacing all four.
type defaults struct{}

func (defaults) ReadBytes() ([]byte, error) {
	return nil, errors.New("config defaults are not bytes")
}

func (defaults) Read() (map[string]any, error) {
	raw, err := structs.Provider(Default(), "koanf").Read()
	if err != nil {
		return nil, err
	}
	return anyMaps(raw).(map[string]any), nil
}

func anyMaps(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = anyMaps(x)
		}
		return v
	case map[string]string:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = x
		}
		return out
	case map[string][]string:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = x
		}
		return out
	}
	return v
}

// sliceKeys are the list settings; their environment values are comma lists.
var sliceKeys = []string{"router.forward_headers", "router.subgraph_extensions", "router.dedupe.ignore_headers", "router.compression.algorithms", "router.resilience.required", "storage.cassandra.hosts", "storage.elasticsearch.addresses", "storage.kafka.brokers",
	"router.cors.allowed_origins", "router.cors.allowed_headers", "router.csrf.required_headers",
	"auth.jwks_files", "auth.jwks_urls", "auth.oidc_issuers", "auth.issuers", "auth.audiences", "auth.web.scopes",
	"router.discovery.etcd.endpoints", "tracing.fields", "ml.detector.labels"}

// mapKeys are the map settings; CINEGRAPH_ROUTER_SUBGRAPH_URLS_CATALOG sets
// router.subgraph_urls.catalog.
var mapKeys = []string{"router.subgraph_urls", "router.init_payload_headers", "subgraph.listen",
	"router.discovery.subgraph_instances", "router.discovery.dns.names"}

// listMapKeys are the map settings whose entries are lists; their
// environment values are comma lists.
var listMapKeys = []string{"router.discovery.subgraph_instances"}

func envName(key string) string {
	return EnvPrefix + strings.ToUpper(strings.NewReplacer(".", "_").Replace(key))
}

// envKeys maps each scalar setting's environment name to its key.
func envKeys(k *koanf.Koanf) map[string]string {
	out := map[string]string{}
	for _, key := range k.Keys() {
		if isMapEntry(key) {
			continue
		}
		out[envName(key)] = key
	}
	for _, key := range sliceKeys {
		out[envName(key)] = key
	}
	return out
}

func isMapEntry(key string) bool {
	for _, m := range mapKeys {
		if strings.HasPrefix(key, m+".") {
			return true
		}
	}
	return false
}

func mapEntryKey(k *koanf.Koanf, name string) (string, bool) {
	for _, m := range mapKeys {
		prefix := envName(m) + "_"
		if strings.HasPrefix(name, prefix) && len(name) > len(prefix) {
			return m + "." + strings.ToLower(strings.TrimPrefix(name, prefix)), true
		}
	}
	return "", false
}

func splitList(v string) []string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// Invalid lists every problem found in a configuration.
type Invalid struct {
	Problems []error
}

func (e *Invalid) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid configuration (%d problems):", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.Error())
	}
	return b.String()
}

func (e *Invalid) Unwrap() []error { return e.Problems }

// Validate reports every problem with c at once.
func (c Config) Validate() error {
	if p := c.problems(); len(p) > 0 {
		return &Invalid{Problems: p}
	}
	return nil
}

func (c Config) problems() []error {
	var out []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			out = append(out, fmt.Errorf(format, args...))
		}
	}
	check(slices.Contains([]string{ProfileDemo, ProfileProduction}, c.Profile), "profile: %q is not one of demo, production", c.Profile)
	check(validAddr(c.Listen), "listen: %q is not a host:port address", c.Listen)
	check(c.DataDir != "", "data_dir: must not be empty")
	c.Auth.problems(c.Profile, check)
	check(c.Admin.Listen == "" || validAddr(c.Admin.Listen), "admin.listen: %q is not a host:port address", c.Admin.Listen)
	check(slices.Contains([]string{"debug", "info", "warn", "error"}, c.Log.Level), "log.level: %q is not one of debug, info, warn, error", c.Log.Level)
	check(slices.Contains([]string{"text", "json"}, c.Log.Format), "log.format: %q is not one of text, json", c.Log.Format)
	check(!strings.ContainsFunc(c.Router.TimingsScope, unicode.IsSpace), "router.timings_scope: %q is not one scope (scopes are space-separated in tokens)", c.Router.TimingsScope)
	check(!c.Log.Access || c.Log.Level == "info" || c.Log.Level == "debug", "log.access: access lines are written at info level, which log.level %q drops; set log.level to info or debug", c.Log.Level)
	check(slices.Contains([]string{"embedded", "cluster"}, c.Storage.Mode), "storage.mode: %q is not one of embedded, cluster", c.Storage.Mode)
	c.Storage.SQLite.problems(check)
	c.Events.problems(check)
	c.ML.problems(check)
	if c.Storage.Mode == "cluster" {
		st := c.Storage
		check(st.Postgres.DSN != "", "storage.postgres.dsn: required in cluster mode")
		check(st.Postgres.MaxConns > 0, "storage.postgres.max_conns: must be positive, got %d", st.Postgres.MaxConns)
		check(len(st.Cassandra.Hosts) > 0, "storage.cassandra.hosts: required in cluster mode")
		check(st.Cassandra.Keyspace != "", "storage.cassandra.keyspace: required in cluster mode")
		check(slices.Contains([]string{"ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE"}, st.Cassandra.Consistency),
			"storage.cassandra.consistency: %q is not a Cassandra consistency level", st.Cassandra.Consistency)
		check(st.Cassandra.ReplicationFactor > 0, "storage.cassandra.replication_factor: must be positive")
		check(st.Redis.Addr != "", "storage.redis.addr: required in cluster mode")
		check(len(st.Elasticsearch.Addresses) > 0, "storage.elasticsearch.addresses: required in cluster mode")
		check(st.Elasticsearch.Index != "", "storage.elasticsearch.index: required in cluster mode")
		check(len(st.Kafka.Brokers) > 0, "storage.kafka.brokers: required in cluster mode")
		check(st.Kafka.Partitions > 0, "storage.kafka.partitions: must be positive")
	}
	check(c.Router.MaxRequestBytes > 0, "router.max_request_bytes: must be positive, got %d", c.Router.MaxRequestBytes)
	check(c.Router.FetchTimeout > 0, "router.fetch_timeout: must be positive, got %s", c.Router.FetchTimeout)
	check(c.ShutdownTimeout > 0, "shutdown_timeout: must be positive, got %s", c.ShutdownTimeout)
	c.Router.Resilience.problems(check)
	c.Router.Limits.problems(check)
	for _, name := range sortedKeys(c.Router.SubgraphURLs) {
		u := c.Router.SubgraphURLs[name]
		check(strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://"), "router.subgraph_urls.%s: %q is not an http(s) URL", name, u)
	}
	for _, h := range c.Router.ForwardHeaders {
		check(validHeaderName(h), "router.forward_headers: %q is not a header name", h)
	}
	check(c.Router.PlanHeader == "" || validHeaderName(c.Router.PlanHeader), "router.plan_header: %q is not a header name", c.Router.PlanHeader)
	check(c.Router.CostHeader == "" || validHeaderName(c.Router.CostHeader), "router.cost_header: %q is not a header name", c.Router.CostHeader)
	for _, key := range sortedKeys(c.Router.InitPayloadHeaders) {
		h := c.Router.InitPayloadHeaders[key]
		check(validHeaderName(h), "router.init_payload_headers.%s: %q is not a header name", key, h)
	}
	c.Server.problems(check)
	c.Metrics.problems(check)
	c.Tracing.problems(check)
	check(c.Server.WriteTimeout > c.Router.Limits.RequestTimeout,
		"server.write_timeout: %s must exceed router.limits.request_timeout (%s), or slow requests are cut before their own error", c.Server.WriteTimeout, c.Router.Limits.RequestTimeout)
	c.Router.CORS.problems(check)
	c.Router.CSRF.problems(check)
	c.Router.Subscriptions.problems(check)
	c.Router.Dedupe.problems(check)
	c.Router.Compression.problems(check)
	c.Router.RateLimit.problems(check)
	c.Router.PersistedQueries.problems(check)
	c.Router.Discovery.problems(check)
	for _, name := range sortedKeys(c.Subgraph.Listen) {
		check(slices.Contains(Subgraphs, name), "subgraph.listen.%s: no such subgraph (have %s)", name, strings.Join(Subgraphs, ", "))
		check(validAddr(c.Subgraph.Listen[name]), "subgraph.listen.%s: %q is not a host:port address", name, c.Subgraph.Listen[name])
	}
	return out
}

// maskDSN hides the password of a postgres:// URL or a key=value DSN.
func maskDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "********")
			return strings.Replace(u.String(), "%2A%2A%2A%2A%2A%2A%2A%2A", "********", 1)
		}
		return dsn
	}
	fields := strings.Fields(dsn)
	for i, f := range fields {
		if strings.HasPrefix(f, "password=") {
			fields[i] = "password=********"
		}
	}
	return strings.Join(fields, " ")
}

func validAddr(addr string) bool {
	_, port, err := net.SplitHostPort(addr)
	return err == nil && port != ""
}

// validHeaderName reports whether s is an HTTP field name (an RFC 9110 token).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		isAlnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !isAlnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Masked is the YAML of c with secrets replaced, for `cinegraph config`
// and start-up logs.
func (c Config) Masked() ([]byte, error) {
	masked := c
	mask := func(s *string) {
		if *s != "" {
			*s = "********"
		}
	}
	mask(&masked.Router.AuthToken)
	mask(&masked.Storage.Cassandra.Password)
	mask(&masked.Storage.Redis.Password)
	mask(&masked.Storage.Elasticsearch.Password)
	masked.Storage.Postgres.DSN = maskDSN(masked.Storage.Postgres.DSN)
	out, err := yamlv3.Marshal(masked)
	if err != nil {
		return nil, errors.Join(errors.New("encode config"), err)
	}
	return out, nil
}
