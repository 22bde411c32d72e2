/** The example query the playground opens with, its comment saying who the requests act as. */
export function defaultQuery(profile: string, signedIn: boolean): string {
  const who = signedIn
    ? `# Cinegraph playground: requests go to /graphql as ${profile}. The Authorization
# header below carries a demo token for ${profile} (from POST /auth/demo-token);
# pick another profile in the app's "Signed in as" menu to act as it.`
    : `# Cinegraph playground: no demo token could be fetched for ${profile}, so
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
