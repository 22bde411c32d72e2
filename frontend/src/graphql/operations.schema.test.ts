// @vitest-environment node
// Validates every generated operation document against the composed API
// schema: the checked-in supergraph with federation machinery and
// @inaccessible elements removed, as clients see it. A schema change that
// breaks the app's documents fails here (and in `npm run codegen`).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Kind, parse, validate, type DocumentNode } from "graphql";
import { describe, expect, it } from "vitest";
import { defaultHeaders, defaultQuery } from "../../playground/config";
import * as generated from "../gql/graphql";
import { apiSchema } from "./apiSchema";

const SUPERGRAPH = fileURLToPath(new URL("../../../schema/supergraph.graphql", import.meta.url));

const isDocument = (value: unknown): value is DocumentNode =>
  typeof value === "object" && value !== null && (value as DocumentNode).kind === Kind.DOCUMENT;

// Fragment documents alone fail NoUnusedFragments; they are checked through
// the operations that spread them.
const operations = Object.entries(generated).filter(
  (entry): entry is [string, DocumentNode] =>
    isDocument(entry[1]) && entry[1].definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION),
);

describe("operations against the supergraph API schema", () => {
  const schema = apiSchema(readFileSync(SUPERGRAPH, "utf8"));

  it("finds the documents", () => {
    expect(operations.length).toBeGreaterThanOrEqual(16);
  });

  for (const [name, doc] of operations) {
    it(`${name} is valid`, () => {
      expect(validate(schema, doc).map((e) => e.message)).toEqual([]);
    });
  }

  const ada = { label: "Ada (ada@example.com)", provider: "id.example.com" };
  it.each([
    ["signed in", true, null, /Authorization\s+# header below carries a demo token for profile-3/],
    ["anonymous", false, null, /no demo token could be fetched for profile-3.*\n.*anonymously/],
    ["signed in at the provider", true, ada, /as Ada \(ada@example.com\), signed in at\s+# id\.example\.com\. The Authorization header below carries the provider's access/],
    ["no token for the provider's user", false, ada, /sign-in of Ada \(ada@example.com\) at id\.example\.com\n# has expired, so\n.*anonymously/],
  ])("the playground's example query is valid and its comment says who it acts as (%s)", (_, signedIn, user, comment) => {
    const query = defaultQuery("profile-3", signedIn, user);
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
    expect(query).toMatch(comment);
  });

  it.each([
    ["a token", "tok-3", { Authorization: "Bearer tok-3" }],
    ["no token", null, {}],
  ])("the playground's headers carry the bearer token (%s)", (_, token, want) => {
    expect(JSON.parse(defaultHeaders(token))).toEqual(want);
  });

  it("rejects an @inaccessible field", () => {
    const doc = parse("query { title(id: \"t1\") { id searchBoost } }");
    expect(validate(schema, doc).map((e) => e.message)).toEqual([
      'Cannot query field "searchBoost" on type "Title".',
    ]);
  });

  it("hides the federation machinery", () => {
    const names = Object.keys(schema.getTypeMap()).filter((n) => /^(join|link)__/.test(n));
    expect(names).toEqual([]);
    expect(schema.getDirective("join__field")).toBeUndefined();
    expect(schema.getDirective("inaccessible")).toBeUndefined();
  });
});
