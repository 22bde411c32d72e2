import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { readProfile, writeProfile } from "./profileStore";

interface ProfileContextValue {
  profile: string;
  setProfile: (profile: string) => void;
}

const ProfileContext = createContext<ProfileContextValue>({
  profile: readProfile(undefined),
  setProfile: () => {},
});

/** Holds the chosen profile and persists changes. */
export function ProfileProvider({ children }: { children: ReactNode }) {
  const [profile, setState] = useState(() => readProfile());
  const setProfile = useCallback((next: string) => {
    writeProfile(next);
    setState(next);
  }, []);
  const value = useMemo(() => ({ profile, setProfile }), [profile, setProfile]);
  return <ProfileContext.Provider value={value}>{children}</ProfileContext.Provider>;
}

export function useProfile(): ProfileContextValue {
  return useContext(ProfileContext);
}
