// The demo profile the viewer signed in as, kept in localStorage so every
// tab and the playground ask for demo tokens for the same one.

export const DEFAULT_PROFILE = "profile-1";
export const PROFILE_STORAGE_KEY = "cinegraph.profile";

/** Profiles seeded by the server. */
export const SEEDED_PROFILES = ["profile-1", "profile-2", "profile-3", "profile-4", "profile-5"];

/**
 * The seeded profiles' names (internal/seed profiles()). The API names only
 * the signed-in viewer (Query.viewer), and the menu lists profiles before
 * any of them has signed in, so the names are kept here.
 */
export const SEEDED_PROFILE_NAMES: Readonly<Record<string, string>> = {
  "profile-1": "Ada",
  "profile-2": "Grace",
  "profile-3": "Linus",
  "profile-4": "Margaret",
  "profile-5": "Alan",
};

/** A profile's display name: its seeded name, else its id. */
export function profileName(profile: string): string {
  return SEEDED_PROFILE_NAMES[profile] ?? profile;
}

export function readProfile(storage: Pick<Storage, "getItem"> | undefined = safeStorage()): string {
  const stored = storage?.getItem(PROFILE_STORAGE_KEY);
  return stored && stored.trim() !== "" ? stored : DEFAULT_PROFILE;
}

export function writeProfile(
  profile: string,
  storage: Pick<Storage, "setItem"> | undefined = safeStorage(),
): void {
  storage?.setItem(PROFILE_STORAGE_KEY, profile);
}

// localStorage throws in some privacy modes; the app then runs on the default.
function safeStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
