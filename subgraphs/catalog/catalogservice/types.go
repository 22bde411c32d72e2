package catalogservice

import "time"

// Title kinds.
const (
	KindMovie  = "MOVIE"
	KindSeries = "SERIES"
)

// Credit roles.
const (
	RoleActor    = "ACTOR"
	RoleDirector = "DIRECTOR"
	RoleWriter   = "WRITER"
	RoleCreator  = "CREATOR"
)

// Kinds lists the title kinds in a stable order.
var Kinds = []string{KindMovie, KindSeries}

// MaturityRatings lists the ratings a title may carry.
var MaturityRatings = []string{"G", "PG", "PG_13", "R", "NC_17", "TV_Y", "TV_PG", "TV_14", "TV_MA"}

// Title is a film or a series.
type Title struct {
	ID             string
	Name           string
	Synopsis       string
	Kind           string
	GenreSlugs     []string
	ReleaseYear    int
	MaturityRating string
	// RuntimeMinutes is 0 for a series.
	RuntimeMinutes int
	SearchBoost    float64
}

// Genre groups titles.
type Genre struct {
	Slug string
	Name string
}

// Person is someone credited on titles.
type Person struct {
	ID   string
	Name string
	// BirthYear is 0 when unknown.
	BirthYear int
}

// Credit is a person's part in a title; Billing orders a title's credits.
type Credit struct {
	TitleID   string
	PersonID  string
	Role      string
	Character string
	Billing   int
}

// Season groups a series' episodes, in order.
type Season struct {
	TitleID  string
	Number   int
	Episodes []Episode
}

// Episode is one episode of a series.
type Episode struct {
	ID             string
	SeriesID       string
	SeasonNumber   int
	Number         int
	Name           string
	Synopsis       string
	RuntimeMinutes int
}

// Profile is a viewer profile.
type Profile struct {
	ID   string
	Name string
}

// ListEntry is a title saved to a profile's My List.
type ListEntry struct {
	ProfileID string
	TitleID   string
	AddedAt   time.Time
}

// Artwork holds a title's image URLs.
type Artwork struct {
	PosterURL    string
	BackdropURL  string
	ThumbnailURL string
}

// ArtworkFor derives a title's artwork URLs from its id: images are served
// by the media host under stable paths, so they need no storage. Each
// path ends in the width it is drawn at (/media/artwork/<id>/poster-342);
// the media host serves the same path at its other widths, which is how
// the web app builds a srcset. It serves a stored image there when there
// is one and otherwise draws the title's artwork.
func ArtworkFor(titleID string) Artwork {
	base := "/media/artwork/" + titleID
	return Artwork{
		PosterURL:    base + "/poster-342",
		BackdropURL:  base + "/backdrop-1280",
		ThumbnailURL: base + "/thumbnail-320",
	}
}

// AvatarURL derives a profile's avatar URL from its id.
func AvatarURL(profileID string) string {
	return "/media/avatars/" + profileID + ".png"
}

// TitleFilter narrows a title listing or a search; zero fields match all.
type TitleFilter struct {
	Kind            string
	Genres          []string
	ReleaseYearFrom int // 0: unbounded
	ReleaseYearTo   int // 0: unbounded
	MaturityRatings []string
}

// TitleCursor is the position after which a title listing continues:
// listings are ordered by name, then id.
type TitleCursor struct {
	Name string
	ID   string
}

// TitleQuery asks a store for one page of titles.
type TitleQuery struct {
	Filter TitleFilter
	// After, when set, starts the page after this position.
	After *TitleCursor
	// Limit is the page size, at least 1.
	Limit int
}

// TitlePage is one page of a title listing.
type TitlePage struct {
	Titles []Title
	// Total counts every title matching the filter, across pages.
	Total int
	// HasNext tells whether titles follow this page.
	HasNext bool
}

// Dataset is the whole catalog, as seeded.
type Dataset struct {
	Genres   []Genre
	People   []Person
	Titles   []Title
	Credits  []Credit
	Seasons  []Season
	Profiles []Profile
	MyList   []ListEntry
}
