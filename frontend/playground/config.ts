/** A user signed in at the OpenID Connect provider (in this browser tab). */
export interface ProviderUser {
  /** How the app's menu names them (name and email). */
  label: string;
  /** The provider's host. */
  provider: string;
}

/**
 * The example query the playground opens with, its comment saying who the
 * requests act as: the provider's user when given (and signed in), else the
 * demo profile.
 */
export function defaultQuery(profile: string, signedIn: boolean, user?: ProviderUser | null): string {
  const who = signedIn && user
    ? `# Cinegraph playground: requests go to /graphql as ${user.label}, signed in at
# ${user.provider}. The Authorization header below carries the provider's access
# token; use the app's "Signed in as" menu to sign out or act as someone else.`
    : signedIn
    ? `# Cinegraph playground: requests go to /graphql as ${profile}. The Authorization
# header below carries a demo token for ${profile} (from POST /auth/demo-token);
# pick another profile in the app's "Signed in as" menu to act as it.`
    : `# Cinegraph playground: ${user ? `the sign-in of ${user.label} at ${user.provider}
# has expired` : `no demo token could be fetched for ${profile}`}, so
# requests go to /graphql anonymously: public fields answer, viewer fields
# fail with UNAUTHENTICATED. Add an "Authorization": "Bearer <token>" header
# below to sign in.`;
  return `${who}
query Home {
  viewer {
    name
    myList { name releaseYear }
    continueWatching(first: 3) { progress video { name title { name } } }
    recommendations(first: 3) { reason title { name } }
  }
}
`;
}

/** The request headers editor's initial JSON: the bearer token, or none (anonymous). */
export function defaultHeaders(token: string | null): string {
  return JSON.stringify(token ? { Authorization: `Bearer ${token}` } : {}, null, 2);
}
