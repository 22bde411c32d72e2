import { ApolloLink, DocumentTransform } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { sortTopLevelDefinitions } from "@apollo/persisted-query-lists";

/**
 * Puts a document's operation and fragments in the order the persisted
 * query manifest generator prints them, so that the document the client
 * sends, its APQ hash and the manifest's id for it all agree: a router with
 * the manifest (or its safelist) then knows every operation of the app.
 */
export const manifestOrder = new DocumentTransform(sortTopLevelDefinitions);

/**
 * The lower-case hex SHA-256 of a document, the hash automatic persisted
 * queries name it by. Web Crypto is async and only exists in secure contexts
 * (https, localhost); elsewhere persistedQueriesLink returns null.
 */
export async function sha256(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Automatic persisted queries over HTTP: each operation goes first as its
 * hash alone, queries as GET so that a CDN can cache them, and the router
 * asks for the document (PERSISTED_QUERY_NOT_FOUND) only the first time it
 * sees the hash. With manifestOrder as the client's document transform,
 * the hash is also the id of the operation's entry in
 * persisted-query-manifest.json.
 * Null when the page cannot hash (no Web Crypto outside secure contexts).
 */
export function persistedQueriesLink(): ApolloLink | null {
  if (!globalThis.crypto?.subtle) {
    return null;
  }
  return new PersistedQueryLink({ sha256, useGETForHashedQueries: true });
}
