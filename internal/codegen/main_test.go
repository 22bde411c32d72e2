package main

import (
	"bytes"
	"testing"
)

func TestQuietEntityNotes(t *testing.T) {
	tests := []struct {
		name, line string
		kept       bool
	}{
		{"federation batch lookup", "2026/12/06 runtime.go:37 adding resolver method for Entity.findManyTitleByIDs, nothing matched\n", false},
		{"other type's field", "2026/12/06 schema.graphqls:12 adding resolver method for Title.name, nothing matched\n", true},
		{"any other line", "[incremental] Changed: 1\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			n, err := quietEntityNotes{&out}.Write([]byte(tc.line))
			if err != nil || n != len(tc.line) {
				t.Fatalf("Write = %d, %v", n, err)
			}
			if got := out.Len() > 0; got != tc.kept {
				t.Errorf("kept = %v, want %v", got, tc.kept)
			}
		})
	}
}
