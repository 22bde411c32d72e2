/**
 * Where the Apollo client gets its bearer tokens: demo tokens
 * (demoToken.ts), the OpenID Connect provider's access tokens (oidc.ts), or
 * none at all (anonymous).
 */

export interface TokenSource {
  /** A token that is valid for a while yet; fetched or renewed when needed. */
  getToken(): Promise<string>;
  /** Forgets the token (the server refused it), so that the next getToken does not send it again. */
  drop(): void;
}

/**
 * Nobody is signed in: the request goes anonymously. Expected, so the
 * client does not warn about it on every request.
 */
export class NotSignedInError extends Error {
  override readonly name = "NotSignedInError";
}

/** The token source of a viewer who is not signed in. */
export const ANONYMOUS: TokenSource = {
  getToken: () => Promise.reject(new NotSignedInError("not signed in")),
  drop: () => {},
};
