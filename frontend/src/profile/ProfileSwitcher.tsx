import { Alert, Box, MenuItem, Snackbar, TextField } from "@mui/material";
import { userLabel } from "../auth/oidc";
import { useLocation } from "../routing/router";
import { useProfile } from "./ProfileContext";
import { ProfileAvatar } from "./ProfileAvatar";
import { profileName, SEEDED_PROFILES } from "./profileStore";

const SIGN_IN = "action:sign-in";
const SIGN_OUT = "action:sign-out";
const OIDC_USER = "oidc";
const ANONYMOUS = "anonymous";
const demoValue = (profile: string) => `demo:${profile}`;

/**
 * The "Signed in as" menu: the user signed in at the OpenID Connect provider
 * (with "Sign out"), or "Sign in with <provider>" when /auth/config names
 * one; the seeded demo profiles, by name with their avatars, when the
 * server hands out demo tokens.
 */
export function ProfileSwitcher() {
  const { profile, setProfile, config, identity, oidc, signIn, signOut, authError, clearAuthError } = useProfile();
  const { pathname, search } = useLocation();

  // The provider's entries first, a line under them, then the demo profiles.
  // Entries with an avatar name whose initials it shows.
  type Entry = { value: string; label: string; avatar?: { name: string; key: string } };
  const entries: Entry[] = [];
  if (identity.kind === "oidc") {
    const name = identity.user.name ?? identity.user.email ?? identity.user.subject;
    entries.push(
      { value: OIDC_USER, label: userLabel(identity.user), avatar: { name, key: identity.user.subject } },
      { value: SIGN_OUT, label: "Sign out" },
    );
  } else if (oidc) {
    entries.push({ value: SIGN_IN, label: `Sign in with ${oidc.providerName}` });
  }
  if (identity.kind === "anonymous") entries.push({ value: ANONYMOUS, label: "Not signed in" });
  const demo: Entry[] = !config.demoTokens
    ? []
    : (SEEDED_PROFILES.includes(profile) ? SEEDED_PROFILES : [profile, ...SEEDED_PROFILES]).map((p) => ({
        value: demoValue(p),
        label: profileName(p),
        avatar: { name: profileName(p), key: p },
      }));
  const all = [...entries, ...demo];
  const content = ({ label, avatar }: Entry) => (
    <Box component="span" sx={{ display: "flex", alignItems: "center", gap: 1, minWidth: 0 }}>
      {avatar && <ProfileAvatar name={avatar.name} colorKey={avatar.key} />}
      <Box component="span" data-label sx={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
        {label}
      </Box>
    </Box>
  );
  const items = all.map((entry, i) => (
    <MenuItem key={entry.value} value={entry.value} divider={i === entries.length - 1 && demo.length > 0}>
      {content(entry)}
    </MenuItem>
  ));

  const value =
    identity.kind === "oidc" ? OIDC_USER : identity.kind === "demo" ? demoValue(identity.profile) : ANONYMOUS;
  const onChange = (next: unknown) => {
    if (typeof next !== "string") return;
    if (next === SIGN_IN) signIn(`${pathname}${search}`);
    else if (next === SIGN_OUT) signOut();
    else if (next.startsWith("demo:")) setProfile(next.slice("demo:".length));
  };

  return (
    <>
      <TextField
        select
        size="small"
        label="Signed in as"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        sx={{ minWidth: 150, maxWidth: 280 }}
        slotProps={{
          select: {
            renderValue: (selected) => {
              const entry = all.find((e) => e.value === selected);
              return entry ? content(entry) : String(selected);
            },
          },
        }}
      >
        {items}
      </TextField>
      <Snackbar open={authError !== null} onClose={clearAuthError} anchorOrigin={{ vertical: "top", horizontal: "right" }}>
        <Alert severity="error" onClose={clearAuthError} variant="filled">
          {authError}
        </Alert>
      </Snackbar>
    </>
  );
}
