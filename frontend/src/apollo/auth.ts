/**
 * Bearer tokens on the client's traffic: an `Authorization` header on every
 * HTTP request and the same in the websocket's connection_init payload.
 * A token the server rejects (HTTP 401 or UNAUTHENTICATED; on the socket,
 * close code 4403) is dropped, and an HTTP operation that sent one is tried
 * once more with a fresh token. When no token can be had the request goes
 * anonymously: public fields still answer and viewer fields say
 * UNAUTHENTICATED.
 */
import { ApolloLink, type ErrorLike } from "@apollo/client";
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import { SetContextLink } from "@apollo/client/link/context";
import { ErrorLink } from "@apollo/client/link/error";
import { NotSignedInError, type TokenSource } from "../auth/tokenSource";

/** The close code the router rejects a websocket's token with. */
const WS_FORBIDDEN = 4403;

/** `Bearer <token>`, or null (anonymous) when no token can be had. */
async function bearer(tokens: TokenSource): Promise<string | null> {
  try {
    return `Bearer ${await tokens.getToken()}`;
  } catch (err) {
    // Nobody signed in is no news; a token that could not be had is.
    if (!(err instanceof NotSignedInError)) console.warn("Cinegraph: no token, continuing anonymously:", err);
    return null;
  }
}

/**
 * Sets the Authorization header per operation, ahead of the persisted-query
 * link so that its hash-only GET and its follow-up POST both carry it.
 */
export function authLink(tokens: TokenSource): ApolloLink {
  const rejected = ({ error, operation }: ErrorLink.ErrorHandlerOptions) =>
    Boolean(operation.getContext().headers?.Authorization) && isUnauthenticated(error);
  // Apollo does not hand a retried operation's errors back to the ErrorLink
  // that retried it, so this retries once.
  const retryOnce = new ErrorLink((options) => (rejected(options) ? options.forward(options.operation) : undefined));
  const dropRejected = new ErrorLink((options) => {
    if (rejected(options)) tokens.drop();
  });
  const setHeader = new SetContextLink(async ({ headers }) => {
    const { Authorization: _previous, ...rest } = headers ?? {};
    const authorization = await bearer(tokens);
    return { headers: authorization ? { ...rest, Authorization: authorization } : rest };
  });
  return ApolloLink.from([retryOnce, dropRejected, setHeader]);
}

/** The connection_init payload: `{ Authorization: "Bearer …" }`, or empty. */
export async function connectionParams(tokens: TokenSource): Promise<Record<string, string>> {
  const authorization = await bearer(tokens);
  return authorization ? { Authorization: authorization } : {};
}

/** Whether a socket's close event is the router rejecting its token. */
export function closedForToken(event: unknown): boolean {
  return typeof event === "object" && event !== null && (event as { code?: unknown }).code === WS_FORBIDDEN;
}

function isUnauthenticated(error: ErrorLike): boolean {
  if (ServerError.is(error)) return error.statusCode === 401;
  return CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED");
}
