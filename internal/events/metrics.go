package events

import (
	"github.com/prometheus/client_golang/prometheus"
)

// The event pipeline's gauges. The buses' consumers and the outbox relays
// of a process set them wherever they run, without a registry to carry
// around (they are opened far from the composition root); the process's
// registry takes them in through Collectors, like the subgraph servers'
// metrics. Setting a gauge is an atomic store, so it costs nothing worth
// counting whether or not metrics are served.
var (
	outboxBacklog = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "cinegraph", Subsystem: "outbox", Name: "backlog",
		Help: "Events committed to a subgraph's outbox and not yet published to the bus, as of the relay's last pass (at least one batch when more wait and the store cannot count them); by outbox.",
	}, []string{"outbox"})
	consumerLag = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "cinegraph", Subsystem: "events", Name: "consumer_lag",
		Help: "Events of a topic published and not yet processed by a consumer group in this process, as of its last commit (for Kafka, summed over the partitions this member reads); by topic and group.",
	}, []string{"topic", "group"})
)

// Collectors are the event pipeline's metrics, for the process's registry:
// cinegraph_outbox_backlog and cinegraph_events_consumer_lag.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{outboxBacklog, consumerLag}
}

// OutboxBacklog is the backlog gauge of the outbox called name.
func OutboxBacklog(name string) prometheus.Gauge { return outboxBacklog.WithLabelValues(name) }

// ConsumerLag is the lag gauge of group consuming topic.
func ConsumerLag(topic, group string) prometheus.Gauge {
	return consumerLag.WithLabelValues(topic, group)
}
