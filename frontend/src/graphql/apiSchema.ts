import { buildASTSchema, Kind, parse, visit, type ASTNode, type GraphQLSchema } from "graphql";

// Federation machinery the router strips: join/link types and directives,
// @inaccessible itself, and the access control specs' directives and
// scalars (@requiresScopes and requiresScopes__Scope, @policy and
// policy__Policy), which clients never write.
const MACHINERY = /^(join__|link__|link$|inaccessible$|requiresScopes__|requiresScopes$|policy__|policy$)/;

const isInaccessible = (node: ASTNode) =>
  "directives" in node && node.directives?.some((d) => d.name.value === "inaccessible");

const isMachinery = (node: ASTNode) => {
  switch (node.kind) {
    case Kind.DIRECTIVE:
    case Kind.DIRECTIVE_DEFINITION:
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      return MACHINERY.test(node.name.value);
    default:
      return false;
  }
};

/**
 * Builds the schema clients see from the composed supergraph SDL, as the
 * router serves it: federation machinery and @inaccessible elements removed.
 * Codegen types the operations against it and the tests validate them with it.
 */
export function apiSchema(supergraphSDL: string): GraphQLSchema {
  const stripped = visit(parse(supergraphSDL), {
    enter: (node) => (isMachinery(node) || isInaccessible(node) ? null : undefined),
  });
  return buildASTSchema(stripped, { assumeValidSDL: true });
}
