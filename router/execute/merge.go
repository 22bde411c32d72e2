package execute

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
