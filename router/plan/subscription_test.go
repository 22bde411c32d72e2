package plan

import "testing"

func TestSplitSubscription(t *testing.T) {
	t.Parallel()
	sub := &Fetch{ServiceName: "chat", OperationKind: "subscription"}
	e1 := &Flatten{Path: []string{"a"}, Node: &Fetch{ServiceName: "catalog", OperationKind: "query"}}
	e2 := &Flatten{Path: []string{"b"}, Node: &Fetch{ServiceName: "insights", OperationKind: "query"}}
	tests := []struct {
		name    string
		node    Node
		wantErr bool
	}{
		{name: "root only", node: sub},
		{name: "root then one fetch", node: &Sequence{Nodes: []Node{sub, e1}}},
		{name: "root then parallel", node: &Sequence{Nodes: []Node{sub, &Parallel{Nodes: []Node{e1, e2}}}}},
		{name: "root then a chain", node: &Sequence{Nodes: []Node{sub, e1, e2}}},
		{name: "no plan", wantErr: true},
		{name: "query fetch first", node: &Sequence{Nodes: []Node{&Fetch{OperationKind: "query"}, e1}}, wantErr: true},
		{name: "parallel roots", node: &Parallel{Nodes: []Node{sub, e1}}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root, rest, err := SplitSubscription(&QueryPlan{Node: tc.node})
			if tc.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil || root != sub {
				t.Fatalf("root %v, err %v", root, err)
			}
			switch seq := tc.node.(type) {
			case *Fetch:
				if rest != nil {
					t.Fatalf("rest %v, want nil", rest)
				}
			case *Sequence:
				if len(seq.Nodes) == 2 && rest != seq.Nodes[1] {
					t.Fatalf("rest %v, want %v", rest, seq.Nodes[1])
				}
				if s, ok := rest.(*Sequence); len(seq.Nodes) > 2 && (!ok || len(s.Nodes) != len(seq.Nodes)-1) {
					t.Fatalf("rest %v, want the remaining sequence", rest)
				}
			}
		})
	}
}
