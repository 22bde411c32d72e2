package execute

import "github.com/cinegraph/cinegraph/router/plan"

// mergeObject merges src into dst in place: objects merge key by key, lists
// of the same length merge item by item, anything else is replaced.
func mergeObject(dst, src map[string]any) {
	for k, v := range src {
		old, ok := dst[k]
		if !ok || old == nil {
			dst[k] = v
			continue
		}
		dst[k] = mergeValue(old, v)
	}
}

func mergeValue(old, v any) any {
	switch nv := v.(type) {
	case map[string]any:
		if om, ok := old.(map[string]any); ok {
			mergeObject(om, nv)
			return om
		}
	case []any:
		if ol, ok := old.([]any); ok && len(ol) == len(nv) {
			for i := range nv {
				if ol[i] == nil {
					ol[i] = nv[i]
					continue
				}
				if nv[i] != nil {
					ol[i] = mergeValue(ol[i], nv[i])
				}
			}
			return ol
		}
	case nil:
		// A null from a later fetch does not erase what an earlier fetch
		// returned for the same key (e.g. an entity fetch that failed).
		return old
	}
	return v
}

// applyRenames moves aliased fields back to their response keys on the
// objects each rename names.
func applyRenames(v any, renames []*plan.Rename) {
	for _, rn := range renames {
		renameAt(v, rn.Path, rn)
	}
}

func renameAt(v any, path []string, rn *plan.Rename) {
	switch x := v.(type) {
	case []any:
		for _, item := range x {
			renameAt(item, path, rn)
		}
	case map[string]any:
		if len(path) == 0 {
			if tn, _ := x["__typename"].(string); tn == rn.TypeName {
				if val, ok := x[rn.From]; ok {
					delete(x, rn.From)
					x[rn.To] = val
				}
			}
			return
		}
		if path[0] == "@" {
			renameAt(x, path[1:], rn)
			return
		}
		renameAt(x[path[0]], path[1:], rn)
	}
}
