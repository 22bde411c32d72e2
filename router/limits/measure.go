package limits

import (
	"math"

	"github.com/vektah/gqlparser/v2/ast"
)

// Measures describe the largest operation or fragment of a document, its
// fragments expanded. The document is not validated yet, so the counts are
// syntactic: @skip and @include are ignored, which only counts more.
type Measures struct {
	// Depth is how deeply fields nest: `{ a { b } }` has depth 2.
	Depth int
	// Nesting counts selection sets as plan.Normalize does: fields with
	// selections, inline fragments and fragment spreads each add a level.
	Nesting int
	// Fields counts fields, __typename included.
	Fields int
	// Selections counts fields and fragments, as plan.Normalize builds them.
	Selections int
	// Aliases counts aliased fields.
	Aliases int
	// RootFields counts the fields of an operation's root selection set.
	RootFields int
}

// Measure measures doc. Each fragment is measured once and its measures
// reused at every spread, so the cost is linear in the document even when
// its expansion is exponential; counts saturate at math.MaxInt. A spread
// inside its own fragment counts nothing: validation refuses the cycle.
func Measure(doc *ast.QueryDocument) Measures {
	m := measurer{doc: doc, frags: map[string]*fragMeasures{}}
	var out Measures
	keep := func(s setMeasures) {
		out.Depth = max(out.Depth, s.depth)
		out.Nesting = max(out.Nesting, s.nesting)
		out.Fields = max(out.Fields, s.fields)
		out.Selections = max(out.Selections, s.selections)
		out.Aliases = max(out.Aliases, s.aliases)
	}
	for _, op := range doc.Operations {
		s := m.set(op.SelectionSet)
		keep(s)
		out.RootFields = max(out.RootFields, s.top)
	}
	// Validation reads every fragment, used or not.
	for _, fd := range doc.Fragments {
		keep(m.fragment(fd.Name).setMeasures)
	}
	return out
}

// setMeasures measure one selection set.
type setMeasures struct {
	depth, nesting              int
	fields, selections, aliases int
	top                         int // fields at the set's own level
}

type fragMeasures struct {
	setMeasures
	done bool // false while the fragment is being measured
}

type measurer struct {
	doc   *ast.QueryDocument
	frags map[string]*fragMeasures
}

func (m *measurer) fragment(name string) *fragMeasures {
	if f, ok := m.frags[name]; ok {
		if !f.done {
			return &fragMeasures{} // a cycle
		}
		return f
	}
	f := &fragMeasures{}
	m.frags[name] = f
	if fd := m.doc.Fragments.ForName(name); fd != nil {
		f.setMeasures = m.set(fd.SelectionSet)
	}
	f.done = true
	return f
}

func (m *measurer) set(ss ast.SelectionSet) setMeasures {
	var out setMeasures
	for _, sel := range ss {
		switch sel := sel.(type) {
		case *ast.Field:
			sub := m.set(sel.SelectionSet)
			out.depth = max(out.depth, 1+sub.depth)
			if len(sel.SelectionSet) > 0 {
				out.nesting = max(out.nesting, 1+sub.nesting)
			}
			out.fields = add(out.fields, add(1, sub.fields))
			out.selections = add(out.selections, add(1, sub.selections))
			if sel.Alias != "" && sel.Alias != sel.Name {
				out.aliases = add(out.aliases, 1)
			}
			out.aliases = add(out.aliases, sub.aliases)
			out.top = add(out.top, 1)
		case *ast.InlineFragment:
			out.merge(m.set(sel.SelectionSet))
		case *ast.FragmentSpread:
			out.merge(m.fragment(sel.Name).setMeasures)
		}
	}
	return out
}

// merge adds the measures of a fragment's selection set, which sits one
// level deeper for Nesting and at the same level for everything else.
func (s *setMeasures) merge(f setMeasures) {
	s.depth = max(s.depth, f.depth)
	s.nesting = max(s.nesting, 1+f.nesting)
	s.fields = add(s.fields, f.fields)
	s.selections = add(s.selections, add(1, f.selections))
	s.aliases = add(s.aliases, f.aliases)
	s.top = add(s.top, f.top)
}

// CountRepeats counts the fields of doc that repeat a response path already
// selected, over every operation and fragment definition, fragments
// expanded: `{ a { x } a { x y } }` repeats a and a.x. Validation compares
// every two fields on one path, so this bounds its quadratic part. It
// expands fragments: callers first bound Measures.Selections.
func CountRepeats(doc *ast.QueryDocument) int {
	r := repeater{doc: doc, open: map[string]bool{}}
	for _, op := range doc.Operations {
		r.set(op.SelectionSet, &pathNode{})
	}
	for _, fd := range doc.Fragments {
		r.open[fd.Name] = true
		r.set(fd.SelectionSet, &pathNode{})
		r.open[fd.Name] = false
	}
	return r.n
}

// pathNode is one response path of an expanded document.
type pathNode struct{ next map[string]*pathNode }

type repeater struct {
	doc  *ast.QueryDocument
	n    int
	open map[string]bool // fragments being expanded, against cycles
}

func (r *repeater) set(ss ast.SelectionSet, at *pathNode) {
	for _, sel := range ss {
		switch sel := sel.(type) {
		case *ast.Field:
			key := sel.Alias
			if key == "" {
				key = sel.Name
			}
			child, seen := at.next[key]
			if seen {
				r.n++
			} else {
				child = &pathNode{}
				if at.next == nil {
					at.next = map[string]*pathNode{}
				}
				at.next[key] = child
			}
			r.set(sel.SelectionSet, child)
		case *ast.InlineFragment:
			r.set(sel.SelectionSet, at)
		case *ast.FragmentSpread:
			fd := r.doc.Fragments.ForName(sel.Name)
			if fd == nil || r.open[sel.Name] {
				continue
			}
			r.open[sel.Name] = true
			r.set(fd.SelectionSet, at)
			r.open[sel.Name] = false
		}
	}
}

// add adds two counts, saturating instead of overflowing.
func add(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}
