package plan

// Response keys of planner-added fields. Keys, @requires fields and
// __typename are fetched next to the client's fields and all land in the
// same merged response tree, so a key the planner picks must not be one the
// client uses for another field at that level, nor one another added field
// uses for something else. Invented keys start with the operation's
// internal prefix, which no client response key starts with.

import (
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// level is what answers to the response keys at one level of the response
// tree.
type level struct {
	client map[string][]*Field // the client's fields by data key, under every type condition
	added  map[string]string   // keys taken by planner-added fields: name and arguments
}

// levelAt returns the level at path ("@" steps into lists).
func (b *builder) levelAt(path []string) *level {
	k := strings.Join(path, ".")
	if l := b.levels[k]; l != nil {
		return l
	}
	sels := b.op.Selections
	for _, p := range path {
		if p == "@" {
			continue
		}
		var next []Selection
		eachField(sels, func(f *Field) {
			if f.DataKey() == p {
				next = append(next, f.Selections...)
			}
		})
		sels = next
	}
	l := &level{client: map[string][]*Field{}, added: map[string]string{}}
	eachField(sels, func(f *Field) {
		l.client[f.DataKey()] = append(l.client[f.DataKey()], f)
	})
	b.levels[k] = l
	return l
}

// eachField calls fn for every field of sels, looking into fragments on
// any type: a key is taken at a level whatever the type of the object.
func eachField(sels []Selection, fn func(*Field)) {
	for _, s := range sels {
		if s.Fragment != nil {
			eachField(s.Fragment.Selections, fn)
			continue
		}
		fn(s.Field)
	}
}

// addedKey picks the response key of a planner-added field name(args) on
// the objects at path: the field's name when nothing else answers to it
// there (the client's own identical field may: both read the same value),
// otherwise the internal prefix and the name, numbered if even that is
// taken.
func (b *builder) addedKey(path []string, name string, args ast.ArgumentList) string {
	l := b.levelAt(path)
	sig := name + argsKey(args)
	free := func(key string) bool {
		for _, f := range l.client[key] {
			if f.Name != name || argsKey(f.Arguments) != argsKey(args) {
				return false
			}
		}
		s, ok := l.added[key]
		return !ok || s == sig
	}
	key := name
	for i := 1; !free(key); i++ {
		key = b.prefix + name
		if i > 1 {
			key += "_" + strconv.Itoa(i)
		}
	}
	l.added[key] = sig
	return key
}

// selKeys collects the response keys used in s, inside its fragments too.
func selKeys(s *selSet, into map[string]bool) {
	for _, it := range s.items {
		if it.typeCond != "" {
			selKeys(it.sub, into)
			continue
		}
		into[it.key()] = true
	}
}
