package plan

import (
	"encoding/json"
)

// QueryPlan is a planned operation.
type QueryPlan struct {
	Node      Node       // nil when the router answers everything itself
	Operation *Operation // the normalized client operation, for shaping the response
}

// Node is a step of a plan: *Fetch, *Flatten, *Sequence or *Parallel.
type Node interface{ isNode() }

// Sequence runs its nodes one after another.
type Sequence struct{ Nodes []Node }

// Parallel runs its nodes concurrently.
type Parallel struct{ Nodes []Node }

// Flatten runs an entity fetch on the objects found at Path ("@" walks
// into lists) and merges the results back into them.
type Flatten struct {
	Path []string
	Node *Fetch
}

// Fetch is one request to one subgraph.
type Fetch struct {
	ServiceName    string
	OperationKind  string
	OperationName  string
	Operation      string
	VariableUsages []string
	// Requires is set for entity fetches: how to build a representation from
	// an object, per entity type.
	Requires []*RepType
	// Renames undo aliases the planner gave to fields that share a response
	// key but have different types in the subgraph, which the subgraph would
	// reject as a conflict.
	Renames []*Rename
}

// Rename moves From to To on objects of TypeName at Path, relative to the
// fetch's data (root fetches) or to each entity (entity fetches).
type Rename struct {
	Path     []string `json:"path"`
	TypeName string   `json:"typeName"`
	From     string   `json:"from"`
	To       string   `json:"to"`
}

// RepType says how to build the representation of objects of one type.
type RepType struct {
	TypeName string
	// SendAs replaces __typename in the representation: objects of an
	// implementation are sent as their interface to an @interfaceObject.
	SendAs string
	Fields []*RepField
}

// RepField is one field of a representation: Name in the representation,
// read from ResponseKey in the response tree.
type RepField struct {
	Name        string
	ResponseKey string
	Fields      []*RepField
	Key         bool // part of the @key: an object without it gets no representation
	Optional    bool // under a type condition: may be missing from the object
}

func (*Sequence) isNode() {}
func (*Parallel) isNode() {}
func (*Flatten) isNode()  {}
func (*Fetch) isNode()    {}

// MarshalJSON writes the plan in the shape Apollo's query plans use.
func (p *QueryPlan) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Kind string `json:"kind"`
		Node Node   `json:"node,omitempty"`
	}{"QueryPlan", p.Node})
}

func (s *Sequence) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Kind  string `json:"kind"`
		Nodes []Node `json:"nodes"`
	}{"Sequence", s.Nodes})
}

func (s *Parallel) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Kind  string `json:"kind"`
		Nodes []Node `json:"nodes"`
	}{"Parallel", s.Nodes})
}

func (f *Flatten) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Kind string   `json:"kind"`
		Path []string `json:"path"`
		Node *Fetch   `json:"node"`
	}{"Flatten", f.Path, f.Node})
}

type repSelectionJSON struct {
	Kind          string             `json:"kind"`
	TypeCondition string             `json:"typeCondition,omitempty"`
	SendAs        string             `json:"rewriteTypename,omitempty"`
	Name          string             `json:"name,omitempty"`
	Alias         string             `json:"alias,omitempty"`
	Selections    []repSelectionJSON `json:"selections,omitempty"`
}

func repFieldsJSON(fs []*RepField) []repSelectionJSON {
	out := make([]repSelectionJSON, 0, len(fs))
	for _, f := range fs {
		j := repSelectionJSON{Kind: "Field", Name: f.Name, Selections: repFieldsJSON(f.Fields)}
		if f.ResponseKey != f.Name {
			j.Alias = f.ResponseKey
		}
		out = append(out, j)
	}
	return out
}

func (f *Fetch) MarshalJSON() ([]byte, error) {
	var req []repSelectionJSON
	for _, r := range f.Requires {
		req = append(req, repSelectionJSON{Kind: "InlineFragment", TypeCondition: r.TypeName, SendAs: r.SendAs, Selections: repFieldsJSON(r.Fields)})
	}
	usages := f.VariableUsages
	if usages == nil {
		usages = []string{}
	}
	return json.Marshal(struct {
		Kind           string             `json:"kind"`
		ServiceName    string             `json:"serviceName"`
		Requires       []repSelectionJSON `json:"requires,omitempty"`
		VariableUsages []string           `json:"variableUsages"`
		OperationKind  string             `json:"operationKind"`
		OperationName  string             `json:"operationName,omitempty"`
		Operation      string             `json:"operation"`
		Renames        []*Rename          `json:"renames,omitempty"`
	}{"Fetch", f.ServiceName, req, usages, f.OperationKind, f.OperationName, f.Operation, f.Renames})
}
