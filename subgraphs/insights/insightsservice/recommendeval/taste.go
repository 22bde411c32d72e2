package recommendeval

import (
	"fmt"
	"math/rand/v2"

	"github.com/cinegraph/cinegraph/internal/seed"
)

// Taste is the generative model of a synthetic history: each profile likes
// Favourites genres, and each title it watches is, with probability
// Loyalty, drawn from the titles of those genres, otherwise from the whole
// catalog; either way a title's chance is proportional to its appeal,
// 1/(1+rank/AppealScale) for a fixed random rank, so some titles are
// popular whatever the taste.
type Taste struct {
	Profiles, PerProfile, Favourites int
	Loyalty, AppealScale             float64
	Seed                             uint64
}

// DefaultTaste is the model cmd/eval-recommend reports beside the seed, at
// 400 and at 2000 profiles: collaborative filtering needs enough viewers
// per title to tell taste from chance.
var DefaultTaste = Taste{Profiles: 2000, PerProfile: 12, Favourites: 2, Loyalty: 0.7, AppealScale: 40, Seed: 1}

// History draws a synthetic history over f's catalog, the same every call
// for the same model. It is no evidence about real viewers: it shows
// whether the ranking can learn taste where there is taste to learn.
func (m Taste) History(f *seed.Fixture) History {
	rng := rand.New(rand.NewPCG(m.Seed, 0x7461737465))
	appeal := make([]float64, len(f.Titles))
	for i, rank := range rng.Perm(len(f.Titles)) {
		appeal[i] = 1 / (1 + float64(rank)/m.AppealScale)
	}
	byGenre := map[string][]int{}
	for i, t := range f.Titles {
		for _, g := range t.Genres {
			byGenre[g] = append(byGenre[g], i)
		}
	}
	all := make([]int, len(f.Titles))
	for i := range all {
		all[i] = i
	}
	h := History{}
	for p := 1; p <= m.Profiles; p++ {
		var liked []int
		seen := map[int]bool{}
		for _, g := range rng.Perm(len(f.Genres))[:min(m.Favourites, len(f.Genres))] {
			for _, i := range byGenre[f.Genres[g].Slug] {
				if !seen[i] {
					seen[i] = true
					liked = append(liked, i)
				}
			}
		}
		watched := map[int]bool{}
		profile := fmt.Sprintf("synthetic-%d", p)
		for tries := 0; len(h[profile]) < m.PerProfile && tries < 100*m.PerProfile; tries++ {
			pool := all
			if len(liked) > 0 && rng.Float64() < m.Loyalty {
				pool = liked
			}
			i := draw(rng, pool, appeal)
			if watched[i] {
				continue
			}
			watched[i] = true
			h[profile] = append(h[profile], f.Titles[i].ID)
		}
	}
	return h
}

// draw picks one of pool with chance proportional to its appeal.
func draw(rng *rand.Rand, pool []int, appeal []float64) int {
	total := 0.0
	for _, i := range pool {
		total += appeal[i]
	}
	x := rng.Float64() * total
	for _, i := range pool {
		x -= appeal[i]
		if x < 0 {
			return i
		}
	}
	return pool[len(pool)-1]
}
