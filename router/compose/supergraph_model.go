package compose

import "github.com/vektah/gqlparser/v2/ast"

// superType is a merged type, ready to print: directives are already
// rendered, since their order and arguments are what the supergraph format
// specifies.
type superType struct {
	name, description string
	kind              ast.DefinitionKind
	implements        []string
	directives        []string
	fields            []*superField
	values            []*superValue
	members           []string
}

func (t *superType) field(name string) *superField {
	for _, f := range t.fields {
		if f.name == name {
			return f
		}
	}
	return nil
}

// superField is a merged field or input field.
type superField struct {
	name, description string
	typ               *ast.Type
	args              []*superArg
	def               *ast.Value
	directives        []string
}

// superArg is a merged field argument.
type superArg struct {
	name, description string
	typ               *ast.Type
	def               *ast.Value
	directives        []string
}

// superValue is a merged enum value.
type superValue struct {
	name, description string
	directives        []string
}
