package sentiment

import (
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jonreiter/govader"
)

// ChatName is the model name the chat model's results carry.
const ChatName = "vader-chat-v1"

// Chat is VADER adapted to watch-party chat about films and series: its own
// copy of VADER's lexicon, extended with chat slang, viewing vocabulary and
// emoji as chat uses them (😭, 💀 and 😂 for laughing or being moved, 🙄 for
// disdain), with plot vocabulary (villain, war, bomb) and player controls
// (play, ok) made neutral; text is normalised before scoring (stretched
// words, emoji variation selectors, set phrases, capitalised titles) and
// sarcastic praise is turned negative. VADER's own rules for negation,
// boosters, caps and "but" then apply to the new words too. Scores are
// VADER compound scores, so LabelFor's threshold stays.
type Chat struct {
	analyzer *govader.SentimentIntensityAnalyzer
	// known is every lowercase token the analyzer gives a meaning to:
	// lexicon words and boosters.
	known map[string]bool
}

// NewChat builds the chat model. Like Vader, one Chat serves all goroutines:
// its analyzer only reads its tables after construction.
func NewChat() *Chat {
	a := govader.NewSentimentIntensityAnalyzer()
	for word, valence := range chatLexicon {
		a.Lexicon[word] = valence
	}
	for word, scale := range chatBoosters {
		a.Constants.BoosterDict[word] = scale
	}
	for emoji, token := range chatEmoji {
		a.EmojiDict[emoji] = token
	}
	known := make(map[string]bool, len(a.Lexicon)+len(a.Constants.BoosterDict))
	for word := range a.Lexicon {
		known[word] = true
	}
	for word := range a.Constants.BoosterDict {
		known[word] = true
	}
	return &Chat{analyzer: a, known: known}
}

// Name implements Model.
func (c *Chat) Name() string { return ChatName }

// Score implements Model.
func (c *Chat) Score(text string) Result {
	score := c.analyzer.PolarityScores(c.normalise(text)).Compound
	if sarcastic(text) {
		// Praise said with a sarcasm cue means its opposite; a cue on
		// neutral words is still a complaint.
		score = -math.Max(math.Abs(score), sarcasmFloor)
	}
	score = clamp(score)
	return Result{Label: LabelFor(score), Score: score, Model: ChatName}
}

// sarcasmFloor is the least negative score of a sarcastic message: clearly
// past Threshold.
const sarcasmFloor = 0.3

// chatLexicon adds to VADER's lexicon (valences on its -4..4 scale) or
// overrides it. Phrase tokens (chatPhrases) are spelled as one word.
var chatLexicon = map[string]float64{
	// Chat slang.
	"slaps": 2.5, "slapped": 2.5, "goated": 3, "goat": 2.5, "peak": 2, "banger": 2.5, "bangers": 2.5,
	"iconic": 2.5, "immaculate": 2.5, "fire": 2.2, "insane": 1.8, "unreal": 1.8,
	"wholesome": 2, "w": 2, "l": -2, "mid": -1.8, "meh": -1.5, "trash": -2.5,
	"cringe": -2, "cringey": -2, "cringy": -2, "ew": -2, "eww": -2, "oof": -1.2, "zzz": -1.8,
	"rough": -1.5, "obsessed": 1.5, "favourite": 2, "favourites": 2, "lmao": 2.2, "lmfao": 2.2, "rofl": 2.2, "wheezing": 2,
	// Viewing vocabulary.
	"masterpiece": 3.2, "rewatch": 1.2, "rewatching": 1.2, "binge": 1, "bingeworthy": 2.5,
	"underrated": 1.8, "overrated": -2, "predictable": -1.5, "pointless": -2,
	"unwatchable": -3, "unbearable": -2.5, "letdown": -2.5, "cheesy": -1.5, "filler": -1.8,
	"dragging": -1.5, "drags": -1.5, "hooked": 1.8, "chills": 1.5, "goosebumps": 1.5,
	"spoiled": -1.5, "rewatchable": 2,
	// Phrase tokens (chatPhrases).
	"cgwhatatwist": 2.5, "cgplothole": -2, "cgmindblown": 2.5, "cgspoton": 2.5,
	"cggoeshard": 2.5, "cgstillhits": 2, "cgnocrumbs": 2.5, "cgperfectscore": 3,
	"cgaplus": 2.5, "cgedgeofseat": 2, "cgfelloff": -2, "cgcashgrab": -2,
	"cgsawitcoming": -1.5, "cgzerosense": -2, "cgnothinghappens": -1.5,
	"cgdropping": -2, "cgnotit": -2, "cgneveragain": -2, "cgwantback": -2,
	"cgbetterbefore": -1.5, "cgskip": -1.2, "cglaughing": 2,
	// Player controls and acknowledgements carry no opinion in a watch party.
	"ok": 0, "okay": 0, "play": 0, "playing": 0, "pls": 0, "please": 0, "plz": 0,
	"want": 0, "ready": 0,
	// Plot vocabulary describes the story, not the viewer's feeling.
	"villain": 0, "villains": 0, "war": 0, "wars": 0, "bomb": 0, "murder": 0,
	"murderer": 0, "killer": 0, "crime": 0, "criminal": 0, "prison": 0,
	"enemy": 0, "monster": 0, "weapon": 0, "gun": 0, "battle": 0, "victim": 0,
	"alibi": 0,
	// Emoji tokens (chatEmoji).
	"cgemojilove": 3, "cgemojifire": 2.5, "cgemojisob": 1.5, "cgemojiskull": 1.5,
	"cgemojilaugh": 2, "cgemojiclap": 2, "cgemojigood": 1.8, "cgemojimoved": 1.8,
	"cgemojiwow": 1.8, "cgemojieyeroll": -2.5, "cgemojibored": -2,
	"cgemojisick": -3, "cgemojiangry": -2.5, "cgemojiannoyed": -2,
	"cgemojiawkward": -1.5, "cgemojibad": -2,
}

// chatBoosters are hedges and intensifiers VADER lacks, as scale changes of
// the next sentiment word (VADER's booster increment is 0.293).
var chatBoosters = map[string]float64{
	"lowkey": -0.293, "highkey": 0.293, "sooo": 0.293, "af": 0.293, "mega": 0.293,
}

// chatEmoji replaces VADER's emoji descriptions (which score 😭 as crying
// and 🔥 as a fire) with tokens of chatLexicon; "" makes an emoji neutral.
var chatEmoji = map[string]string{
	"😍": "cgemojilove", "🥰": "cgemojilove", "❤": "cgemojilove", "💕": "cgemojilove",
	"💖": "cgemojilove", "😻": "cgemojilove",
	"🔥": "cgemojifire", "💯": "cgemojifire",
	"😭": "cgemojisob", "💀": "cgemojiskull", "☠": "cgemojiskull",
	"😂": "cgemojilaugh", "🤣": "cgemojilaugh", "😆": "cgemojilaugh",
	"👏": "cgemojiclap", "🙌": "cgemojiclap", "👌": "cgemojigood", "🤌": "cgemojigood",
	"👍": "cgemojigood", "🥹": "cgemojimoved", "🥺": "cgemojimoved",
	"🤯": "cgemojiwow", "😱": "cgemojiwow",
	"🙄": "cgemojieyeroll", "😴": "cgemojibored", "🥱": "cgemojibored",
	"🤮": "cgemojisick", "🤢": "cgemojisick", "😡": "cgemojiangry", "🤬": "cgemojiangry",
	"😤": "cgemojiannoyed", "😒": "cgemojiannoyed", "😑": "cgemojiannoyed",
	"😬": "cgemojiawkward", "🗑": "cgemojibad", "👎": "cgemojibad",
	"👋": "", "🍿": "", "👀": "", "🤔": "", "😳": "", "🎻": "", "📺": "", "🎬": "",
}

// chatPhrases rewrite set phrases of chat into single tokens (or drop
// them), matched case-insensitively on whole words.
var chatPhrases = []struct {
	re   *regexp.Regexp
	with string
}{
	{phrase(`what a (twist|plot twist|reveal|ending)`), "cgwhatatwist"},
	{phrase(`plot holes?`), "cgplothole"},
	{phrase(`mind\W*(=\W*)?blown|blew my mind`), "cgmindblown"},
	{phrase(`spot on`), "cgspoton"},
	{phrase(`goes hard|went hard`), "cggoeshard"},
	{phrase(`still hits`), "cgstillhits"},
	{phrase(`(left )?no crumbs`), "cgnocrumbs"},
	{phrase(`10/10|11/10`), "cgperfectscore"},
	{phrase(`a\+`), "cgaplus"},
	{phrase(`edge of (my|our|the) seats?`), "cgedgeofseat"},
	{phrase(`fell off|falls off`), "cgfelloff"},
	{phrase(`cash ?grab`), "cgcashgrab"},
	{phrase(`(saw|see|seen) (it|that|this) coming|coming a mile away`), "cgsawitcoming"},
	{phrase(`makes? (zero|no) sense`), "cgzerosense"},
	{phrase(`nothing (happens|happened)`), "cgnothinghappens"},
	{phrase(`dropping (this|it)`), "cgdropping"},
	{phrase(`(this|that) (is|was) not it|(this|that) ain'?t it`), "cgnotit"},
	{phrase(`never again`), "cgneveragain"},
	{phrase(`want (my|our) .{1,20} back`), "cgwantback"},
	{phrase(`(the )?(first|original|last) (one|season|film|movie) was better`), "cgbetterbefore"},
	{phrase(`skip (this|it)`), "cgskip"},
	{phrase(`i'?m (dead|screaming|crying|deceased)|i cannot|i can'?t even`), "cglaughing"},
	{phrase(`binge[- ]?worthy`), "bingeworthy"},
	// Neutral set phrases whose words VADER reads as sentiment.
	{phrase(`no spoilers?`), "spoilerfree"},
	{phrase(`true story`), "truestory"},
	{phrase(`laugh track`), "laughtrack"},
	{phrase(`dream sequence`), "dreamsequence"},
	{phrase(`no cap|ngl|not gonna lie|tbh|fr`), ""},
	// Surprise at liking something is not negation of the liking.
	{phrase(`didn'?t expect to|did not expect to|wasn'?t expecting( much)?( but)?|can'?t stop`), ""},
}

func phrase(expr string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)(^|[^\pL\pN])(` + expr + `)($|[^\pL\pN])`)
}

// emojiModifiers are code points that decorate the emoji before them
// (variation selectors, skin tones, joiners) and would glue VADER's emoji
// description to the next word.
func emojiModifier(r rune) bool {
	return r == 0xFE0F || r == 0xFE0E || r == 0x200D || (r >= 0x1F3FB && r <= 0x1F3FF)
}

var stretched = regexp.MustCompile(`\pL+`)

// normalise prepares text for the analyzer.
func (c *Chat) normalise(text string) string {
	text = strings.Map(func(r rune) rune {
		if emojiModifier(r) {
			return -1
		}
		return r
	}, text)
	for _, p := range chatPhrases {
		text = p.re.ReplaceAllStringFunc(text, func(m string) string {
			sub := p.re.FindStringSubmatch(m)
			with := p.with
			if with != "" && isUpper(sub[2]) {
				with = strings.ToUpper(with)
			}
			return sub[1] + with + sub[len(sub)-1]
		})
	}
	text = stretched.ReplaceAllStringFunc(text, c.unstretch)
	return c.neutraliseTitles(text)
}

// unstretch shortens a word stretched for emphasis ("sooo", "YESSS",
// "lmaooo") to the first of its two- and one-letter-run forms that the
// analyzer knows, keeping its case; a word it knows already stays.
func (c *Chat) unstretch(word string) string {
	lower := strings.ToLower(word)
	if c.known[lower] {
		return word
	}
	for _, keep := range []int{2, 1} {
		short := squeeze(word, keep)
		if c.known[strings.ToLower(short)] {
			return short
		}
	}
	return word
}

// squeeze cuts every run of one letter (case-insensitively) to at most keep
// letters, but only runs of three or more: "sooo" → "soo" or "so", "good"
// stays.
func squeeze(word string, keep int) string {
	var b strings.Builder
	runes := []rune(word)
	for i := 0; i < len(runes); {
		j := i
		for j < len(runes) && unicode.ToLower(runes[j]) == unicode.ToLower(runes[i]) {
			j++
		}
		n := j - i
		if n >= 3 {
			n = keep
		}
		b.WriteString(string(runes[i : i+n]))
		i = j
	}
	return b.String()
}

// neutraliseTitles drops the sentiment of capitalised words inside a
// sentence (he was in Breaking Bad): in chat they are names and titles, not
// opinions. A message written all in capitals or in title case is left
// alone.
func (c *Chat) neutraliseTitles(text string) string {
	words := strings.Split(text, " ")
	titled := 0
	for _, w := range words {
		if capitalised(w) || isUpper(w) {
			titled++
		}
	}
	if titled == len(words) {
		return text
	}
	startOfSentence := true
	for i, w := range words {
		if w == "" {
			continue
		}
		core := strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
		if !startOfSentence && capitalised(core) && c.known[strings.ToLower(core)] {
			words[i] = strings.Replace(w, core, "Title", 1)
		}
		last, _ := utf8.DecodeLastRuneInString(w)
		startOfSentence = strings.ContainsRune(".!?", last)
	}
	return strings.Join(words, " ")
}

// capitalised reports whether w is a word of two or more letters with only
// its first in upper case.
func capitalised(w string) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	for i, r := range w {
		if !unicode.IsLetter(r) || (i == 0) != unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// isUpper reports whether s has letters and all of them are upper case.
func isUpper(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters = true
		}
	}
	return letters
}

var sarcasmCues = regexp.MustCompile(`(?i)` +
	// Praise opening a complaint: "oh great", "great, another", "yeah right".
	`^\W*(oh\W+(great|wonderful|perfect|joy|fantastic|lovely|brilliant|good)\b` +
	`|(great|wonderful|perfect|fantastic|lovely|brilliant|amazing)\W+(another|again|more)\b` +
	`|yeah\W+(right|sure|totally)\b|sure\W+because\b|(wow\W+)?what\W+a\W+surprise\b)`)

// sarcastic reports whether text carries a sarcasm cue: an eye roll or
// praise opening a complaint.
func sarcastic(text string) bool {
	return strings.ContainsRune(text, '🙄') || sarcasmCues.MatchString(text)
}
