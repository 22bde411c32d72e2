package sentiment

import (
	"sync"
	"testing"
)

func TestChatLabels(t *testing.T) {
	t.Parallel()
	model := NewChat()
	cases := []struct {
		text string
		want Label
	}{
		// What VADER already gets right stays right.
		{"This is amazing, best episode so far!", Positive},
		{"Terrible dialogue, I hate it", Negative},
		{"This is not good at all", Negative},
		{"Starting episode two now", Neutral},
		{"Who is that guy again?", Neutral},
		{"", Neutral},
		// What VADER misses.
		{"What a twist!", Positive},
		{"I think this was filmed in Iceland", Neutral},
		{"🔥🔥", Positive},
		{"😭😭 this scene", Positive},
		{"❤️", Positive},
		{"🙄", Negative},
		{"this slaps", Positive},
		{"kinda mid", Negative},
		{"not mid at all", Positive},
		{"SOOOO good", Positive},
		{"plot hole", Negative},
		{"didn't see that coming", Positive},
		{"saw that coming", Negative},
		{"ok", Neutral},
		{"press play", Neutral},
		{"he was in Breaking Bad right?", Neutral},
		{"oh great, another montage", Negative},
		{"brilliant, another recap episode", Negative},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			got := model.Score(tc.text)
			if got.Label != tc.want {
				t.Fatalf("Score(%q) = %+v, want label %s (normalised %q)", tc.text, got, tc.want, model.normalise(tc.text))
			}
			if got.Score < -1 || got.Score > 1 {
				t.Fatalf("score %v out of range", got.Score)
			}
			if got.Model != ChatName || model.Name() != ChatName {
				t.Fatalf("model = %q, Name %q; want %q", got.Model, model.Name(), ChatName)
			}
		})
	}
}

func TestChatLeavesVaderAlone(t *testing.T) {
	t.Parallel()
	// The chat model's lexicon is its own copy: building it must not change
	// what a VADER model says.
	_ = NewChat()
	if got := NewVader().Score("🔥🔥🔥"); got.Label != Negative {
		t.Fatalf("VADER on fire emoji = %+v, want its own negative reading", got)
	}
}

func TestChatConcurrent(t *testing.T) {
	t.Parallel()
	model := NewChat()
	want := model.Score("sooo good 😭🔥")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if got := model.Score("sooo good 😭🔥"); got != want {
					t.Errorf("Score = %+v, want %+v", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestSqueeze(t *testing.T) {
	t.Parallel()
	cases := []struct {
		word string
		keep int
		want string
	}{
		{"sooo", 2, "soo"}, {"sooo", 1, "so"}, {"YESSS", 1, "YES"}, {"good", 1, "good"},
		{"LMAOooo", 1, "LMAO"}, {"zzz", 2, "zz"}, {"", 1, ""},
	}
	for _, tc := range cases {
		t.Run(tc.word, func(t *testing.T) {
			t.Parallel()
			if got := squeeze(tc.word, tc.keep); got != tc.want {
				t.Fatalf("squeeze(%q, %d) = %q, want %q", tc.word, tc.keep, got, tc.want)
			}
		})
	}
}
