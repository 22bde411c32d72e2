package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-viper/mapstructure/v2"
)

// knownKey reports whether a key read from a file names a setting,
// following the key through Config's fields by their koanf names; a map
// takes one segment as its entry's name (subgraph.listen.<name>,
// router.resilience.subgraphs.<name>.breaker.open_for).
func knownKey(key string) bool {
	return knownPath(reflect.TypeFor[Config](), strings.Split(key, "."))
}

func knownPath(t reflect.Type, path []string) bool {
	if len(path) == 0 {
		return true
	}
	switch t.Kind() {
	case reflect.Pointer:
		return knownPath(t.Elem(), path)
	case reflect.Struct:
		for i := range t.NumField() {
			if f := t.Field(i); f.Tag.Get("koanf") == path[0] {
				return knownPath(f.Type, path[1:])
			}
		}
		return false
	case reflect.Map:
		return knownPath(t.Elem(), path[1:])
	default:
		// A scalar or a list has no settings under it.
		return false
	}
}

// badTypes are the settings whose values did not decode to their types.
type badTypes []error

// typeProblems lists every value that did not decode, one problem each,
// named by its setting's key.
func typeProblems(err error, value func(key string) any) badTypes {
	if err == nil {
		return nil
	}
	var out badTypes
	var walk func(error)
	walk = func(err error) {
		if de, ok := err.(*mapstructure.DecodeError); ok {
			out = append(out, typeProblem{key: de.Name(), value: value(de.Name()), err: de.Unwrap()})
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		if u := errors.Unwrap(err); u != nil {
			walk(u)
			return
		}
		out = append(out, err)
	}
	walk(err)
	return out
}

// covers reports whether p is a problem of a setting that failed to decode.
func (b badTypes) covers(p error) bool {
	for _, e := range b {
		if tp, ok := e.(typeProblem); ok && strings.HasPrefix(p.Error(), tp.key+":") {
			return true
		}
	}
	return false
}

type typeProblem struct {
	key   string
	value any
	err   error
}

func (p typeProblem) Error() string {
	return fmt.Sprintf("%s: %v is not of the setting's type: %v", p.key, p.value, p.err)
}
func (p typeProblem) Unwrap() error { return p.err }
