package products

import (
	"fmt"

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

// maxBulkProducts bounds bulkProducts(count).
const maxBulkProducts = 200000

// bulkProduct is the i-th generated product of bulkProducts: about 100
// bytes of JSON each, so 80,000 make 8 MiB.
func bulkProduct(i int) *model.Product {
	name := fmt.Sprintf("Bulk product %06d, a generated item for the big-response scenario", i)
	price, weight := 100+i%9000, 1+i%50
	return &model.Product{Upc: fmt.Sprintf("bulk-%06d", i), Name: &name, Price: &price, Weight: &weight}
}
