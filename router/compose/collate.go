package compose

import (
	"unicode"
)

// collate orders definition names the way Apollo's printer does (it sorts
// with JavaScript's localeCompare): letters compare case-insensitively,
// punctuation such as '_' sorts before digits and digits before letters,
// and only when names are otherwise equal does lower case come first.
func collate(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	for i := 0; i < len(ra) && i < len(rb); i++ {
		ca, cb := collateClass(ra[i]), collateClass(rb[i])
		if ca != cb {
			return ca - cb
		}
		la, lb := unicode.ToLower(ra[i]), unicode.ToLower(rb[i])
		if la != lb {
			if la < lb {
				return -1
			}
			return 1
		}
	}
	if len(ra) != len(rb) {
		return len(ra) - len(rb)
	}
	for i := range ra {
		if ra[i] != rb[i] {
			if unicode.IsLower(ra[i]) {
				return -1
			}
			return 1
		}
	}
	return 0
}

func collateClass(r rune) int {
	switch {
	case unicode.IsLetter(r):
		return 2
	case unicode.IsDigit(r):
		return 1
	default:
		return 0
	}
}
