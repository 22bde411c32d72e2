package artwork_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cinegraph/cinegraph/internal/artwork"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func mustSVG(t *testing.T, ti artwork.Title, shape artwork.Shape, width int) []byte {
	t.Helper()
	b, err := artwork.SVG(ti, shape, width)
	if err != nil {
		t.Fatalf("SVG(%+v, %s, %d): %v", ti, shape, width, err)
	}
	return b
}

// parse checks b is well-formed XML with an svg root and returns its
// character data.
func parse(t *testing.T, b []byte) (root xml.Name, text string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var sb strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root.Local == "" {
				root = tok.Name
			}
		case xml.CharData:
			sb.Write(tok)
		}
	}
	return root, sb.String()
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	ti := artwork.Title{ID: "t0001", Name: "The Quiet Harbor", Genre: "drama"}
	for shape, widths := range artwork.Widths {
		for _, w := range widths {
			if a, b := mustSVG(t, ti, shape, w), mustSVG(t, ti, shape, w); !bytes.Equal(a, b) {
				t.Errorf("%s-%d: two drawings of one title differ", shape, w)
			}
		}
	}
}

func TestDifferentTitlesDiffer(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, id := range []string{"t0001", "t0002", "t0003", "t0100", "t0519"} {
		// Same name and genre: only the id differs.
		b := string(mustSVG(t, artwork.Title{ID: id, Name: "Same Name", Genre: "sci-fi"}, artwork.Poster, 342))
		if other, ok := seen[b]; ok {
			t.Errorf("%s and %s drew the same poster", id, other)
		}
		seen[b] = id
	}
}

func TestValidSVG(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		title artwork.Title
	}{
		{"plain", artwork.Title{ID: "t0001", Name: "Harbor", Genre: "drama"}},
		{"markup in the name", artwork.Title{ID: "t0002", Name: `<script>alert("x")</script> & "Sons" 'n' ]]>`, Genre: "horror"}},
		{"control characters", artwork.Title{ID: "t0003", Name: "Bell\x07 \x00Tower\ttwo\nlines", Genre: "mystery"}},
		{"unknown genre", artwork.Title{ID: "t0004", Name: "No Genre", Genre: "opera"}},
		{"empty name", artwork.Title{ID: "t0005"}},
		{"very long name", artwork.Title{ID: "t0006", Name: strings.Repeat("Supercalifragilistic ", 12), Genre: "comedy"}},
		{"non-latin name", artwork.Title{ID: "t0007", Name: "千と千尋の神隠し — Ёлка", Genre: "animation"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for shape, widths := range artwork.Widths {
				b := mustSVG(t, tc.title, shape, widths[0])
				root, text := parse(t, b)
				if root.Local != "svg" || root.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("%s: root %v, want svg in the SVG namespace", shape, root)
				}
				if bytes.Contains(b, []byte("<script")) {
					t.Errorf("%s: the name's markup reached the document:\n%s", shape, b)
				}
				if tc.name == "markup in the name" && !strings.Contains(text, `<script>alert("x")</script> & "Sons"`) {
					t.Errorf("%s: text %q lost the name's characters", shape, text)
				}
			}
		})
	}
}

func TestSizes(t *testing.T) {
	t.Parallel()
	ti := artwork.Title{ID: "t0001", Name: "Harbor"}
	for _, tc := range []struct {
		shape  artwork.Shape
		width  int
		height int
		err    bool
	}{
		{artwork.Poster, 342, 513, false},
		{artwork.Poster, 780, 1170, false},
		{artwork.Backdrop, 1280, 720, false},
		{artwork.Thumbnail, 320, 180, false},
		{artwork.Poster, 343, 0, true},
		{artwork.Backdrop, 342, 0, true},
		{"banner", 500, 0, true},
	} {
		t.Run(string(tc.shape), func(t *testing.T) {
			b, err := artwork.SVG(ti, tc.shape, tc.width)
			if tc.err {
				if !errors.Is(err, artwork.ErrSize) {
					t.Fatalf("SVG(%s, %d) = %v, want ErrSize", tc.shape, tc.width, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var head struct {
				Width  int `xml:"width,attr"`
				Height int `xml:"height,attr"`
			}
			if err := xml.Unmarshal(b, &head); err != nil {
				t.Fatal(err)
			}
			if head.Width != tc.width || head.Height != tc.height {
				t.Errorf("drawn %dx%d, want %dx%d", head.Width, head.Height, tc.width, tc.height)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file  string
		title artwork.Title
		shape artwork.Shape
		width int
	}{
		{"poster-t0001.svg", artwork.Title{ID: "t0001", Name: "The Quiet Harbor", Genre: "drama"}, artwork.Poster, 342},
		{"backdrop-t0328.svg", artwork.Title{ID: "t0328", Name: `Fire & "Ice" <Redux>`, Genre: "sci-fi"}, artwork.Backdrop, 1280},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got := mustSVG(t, tc.title, tc.shape, tc.width)
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file (run with -update if intended)", path)
			}
		})
	}
}
