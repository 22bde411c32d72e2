package supergraph

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// parseFieldSet parses a join__FieldSet such as "id organization { id }".
func parseFieldSet(fs string) (ast.SelectionSet, error) {
	doc, err := parser.ParseQuery(&ast.Source{Input: "{" + fs + "}"})
	if err != nil {
		return nil, err
	}
	if len(doc.Operations) != 1 {
		return nil, fmt.Errorf("not a field set")
	}
	return doc.Operations[0].SelectionSet, nil
}

// checkFieldSets makes sure keys, requires and provides name real fields.
func (sg *Supergraph) checkFieldSets() error {
	for name, t := range sg.Types {
		for g, tg := range t.InGraph {
			for _, k := range tg.Keys {
				if err := sg.checkSelection(name, k.Selection); err != nil {
					return fmt.Errorf("type %s: key %q in %s: %w", name, k.Fields, g, err)
				}
			}
		}
		for fname, f := range t.Fields {
			for _, j := range f.Joins {
				if j.RequiresSel != nil {
					if err := sg.checkSelection(name, j.RequiresSel); err != nil {
						return fmt.Errorf("field %s.%s: requires %q: %w", name, fname, j.Requires, err)
					}
				}
				if j.ProvidesSel != nil {
					if err := sg.checkSelection(f.Def.Type.Name(), j.ProvidesSel); err != nil {
						return fmt.Errorf("field %s.%s: provides %q: %w", name, fname, j.Provides, err)
					}
				}
			}
		}
	}
	return nil
}

func (sg *Supergraph) checkSelection(typeName string, sel ast.SelectionSet) error {
	def := sg.Schema.Types[typeName]
	if def == nil {
		return fmt.Errorf("unknown type %s", typeName)
	}
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if s.Name == "__typename" {
				continue
			}
			fd := def.Fields.ForName(s.Name)
			if fd == nil {
				return fmt.Errorf("type %s has no field %s", typeName, s.Name)
			}
			if len(s.SelectionSet) > 0 {
				if err := sg.checkSelection(fd.Type.Name(), s.SelectionSet); err != nil {
					return err
				}
			}
		case *ast.InlineFragment:
			tc := s.TypeCondition
			if tc == "" {
				tc = typeName
			}
			if err := sg.checkSelection(tc, s.SelectionSet); err != nil {
				return err
			}
		default:
			return fmt.Errorf("field sets cannot use fragment spreads")
		}
	}
	return nil
}
