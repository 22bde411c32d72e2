// @vitest-environment node
import type { GraphQLEnumType, GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { apiSchema } from "./apiSchema";

const SUPERGRAPH = `
schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) {
  query: Query
}
directive @inaccessible on FIELD_DEFINITION | OBJECT | ENUM_VALUE | ARGUMENT_DEFINITION
directive @join__type(graph: join__Graph!, key: join__FieldSet) repeatable on OBJECT
directive @join__field(graph: join__Graph) repeatable on FIELD_DEFINITION
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
scalar join__FieldSet
scalar link__Import
enum join__Graph { CATALOG }
enum link__Purpose { SECURITY EXECUTION }

type Query @join__type(graph: CATALOG) {
  title(id: ID!, boost: Float @inaccessible): Title @join__field(graph: CATALOG)
  secret: Secret @inaccessible
}
type Title @join__type(graph: CATALOG, key: "id") {
  id: ID!
  name: String!
  oldName: String @deprecated(reason: "use name")
  searchBoost: Float! @inaccessible
  kind: Kind!
}
type Secret @inaccessible { id: ID! }
enum Kind { MOVIE SERIES DRAFT @inaccessible }
`;

describe("apiSchema", () => {
  const schema = apiSchema(SUPERGRAPH);
  const title = schema.getQueryType()!.getFields().title;
  const titleType = schema.getType("Title") as GraphQLObjectType;

  const cases: { name: string; got: () => unknown; want: unknown }[] = [
    {
      name: "drops machinery types",
      got: () => Object.keys(schema.getTypeMap()).filter((n) => /^(join|link)__/.test(n)),
      want: [],
    },
    {
      name: "drops machinery directives",
      got: () => ["join__type", "join__field", "link", "inaccessible"].filter((d) => schema.getDirective(d)),
      want: [],
    },
    { name: "drops @inaccessible fields", got: () => Object.keys(titleType.getFields()), want: ["id", "name", "oldName", "kind"] },
    { name: "drops @inaccessible arguments", got: () => title.args.map((a) => a.name), want: ["id"] },
    { name: "drops @inaccessible types", got: () => schema.getType("Secret"), want: undefined },
    {
      name: "drops @inaccessible enum values",
      got: () => (schema.getType("Kind") as GraphQLEnumType).getValues().map((v) => v.name),
      want: ["MOVIE", "SERIES"],
    },
    { name: "keeps @deprecated", got: () => titleType.getFields().oldName.deprecationReason, want: "use name" },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(c.got()).toEqual(c.want);
    });
  }
});
