package seed

var (
	firstNames   = []string{"Ava", "Liam", "Maya", "Noah", "Iris", "Omar", "Lena", "Theo", "Zara", "Felix", "Nina", "Hugo", "Mira", "Ezra", "Clara", "Jonas", "Aiko", "Mateo", "Priya", "Kofi", "Elena", "Ravi", "Sofia", "Yusuf", "Ingrid", "Diego", "Hana", "Tomas", "Leila", "Viktor", "Amara", "Sven", "Lucia", "Kenji", "Freya", "Malik", "Chloe", "Anton", "Nadia", "Oscar"}
	lastNames    = []string{"Alvarez", "Bergstrom", "Chen", "Dubois", "Eriksen", "Fontaine", "Garcia", "Hoffman", "Ibarra", "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rossi", "Sato", "Torres", "Underwood", "Varga", "Whitaker", "Xu", "Yamada", "Zimmerman", "Abbott", "Brennan", "Castillo", "Delgado", "Ellison", "Farouk", "Grant", "Haddad", "Ivanova", "Juarez", "Kaur", "Lindqvist", "Mbeki", "Novak"}
	adjectives   = []string{"Silent", "Crimson", "Hidden", "Broken", "Golden", "Last", "Midnight", "Electric", "Frozen", "Wild", "Distant", "Burning", "Quiet", "Hollow", "Restless", "Secret", "Shattered", "Endless", "Velvet", "Iron", "Lonely", "Neon", "Savage", "Gentle", "Forgotten"}
	nouns        = []string{"Harbor", "Protocol", "Kingdom", "Signal", "Orchard", "Frontier", "Witness", "Horizon", "Circuit", "Lantern", "Empire", "Voyage", "Cipher", "Garden", "Tide", "Summit", "Echo", "Mirror", "Station", "Outpost", "Covenant", "Labyrinth", "Meridian", "Paradox", "Requiem"}
	places       = []string{"Winter", "the North", "Avalon", "the Deep", "Tomorrow", "Lisbon", "the Desert", "Mars", "the Valley", "Kyoto", "the Archipelago", "Berlin", "the Canyon", "Havana", "the Steppe", "Reykjavik", "the Delta", "Marrakesh"}
	suffixes     = []string{"Rising", "Returns", "Files", "Affair", "Chronicles", "Conspiracy", "Legacy", "Awakening", "Experiment", "Diaries"}
	episodeBeats = []string{"Old rivals meet again in", "A secret surfaces in", "The team splits up across", "An unexpected guest arrives in", "Everything goes wrong in", "A truce is tested in"}

	positiveLines = []string{"This is amazing, best episode so far!", "I love this soundtrack so much", "Wow, what a brilliant twist", "Great acting from the whole cast", "This scene is beautiful", "Absolutely fantastic, I'm hooked", "Such a fun movie, love it", "The ending was perfect", "Best show I've watched this year", "Wonderful chemistry between the leads"}
	negativeLines = []string{"This is so boring, nothing happens", "Terrible dialogue, I hate it", "Worst plot twist ever", "The pacing is awful", "I'm disappointed, the book was better", "Ugh, this scene is painful to watch", "What a waste of a great cast", "Bad CGI ruins it", "This makes no sense at all", "So predictable and dull"}
	neutralLines  = []string{"Who is that guy again?", "Wait, is this the same city as before?", "Starting episode two now", "Anyone else watching from Lisbon?", "Pausing for snacks", "How long is this one?", "I think this was filmed in Iceland", "Back, what did I miss?", "The score is by the same composer as last season", "Rewinding to catch that line"}
)

// Synopsis vocabulary. The catalog's synopses are composed from these with a
// stream of their own per title (see synopsisRand), so they can grow without
// shifting anything else the generator draws.
var (
	// roleNouns are who a hero is; the article is chosen to fit.
	roleNouns = []string{"detective", "pilot", "schoolteacher", "thief", "marine biologist", "journalist", "chef", "soldier", "cellist", "smuggler", "surgeon", "architect", "astronomer", "lighthouse keeper", "interpreter", "engineer", "archivist", "boxer", "ornithologist", "ex-convict", "sheep farmer", "insurance clerk", "street magician", "museum guard"}
	// roleAdjectives sharpen a role now and then.
	roleAdjectives = []string{"retired", "young", "disgraced", "idealistic", "exhausted", "unemployed", "ambitious", "reluctant", "overworked", "eccentric", "honest", "anxious"}
	// settings are where a story takes place, written as they are spelt.
	settings = []string{"Lisbon", "Kyoto", "Berlin", "Havana", "Reykjavik", "Marrakesh", "Istanbul", "Buenos Aires", "Naples", "Montreal", "Seoul", "Cape Town", "Mumbai", "Edinburgh", "Vienna", "Mexico City", "Oslo", "Lagos", "the Scottish Highlands", "the Mojave Desert", "the Mekong Delta", "a colony on Mars", "a fishing village in Norway", "the Amazon basin", "coastal Maine", "the Alps"}
	// openers set the scene before the hero is named; each ends with a comma.
	openers = []string{"Years after the war,", "On the eve of a great storm,", "When a letter arrives from the past,", "Deep in the winter of 1989,", "After a disappearance shakes the neighbourhood,", "On the last night of the festival,", "With the rent overdue and time running out,", "Against every odd,"}
	// genrePlots are what happens, by genre slug: verb phrases that follow
	// the hero's name.
	genrePlots = map[string][]string{
		"action":      {"has one night to get a witness across the city alive", "fights back when a crew of mercenaries seizes the harbour", "is drawn into a chase that leaves no road unguarded"},
		"adventure":   {"follows an old map toward a lost city", "crosses the mountains in search of a missing expedition", "joins a ragtag crew hunting a legendary shipwreck"},
		"animation":   {"befriends a talking fox who has lost its way home", "builds a rocket out of scrap to reach the moon", "discovers that the toys in the attic have a kingdom of their own"},
		"comedy":      {"accidentally books two weddings on the same day", "pretends to be a famous chef to impress an old rival", "inherits a failing bowling alley and a very stubborn goat"},
		"crime":       {"is pulled into a heist that goes wrong from the first minute", "investigates a string of burglaries that point back to the police", "takes the fall for a murder and sets out to find the real killer"},
		"documentary": {"spends a year with the last glassblowers of the old town", "follows the people trying to save a dying coral reef", "retraces a forgotten expedition with the original diaries in hand"},
		"drama":       {"comes home to care for an ailing parent and an unfinished family quarrel", "fights to keep the family bakery open through a hard year", "faces the choice between a career abroad and the people left behind"},
		"family":      {"leads a group of neighbourhood kids on a quest to save the local park", "teaches a clumsy rescue dog to compete in the county fair", "spends a summer with eccentric grandparents and learns their secret"},
		"fantasy":     {"is chosen by an ancient sword that nobody else can lift", "bargains with a river spirit to break a family curse", "stumbles through a door into a kingdom ruled by dreams"},
		"horror":      {"moves into an old house where something in the walls is awake", "hears voices on the radio that predict each new death", "wakes every night at three to find the doors unlocked"},
		"mystery":     {"receives anonymous letters describing crimes before they happen", "searches for a sister who vanished without a trace", "unravels a decades-old disappearance at a seaside hotel"},
		"romance":     {"falls for a stranger met on a delayed night train", "rekindles a summer love twenty years too late", "agrees to a fake engagement that becomes alarmingly real"},
		"sci-fi":      {"decodes a signal from deep space that rewrites the laws of physics", "wakes from cryosleep to find the colony ship off course", "discovers a machine that can replay any moment of the past"},
		"thriller":    {"uncovers a conspiracy that reaches the highest office", "is framed for a leak and has forty-eight hours to clear a name", "realises that the new neighbour knows far too much"},
		"war":         {"leads a small unit behind enemy lines", "smuggles refugees across a frontier under fire", "keeps a field hospital running through a brutal winter siege"},
		"western":     {"rides into a frontier town to settle an old debt", "defends a homestead against a ruthless cattle baron", "tracks a gang of train robbers across the desert"},
	}
	// genreCodas close a synopsis with its tone, by genre slug.
	genreCodas = map[string][]string{
		"action":      {"Relentless, loud and fast.", "An action ride with hardly a pause for breath."},
		"adventure":   {"A sweeping adventure in the classic mould.", "Danger waits around every bend."},
		"animation":   {"A hand-drawn animated tale for every age.", "Animated with warmth and wit."},
		"comedy":      {"A warm comedy of bad decisions.", "Chaos, then more chaos, then cake."},
		"crime":       {"A crime story where everyone has something to hide.", "Nobody walks away clean."},
		"documentary": {"A patient, moving documentary.", "Filmed over twelve months with unprecedented access."},
		"drama":       {"A quiet, deeply felt drama.", "An intimate portrait of a family under strain."},
		"family":      {"Fun for the whole family.", "A gentle story for children and their parents."},
		"fantasy":     {"A fantasy of old magic and new courage.", "Myth and wonder collide."},
		"horror":      {"A slow-burning horror that lingers.", "Do not watch it alone."},
		"mystery":     {"A puzzle box of a mystery.", "Every clue hides another question."},
		"romance":     {"A bittersweet romance.", "Love, as ever, arrives at the worst possible moment."},
		"sci-fi":      {"Cerebral science fiction with a human heart.", "A science fiction story about what makes us human."},
		"thriller":    {"A taut thriller full of twists.", "Trust no one."},
		"war":         {"A harrowing war story.", "Courage has a price."},
		"western":     {"A dusty western of revenge and redemption.", "The frontier forgives nothing."},
	}
)
