// @vitest-environment node
// Validates every operation against the composed API schema: the checked-in
// supergraph with @inaccessible fields removed, as clients see it. A schema
// change that breaks the app's documents fails here.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildASTSchema, parse, validate, visit, type DocumentNode } from "graphql";
import { describe, expect, it } from "vitest";
import { defaultHeaders, defaultQuery } from "../../playground/config";
import * as operations from "./operations";

const SUPERGRAPH = fileURLToPath(new URL("../../../schema/supergraph.graphql", import.meta.url));

function apiSchema() {
  const ast = parse(readFileSync(SUPERGRAPH, "utf8"));
  const stripped = visit(ast, {
    FieldDefinition(node) {
      return node.directives?.some((d) => d.name.value === "inaccessible") ? null : undefined;
    },
  });
  return buildASTSchema(stripped, { assumeValidSDL: true });
}

const documents = Object.entries(operations).filter(
  (entry): entry is [string, DocumentNode] =>
    typeof entry[1] === "object" && entry[1] !== null && (entry[1] as DocumentNode).kind === "Document",
);

describe("operations against the supergraph API schema", () => {
  const schema = apiSchema();

  it("finds the documents", () => {
    expect(documents.length).toBeGreaterThanOrEqual(13);
  });

  for (const [name, doc] of documents) {
    it(`${name} is valid`, () => {
      expect(validate(schema, doc).map((e) => e.message)).toEqual([]);
    });
  }

  it("the playground's example query is valid and its headers name the profile", () => {
    expect(validate(schema, parse(defaultQuery("profile-3"))).map((e) => e.message)).toEqual([]);
    expect(JSON.parse(defaultHeaders("profile-3"))).toEqual({ "X-Cinegraph-Profile": "profile-3" });
  });

  it("rejects an @inaccessible field", () => {
    const doc = parse("query { title(id: \"t1\") { id searchBoost } }");
    expect(validate(schema, doc).map((e) => e.message)).toEqual([
      'Cannot query field "searchBoost" on type "Title".',
    ]);
  });
});
