// Where the GraphQL endpoint lives: same origin, HTTP and websocket at /graphql.

export const GRAPHQL_PATH = "/graphql";

/** Same-origin websocket URL of the GraphQL endpoint. */
export function defaultWsUrl(location: Pick<Location, "protocol" | "host"> = window.location): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}${GRAPHQL_PATH}`;
}
