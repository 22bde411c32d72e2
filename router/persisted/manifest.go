package persisted

import (
	"encoding/json"
	"fmt"
	"os"
)

// ManifestFormat is the format field of Apollo's persisted query list,
// which @apollo/generate-persisted-query-manifest writes.
const ManifestFormat = "apollo-persisted-query-manifest"

// Manifest is a list of trusted documents: the operations a web app's
// build produced, each with the id clients send instead of its body.
type Manifest struct {
	byID map[string]string
	// bodies holds the SHA-256 of every body, for the safelist.
	bodies map[string]bool
}

// Operation is one manifest entry.
type Operation struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
	Body string `json:"body"`
}

type manifestFile struct {
	Format     string      `json:"format"`
	Version    int         `json:"version"`
	Operations []Operation `json:"operations"`
}

// LoadManifest reads a manifest file.
func LoadManifest(path string) (*Manifest, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read persisted query manifest: %w", err)
	}
	m, err := ParseManifest(raw)
	if err != nil {
		return nil, fmt.Errorf("persisted query manifest %s: %w", path, err)
	}
	return m, nil
}

// ParseManifest reads a manifest in Apollo's persisted query list format,
// version 1. Ids must be unique and bodies non-empty.
func ParseManifest(raw []byte) (*Manifest, error) {
	var f manifestFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if f.Format != ManifestFormat || f.Version != 1 {
		return nil, fmt.Errorf("format %q version %d: want %q version 1", f.Format, f.Version, ManifestFormat)
	}
	return NewManifest(f.Operations)
}

// NewManifest builds a manifest from its operations.
func NewManifest(ops []Operation) (*Manifest, error) {
	m := &Manifest{byID: make(map[string]string, len(ops)), bodies: make(map[string]bool, len(ops))}
	for i, op := range ops {
		if op.ID == "" || op.Body == "" {
			return nil, fmt.Errorf("operation %d (%q) needs an id and a body", i, op.Name)
		}
		if _, dup := m.byID[op.ID]; dup {
			return nil, fmt.Errorf("operation id %q appears twice", op.ID)
		}
		m.byID[op.ID] = op.Body
		m.bodies[Hash(op.Body)] = true
	}
	return m, nil
}

// Len is the number of operations.
func (m *Manifest) Len() int { return len(m.byID) }

// Lookup returns the body of the operation with id.
func (m *Manifest) Lookup(id string) (string, bool) {
	body, ok := m.byID[id]
	return body, ok
}

// Contains reports whether doc is, byte for byte, the body of an
// operation: clients send the text the manifest was generated from.
func (m *Manifest) Contains(doc string) bool { return m.bodies[Hash(doc)] }
