package compose

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error codes follow the names Apollo composition uses, so that messages can
// be looked up in Apollo's documentation.
const (
	CodeInvalidSubgraph         = "INVALID_GRAPHQL"
	CodeInvalidSubgraphName     = "INVALID_SUBGRAPH_NAME"
	CodeTypeKindMismatch        = "TYPE_KIND_MISMATCH"
	CodeFieldTypeMismatch       = "FIELD_TYPE_MISMATCH"
	CodeArgumentTypeMismatch    = "FIELD_ARGUMENT_TYPE_MISMATCH"
	CodeArgumentDefault         = "FIELD_ARGUMENT_DEFAULT_MISMATCH"
	CodeRequiredArgMissing      = "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH"
	CodeInvalidFieldSharing     = "INVALID_FIELD_SHARING"
	CodeKeyInvalidFields        = "KEY_INVALID_FIELDS"
	CodeKeyFieldsHasArgs        = "KEY_FIELDS_HAS_ARGS"
	CodeKeyFieldsInvalidType    = "KEY_FIELDS_SELECT_INVALID_TYPE"
	CodeRequiresInvalidFields   = "REQUIRES_INVALID_FIELDS"
	CodeRequiresMissingExt      = "REQUIRES_FIELDS_MISSING_EXTERNAL"
	CodeProvidesInvalidFields   = "PROVIDES_INVALID_FIELDS"
	CodeProvidesMissingExt      = "PROVIDES_FIELDS_MISSING_EXTERNAL"
	CodeProvidesOnNonObject     = "PROVIDES_ON_NON_OBJECT_FIELD"
	CodeExternalUnused          = "EXTERNAL_UNUSED"
	CodeExternalMissingOnBase   = "EXTERNAL_MISSING_ON_BASE"
	CodeExternalTypeMismatch    = "EXTERNAL_TYPE_MISMATCH"
	CodeExternalArgumentMissing = "EXTERNAL_ARGUMENT_MISSING"
	CodeExternalArgumentType    = "EXTERNAL_ARGUMENT_TYPE_MISMATCH"
	CodeExternalArgumentDefault = "EXTERNAL_ARGUMENT_DEFAULT_MISMATCH"
	CodeEnumValueMismatch       = "ENUM_VALUE_MISMATCH"
	CodeEmptyMergedEnum         = "EMPTY_MERGED_ENUM_TYPE"
	CodeRequiredInputField      = "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH"
	CodeEmptyMergedInput        = "EMPTY_MERGED_INPUT_TYPE"
	CodeInputFieldDefault       = "INPUT_FIELD_DEFAULT_MISMATCH"
	CodeRootQueryUsed           = "ROOT_QUERY_USED"
	CodeRootMutationUsed        = "ROOT_MUTATION_USED"
	CodeRootSubscriptionUsed    = "ROOT_SUBSCRIPTION_USED"
	CodeRootTypeKind            = "ROOT_TYPE_NOT_OBJECT"
	CodeNoQueries               = "NO_QUERIES"
	CodeOverrideFromSelf        = "OVERRIDE_FROM_SELF_ERROR"
	CodeOverrideSourceHasOver   = "OVERRIDE_SOURCE_HAS_OVERRIDE"
	CodeOverrideCollision       = "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE"
	CodeOverrideLabelInvalid    = "OVERRIDE_LABEL_INVALID"
	CodeExtensionWithNoBase     = "EXTENSION_WITH_NO_BASE"
	CodeInterfaceFieldNoImplem  = "INTERFACE_FIELD_NO_IMPLEM"
	CodeSatisfiability          = "SATISFIABILITY_ERROR"
	CodeInterfaceObjectUsage    = "INTERFACE_OBJECT_USAGE_ERROR"
	CodeDirectiveComposition    = "DIRECTIVE_COMPOSITION_ERROR"
	CodeUnknownFederationLink   = "UNKNOWN_FEDERATION_LINK_VERSION"
	CodeLinkImportNameMismatch  = "LINK_IMPORT_NAME_MISMATCH"
)

// Error is one composition problem, located by subgraph and schema
// coordinate ("Type" or "Type.field") where that makes sense.
type Error struct {
	Code       string
	Subgraph   string
	Coordinate string
	Message    string
}

func (e Error) Error() string {
	return "[" + e.Code + "] " + e.Message
}

// Errors lists every problem found by one composition. Compose returns it
// as *Errors; errors.As also fills a plain Errors target.
type Errors []Error

// As lets errors.As extract the list into an Errors value as well as into
// an *Errors.
func (es *Errors) As(target any) bool {
	if t, ok := target.(*Errors); ok && es != nil {
		*t = *es
		return true
	}
	return false
}

func (es Errors) Error() string {
	if len(es) == 1 {
		return "composition failed: " + es[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "composition failed with %d errors:", len(es))
	for _, e := range es {
		b.WriteString("\n  ")
		b.WriteString(e.Error())
	}
	return b.String()
}

// errorSink collects errors during composition; sorting happens once at the
// end so the report does not depend on map iteration order.
type errorSink struct {
	list Errors
}

func (s *errorSink) add(code, subgraph, coord, format string, args ...any) {
	s.list = append(s.list, Error{Code: code, Subgraph: subgraph, Coordinate: coord, Message: fmt.Sprintf(format, args...)})
}

func (s *errorSink) empty() bool { return len(s.list) == 0 }

// sorted returns the errors in a stable order with duplicates removed.
func (s *errorSink) sorted() Errors {
	out := slices.Clone(s.list)
	slices.SortStableFunc(out, func(a, b Error) int {
		return cmp.Or(
			cmp.Compare(a.Coordinate, b.Coordinate),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Subgraph, b.Subgraph),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.Compact(out)
}

// quoteList renders subgraph names the way Apollo's messages do:
// "a", "a" and "b", "a", "b" and "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	default:
		return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
	}
}

// subgraphsLabel prefixes a quoted list with "subgraph" or "subgraphs".
func subgraphsLabel(names []string) string {
	if len(names) == 1 {
		return "subgraph " + quoteList(names)
	}
	return "subgraphs " + quoteList(names)
}
