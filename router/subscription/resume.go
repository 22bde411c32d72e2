package subscription

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/cinegraph/cinegraph/router/wire"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
	"github.com/vektah/gqlparser/v2/parser"
)

// ResumeRule says how a subscription field continues after a position: the
// field takes the position in Argument, and each event's object gives its
// own in its Cursor field. For chat's messageAdded(roomId, since) that is
// {Argument: "since", Cursor: "id"}. With a rule, an upstream subscription
// that is lost (connection dropped, instance gone, the subgraph ending it
// as unavailable) is reopened, on any instance, from the last event
// delivered, so clients see neither a gap nor a duplicate.
type ResumeRule struct {
	Argument string
	Cursor   string
}

const (
	// resumeAlias is the response key under which the router has each event
	// carry its position. Clients never see it: responses are shaped by the
	// client's own operation.
	resumeAlias = "_resumeCursor"
	// resumeVariable passes the position to a reopened subscription.
	resumeVariable = "_resumeSince"
	// maxResumes bounds the attempts in a row to reopen a lost upstream
	// subscription; an event delivered starts the count again.
	maxResumes = 8
)

// Resumable prepares the upstream subscription req for resumption when its
// root field has a rule in rules: it returns the request to open first
// (req with the cursor added to the selection) and Source.Resume. ok is
// false when no rule applies. schema gives the argument's type.
func Resumable(req *wire.SubgraphRequest, rules map[string]ResumeRule, schema *ast.Schema) (first *wire.SubgraphRequest, resume func(last *wire.SubgraphResponse) *wire.SubgraphRequest, ok bool, err error) {
	if len(rules) == 0 || schema == nil || schema.Subscription == nil {
		return req, nil, false, nil
	}
	doc, perr := parser.ParseQuery(&ast.Source{Input: req.Query})
	if perr != nil {
		return nil, nil, false, fmt.Errorf("resumable subscription: %w", perr)
	}
	if len(doc.Operations) != 1 {
		return req, nil, false, nil
	}
	op := doc.Operations[0]
	var field *ast.Field
	var rule ResumeRule
	for _, sel := range op.SelectionSet {
		if f, isField := sel.(*ast.Field); isField {
			if r, has := rules[f.Name]; has && len(f.SelectionSet) > 0 {
				field, rule = f, r
				break
			}
		}
	}
	if field == nil {
		return req, nil, false, nil
	}
	def := schema.Subscription.Fields.ForName(field.Name)
	if def == nil || def.Arguments.ForName(rule.Argument) == nil {
		return nil, nil, false, fmt.Errorf("resumable subscription: Subscription.%s has no argument %q", field.Name, rule.Argument)
	}
	argType := def.Arguments.ForName(rule.Argument).Type
	key := field.Alias
	if key == "" {
		key = field.Name
	}
	field.SelectionSet = append(field.SelectionSet, &ast.Field{Alias: resumeAlias, Name: rule.Cursor})
	firstQuery := format(doc)

	args := field.Arguments[:0:0]
	var replaced *ast.Value
	for _, a := range field.Arguments {
		if a.Name != rule.Argument {
			args = append(args, a)
		} else {
			replaced = a.Value
		}
	}
	field.Arguments = append(args, &ast.Argument{Name: rule.Argument, Value: &ast.Value{Kind: ast.Variable, Raw: resumeVariable}})
	// The client's own position, when it came in a variable used nowhere
	// else, leaves with its argument: an unused variable makes the
	// operation invalid.
	var dropped string
	if replaced != nil && replaced.Kind == ast.Variable && !variableUsed(doc, replaced.Raw) {
		dropped = replaced.Raw
		op.VariableDefinitions = slices.DeleteFunc(slices.Clone(op.VariableDefinitions), func(d *ast.VariableDefinition) bool { return d.Variable == dropped })
	}
	op.VariableDefinitions = append(op.VariableDefinitions, &ast.VariableDefinition{Variable: resumeVariable, Type: argType})
	resumeQuery := format(doc)

	first = &wire.SubgraphRequest{Query: firstQuery, OperationName: req.OperationName, Variables: req.Variables, OperationKind: req.OperationKind}
	resume = func(last *wire.SubgraphResponse) *wire.SubgraphRequest {
		cursor, found := cursorOf(last, key)
		if !found {
			return first
		}
		vars := maps.Clone(req.Variables)
		if vars == nil {
			vars = map[string]any{}
		}
		delete(vars, dropped)
		vars[resumeVariable] = cursor
		return &wire.SubgraphRequest{Query: resumeQuery, OperationName: req.OperationName, Variables: vars, OperationKind: req.OperationKind}
	}
	return first, resume, true, nil
}

// variableUsed reports whether $name appears as a value anywhere in doc's
// operations and fragments.
func variableUsed(doc *ast.QueryDocument, name string) bool {
	var inValue func(v *ast.Value) bool
	inValue = func(v *ast.Value) bool {
		if v == nil {
			return false
		}
		if v.Kind == ast.Variable && v.Raw == name {
			return true
		}
		for _, c := range v.Children {
			if inValue(c.Value) {
				return true
			}
		}
		return false
	}
	inDirectives := func(ds ast.DirectiveList) bool {
		for _, d := range ds {
			for _, a := range d.Arguments {
				if inValue(a.Value) {
					return true
				}
			}
		}
		return false
	}
	var inSelections func(set ast.SelectionSet) bool
	inSelections = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				for _, a := range sel.Arguments {
					if inValue(a.Value) {
						return true
					}
				}
				if inDirectives(sel.Directives) || inSelections(sel.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if inDirectives(sel.Directives) || inSelections(sel.SelectionSet) {
					return true
				}
			case *ast.FragmentSpread:
				if inDirectives(sel.Directives) {
					return true
				}
			}
		}
		return false
	}
	for _, op := range doc.Operations {
		if inDirectives(op.Directives) || inSelections(op.SelectionSet) {
			return true
		}
	}
	for _, f := range doc.Fragments {
		if inDirectives(f.Directives) || inSelections(f.SelectionSet) {
			return true
		}
	}
	return false
}

func format(doc *ast.QueryDocument) string {
	var b strings.Builder
	formatter.NewFormatter(&b, formatter.WithIndent("")).FormatQueryDocument(doc)
	return b.String()
}

// cursorOf reads the position an event carries under the root field key.
func cursorOf(ev *wire.SubgraphResponse, key string) (any, bool) {
	if ev == nil {
		return nil, false
	}
	obj, _ := ev.Data[key].(map[string]any)
	c, ok := obj[resumeAlias]
	return c, ok && c != nil
}

// lostEvent reports whether ev is a subgraph's last word on a stream it is
// ending for its own reasons (it dropped the subscription as too slow, or
// is shutting down): no data, and only UNAVAILABLE errors.
func lostEvent(ev *wire.SubgraphResponse) bool {
	if len(ev.Data) > 0 || len(ev.Errors) == 0 {
		return false
	}
	for _, e := range ev.Errors {
		if code, _ := e.Extensions["code"].(string); code != "UNAVAILABLE" {
			return false
		}
	}
	return true
}

// shouldResume reports whether an upstream subscription that ended with err
// (held: the lost event it ended on, if any) was lost rather than completed
// or refused.
func shouldResume(err error, held *wire.SubgraphResponse) bool {
	var refused GraphQLErrors
	if errors.As(err, &refused) {
		return false
	}
	return err != nil || held != nil
}

// resumeDelay is the wait before attempt n (from 1) to reopen: doubling
// from 50 ms to 2 s, less up to half at random so routers do not reconnect
// in step.
func resumeDelay(n int) time.Duration {
	d := 50 * time.Millisecond << min(n-1, 6)
	d = min(d, 2*time.Second)
	return d - time.Duration(rand.Int64N(int64(d/2)+1))
}
