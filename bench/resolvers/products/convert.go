package products

import (
	"github.com/cinegraph/cinegraph/bench/fixtures"
	"github.com/cinegraph/cinegraph/bench/graph/products/model"
)

func product(p *fixtures.Product) *model.Product {
	if p == nil {
		return nil
	}
	name, price, weight := p.Name, p.Price, p.Weight
	return &model.Product{Upc: p.UPC, Name: &name, Price: &price, Weight: &weight}
}
