package sqlitestore

import "strings"

// placeholders returns "?,?,?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// chunks splits ids into runs of at most chunk, for IN lists.
func chunks(ids []string) [][]string {
	var out [][]string
	for len(ids) > chunk {
		out = append(out, ids[:chunk])
		ids = ids[chunk:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}

func args(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
