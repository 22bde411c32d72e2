import { PROFILE_HEADER } from "../src/profile/profileStore";

/** The example the playground opens with. */
export function defaultQuery(profile: string): string {
  return `# Cinegraph playground: requests go to /graphql as ${profile}
# (edit the X-Cinegraph-Profile header below to act as another profile).
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

/** The request headers editor's initial JSON: the chosen profile. */
export function defaultHeaders(profile: string): string {
  return JSON.stringify({ [PROFILE_HEADER]: profile }, null, 2);
}
