// @vitest-environment node
// The committed persisted-query manifest (`npm run persisted-manifest`) must
// list exactly the operations the app ships, each with the body Apollo Client
// sends for the generated document: trusted documents match on it.
import { readFileSync } from "node:fs";
import { ApolloClient, ApolloLink, Observable } from "@apollo/client";
import type { PersistedQueryManifest } from "@apollo/generate-persisted-query-manifest";
import { createPersistedQueryManifestVerificationLink } from "@apollo/persisted-query-lists";
import { Kind, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { createCache } from "../apollo/cache";
import * as generated from "../gql/graphql";

const manifest: PersistedQueryManifest = JSON.parse(
  readFileSync(new URL("../../persisted-query-manifest.json", import.meta.url), "utf8"),
);

const operations = Object.values(generated).flatMap((value) => {
  const doc = value as DocumentNode;
  if (typeof value !== "object" || value === null || doc.kind !== Kind.DOCUMENT) return [];
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return op ? [{ doc, name: op.name!.value, type: op.operation }] : [];
});

describe("persisted-query manifest", () => {
  it("is Apollo's format", () => {
    expect(manifest.format).toBe("apollo-persisted-query-manifest");
    expect(manifest.version).toBe(1);
  });

  it("lists every generated operation and nothing else", () => {
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(manifest.operations.map(({ name, type }) => ({ name, type })).sort(byName)).toEqual(
      operations.map(({ name, type }) => ({ name, type })).sort(byName),
    );
  });

  // Each document goes through a client with the app's cache (which adds
  // __typename) and Apollo's verification link, which compares what would be
  // sent with the manifest body.
  for (const { doc, name, type } of operations) {
    it(`${name} matches what Apollo Client sends`, async () => {
      const failures: string[] = [];
      const verify = createPersistedQueryManifestVerificationLink({
        loadManifest: () => manifest,
        onVerificationFailed: ({ reason }) => failures.push(reason),
      });
      const sent: string[] = [];
      const terminal = new ApolloLink((operation) => {
        sent.push(operation.operationName ?? "");
        return new Observable((observer) => {
          observer.next({ data: null });
          observer.complete();
        });
      });
      const client = new ApolloClient({ cache: createCache(), link: ApolloLink.from([verify, terminal]) });
      const variables = {};
      if (type === "query") await client.query({ query: doc, variables, fetchPolicy: "no-cache" }).catch(() => {});
      if (type === "mutation") await client.mutate({ mutation: doc, variables, fetchPolicy: "no-cache" }).catch(() => {});
      if (type === "subscription") {
        await new Promise<void>((resolve) => {
          client.subscribe({ query: doc, variables, fetchPolicy: "no-cache" }).subscribe({ complete: resolve, error: () => resolve() });
        });
      }
      expect(sent).toEqual([name]);
      expect(failures).toEqual([]);
    });
  }
});
