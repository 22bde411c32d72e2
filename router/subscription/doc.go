// Package subscription runs federated subscriptions for the router: it opens
// the subscription root field on its owning subgraph over
// graphql-transport-ws, shares one upstream subscription among every client
// that asked for the same operation, completes each event through the rest
// of the query plan once, and fans the result out to bounded per-client
// buffers so a slow client is dropped instead of stalling the others.
package subscription
