package observability

import (
	"fmt"
	"slices"
	"strings"
)

// keywords are PromQL's words that are not metric names when they are not
// followed by a parenthesis: the binary operators and modifiers, and the
// float literals.
var keywords = map[string]bool{
	"and": true, "or": true, "unless": true, "atan2": true,
	"by": true, "without": true, "on": true, "ignoring": true,
	"group_left": true, "group_right": true, "bool": true, "offset": true,
	"inf": true, "nan": true,
	// The aggregations, which may come before their grouping list
	// (sum by (le) (...)) and so are not always followed by a parenthesis.
	"sum": true, "min": true, "max": true, "avg": true, "group": true,
	"stddev": true, "stdvar": true, "count": true, "count_values": true,
	"bottomk": true, "topk": true, "quantile": true, "limitk": true,
	"limit_ratio": true,
}

// labelLists are the keywords followed by a parenthesized list of label
// names, which are not metric names either.
var labelLists = map[string]bool{
	"by": true, "without": true, "on": true, "ignoring": true,
	"group_left": true, "group_right": true,
}

// MetricNames returns the metric names expr selects, sorted and without
// repeats. It is a lexer, not a parser: it knows enough of PromQL
// (strings, label matchers, ranges, functions, grouping lists) to find
// the bare selectors of the expressions Cinegraph ships, and a
// __name__="..." matcher; the full Prometheus parser would pull the
// whole Prometheus server into this module. An unbalanced bracket or
// quote is an error. A metric named like an aggregation (sum, count) or a
// keyword would go unseen; Cinegraph's are all cinegraph_, go_ or
// process_ names.
func MetricNames(expr string) ([]string, error) {
	var names []string
	i, n := 0, len(expr)
	for i < n {
		c := expr[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			end, err := skipString(expr, i)
			if err != nil {
				return nil, err
			}
			i = end
		case c == '{':
			end, err := closing(expr, i, '}')
			if err != nil {
				return nil, err
			}
			if name := nameMatcher(expr[i+1 : end]); name != "" {
				names = append(names, name)
			}
			i = end + 1
		case c == '[':
			end := strings.IndexByte(expr[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [ in %q", expr)
			}
			i += end + 1
		case c == '#':
			// A comment runs to the end of the line.
			end := strings.IndexByte(expr[i:], '\n')
			if end < 0 {
				end = n - i
			}
			i += end
		case isIdentStart(c):
			j := i + 1
			for j < n && isIdent(expr[j]) {
				j++
			}
			word := expr[i:j]
			k := j
			for k < n && (expr[k] == ' ' || expr[k] == '\t' || expr[k] == '\n') {
				k++
			}
			followedByParen := k < n && expr[k] == '('
			switch {
			case labelLists[word] && followedByParen:
				end := strings.IndexByte(expr[k:], ')')
				if end < 0 {
					return nil, fmt.Errorf("unclosed ( after %s in %q", word, expr)
				}
				j = k + end + 1
			case followedByParen, keywords[strings.ToLower(word)]:
				// a function, an aggregation or an operator
			default:
				names = append(names, word)
			}
			i = j
		case c >= '0' && c <= '9' || c == '.':
			// A number or a duration: digits, letters (1e3, 5m, 0x1f).
			j := i + 1
			for j < n && (isIdent(expr[j]) || expr[j] == '.') {
				j++
			}
			i = j
		default:
			i++
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// closing is the index of the close bracket of the bracket at expr[i],
// past any strings in between.
func closing(expr string, i int, close byte) (int, error) {
	for j := i + 1; j < len(expr); {
		switch expr[j] {
		case close:
			return j, nil
		case '"', '\'', '`':
			end, err := skipString(expr, j)
			if err != nil {
				return 0, err
			}
			j = end
		default:
			j++
		}
	}
	return 0, fmt.Errorf("unclosed %c in %q", expr[i], expr)
}

func skipString(expr string, i int) (int, error) {
	quote := expr[i]
	for j := i + 1; j < len(expr); j++ {
		switch expr[j] {
		case '\\':
			if quote != '`' {
				j++
			}
		case quote:
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("unclosed string in %q", expr)
}

// nameMatcher is the metric name of a __name__="..." matcher among
// matchers, or "".
func nameMatcher(matchers string) string {
	for _, m := range strings.Split(matchers, ",") {
		k, v, ok := strings.Cut(m, "=")
		if !ok || strings.TrimSpace(k) != "__name__" || strings.HasPrefix(v, "~") {
			continue
		}
		return strings.Trim(strings.TrimSpace(v), "\"'`")
	}
	return ""
}

func isIdentStart(c byte) bool {
	return c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdent(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }
