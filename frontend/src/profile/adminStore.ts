// Whether the demo sign-in asks for the admin scope (the ops console), kept
// in localStorage beside the chosen profile.

export const ADMIN_STORAGE_KEY = "cinegraph.admin";

export function readAdmin(storage: Pick<Storage, "getItem"> | undefined = safeStorage()): boolean {
  return storage?.getItem(ADMIN_STORAGE_KEY) === "true";
}

export function writeAdmin(admin: boolean, storage: Pick<Storage, "setItem" | "removeItem"> | undefined = safeStorage()): void {
  if (admin) storage?.setItem(ADMIN_STORAGE_KEY, "true");
  else storage?.removeItem(ADMIN_STORAGE_KEY);
}

// localStorage throws in some privacy modes; the app then runs without admin.
function safeStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
