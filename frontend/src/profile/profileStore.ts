// The demo profile the viewer signed in as, kept in localStorage so every
// tab and the playground ask for demo tokens for the same one.

export const DEFAULT_PROFILE = "profile-1";
export const PROFILE_STORAGE_KEY = "cinegraph.profile";

/** Profiles seeded by the server. */
export const SEEDED_PROFILES = ["profile-1", "profile-2", "profile-3", "profile-4", "profile-5"];

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
