package fetch

import "fmt"

// Reason says why a fetch was refused or cut short before the subgraph
// answered; clients see it as extensions.reason next to the UNAVAILABLE
// code, so they can tell a subgraph that is cut off from one that is slow.
type Reason string

// The reasons a Middleware guarding an instance gives.
const (
	// CircuitOpen: the instance failed too often lately, so fetches are
	// refused at once until a probe succeeds.
	CircuitOpen Reason = "CIRCUIT_OPEN"
	// Timeout: the subgraph did not answer within the fetch timeout.
	Timeout Reason = "TIMEOUT"
	// BulkheadFull: too many fetches to the instance were in flight and
	// none finished within the queue wait.
	BulkheadFull Reason = "BULKHEAD_FULL"
	// NoInstances: the subgraph has no instance registered to send to
	// (router/discovery).
	NoInstances Reason = "NO_INSTANCES"
)

// Error is a fetch a Middleware refused or cut short. The executor finds it
// with errors.As to tell the client why the subgraph is unavailable.
type Error struct {
	Subgraph string
	Reason   Reason
	Err      error
}

func (e *Error) Error() string {
	return fmt.Sprintf("fetch from %s: %s: %v", e.Subgraph, e.Reason, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// StatusError is a subgraph answer that was not GraphQL, with an HTTP
// status other than 2xx: the status says what went wrong.
type StatusError struct {
	Subgraph string
	Status   int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s answered HTTP %d", e.Subgraph, e.Status)
}
