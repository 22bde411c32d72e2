package plan

import "fmt"

// SplitSubscription separates a subscription plan into the fetch that opens
// the subscription on its owning subgraph and the rest of the plan, which
// runs once per event on that event's data. Rest is nil when the owning
// subgraph resolves the whole selection.
func SplitSubscription(qp *QueryPlan) (root *Fetch, rest Node, err error) {
	if qp == nil || qp.Node == nil {
		return nil, nil, fmt.Errorf("subscription plan has no subgraph fetch")
	}
	switch n := qp.Node.(type) {
	case *Fetch:
		root = n
	case *Sequence:
		if len(n.Nodes) > 0 {
			root, _ = n.Nodes[0].(*Fetch)
		}
		switch len(n.Nodes) {
		case 0, 1:
		case 2:
			rest = n.Nodes[1]
		default:
			rest = &Sequence{Nodes: n.Nodes[1:]}
		}
	}
	if root == nil || root.OperationKind != "subscription" {
		return nil, nil, fmt.Errorf("subscription plan does not start with the subscription fetch")
	}
	return root, rest, nil
}
