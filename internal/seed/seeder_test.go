package seed

import (
	"context"
	"errors"
	"testing"
)

type fakeSeeder struct {
	empty    bool
	emptyErr error
	seedErr  error
	seeded   *Fixture
}

func (f *fakeSeeder) Empty(context.Context) (bool, error) { return f.empty, f.emptyErr }

func (f *fakeSeeder) Seed(_ context.Context, fx *Fixture) error {
	if f.seedErr != nil {
		return f.seedErr
	}
	f.seeded = fx
	return nil
}

func TestIfEmpty(t *testing.T) {
	t.Parallel()
	down := errors.New("store down")
	tests := []struct {
		name       string
		s          *fakeSeeder
		wantSeeded bool
		wantErr    error
		wantBuilt  bool
	}{
		{"empty store is seeded", &fakeSeeder{empty: true}, true, nil, true},
		{"data is left alone, fixture not built", &fakeSeeder{}, false, nil, false},
		{"failed check", &fakeSeeder{emptyErr: down}, false, down, false},
		{"failed seed", &fakeSeeder{empty: true, seedErr: down}, false, down, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			built := false
			fx := &Fixture{}
			seeded, err := IfEmpty(context.Background(), tc.s, func() *Fixture { built = true; return fx })
			if seeded != tc.wantSeeded || !errors.Is(err, tc.wantErr) || built != tc.wantBuilt {
				t.Fatalf("IfEmpty = %v, %v (fixture built %v); want %v, %v (%v)", seeded, err, built, tc.wantSeeded, tc.wantErr, tc.wantBuilt)
			}
			if tc.wantSeeded && tc.s.seeded != fx {
				t.Fatal("seeded another fixture")
			}
		})
	}
}
