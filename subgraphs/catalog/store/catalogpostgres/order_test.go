package catalogpostgres_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/cinegraph/cinegraph/subgraphs/catalog/catalogservice"
	"github.com/cinegraph/cinegraph/subgraphs/catalog/store/catalogstoretest"
)

// Listings sort names by bytes, as the embedded store does, even on a
// database whose default collation is a natural-language one (such as the
// en_US.utf8 of stock PostgreSQL images).
func TestListingsSortByBytes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cfg := settings(t)
	s := open(t, cfg, freshSchema(t, cfg))
	d := catalogstoretest.Fixture()
	d.Credits, d.Seasons, d.MyList = nil, nil, nil
	names := map[string]string{"t1": "alpha", "t2": "Beta", "t3": "Émile", "t4": "zeta"}
	for i := range d.Titles {
		d.Titles[i].Name = names[d.Titles[i].ID]
	}
	if err := s.Replace(ctx, d); err != nil {
		t.Fatal(err)
	}
	pages, err := s.TitlePages(ctx, []catalogservice.TitleQuery{
		{Limit: 10},
		{Limit: 10, After: &catalogservice.TitleCursor{Name: "alpha", ID: "t1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"t2", "t1", "t4", "t3"}, {"t4", "t3"}}
	for i, page := range pages {
		var got []string
		for _, title := range page.Titles {
			got = append(got, title.ID)
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("page %d = %v, want %v (Beta < alpha < zeta < Émile by bytes)", i, got, want[i])
		}
	}
}
