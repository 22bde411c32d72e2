// Package validate checks Cinegraph's deployment artefacts without a
// cluster or a container engine: the Helm chart rendered with Helm's own
// engine and decoded strictly into the Kubernetes API types, the compose
// file parsed as Docker Compose parses it, and the Dockerfile parsed with
// BuildKit's parser; then policies every production deployment should hold
// (probes, resources, non-root containers, disruption budgets).
package validate
