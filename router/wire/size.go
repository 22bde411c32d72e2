package wire

import "encoding/json"

// JSONSize is about the length of v written as JSON: the executor's
// measure of a response that was not decoded from bytes (an in-process
// fetcher's), counted against the response size limit.
func JSONSize(v any) int64 {
	switch v := v.(type) {
	case map[string]any:
		n := int64(2)
		for k, x := range v {
			n += int64(len(k)) + 4 + JSONSize(x)
		}
		return n
	case []any:
		n := int64(2)
		for _, x := range v {
			n += 1 + JSONSize(x)
		}
		return n
	case string:
		return int64(len(v)) + 2
	case json.Number:
		return int64(len(v))
	}
	return 4 // true, null, a small number
}
