import { Alert, MenuItem, Snackbar, TextField } from "@mui/material";
import { userLabel } from "../auth/oidc";
import { useLocation } from "../routing/router";
import { useProfile } from "./ProfileContext";
import { SEEDED_PROFILES } from "./profileStore";

const SIGN_IN = "action:sign-in";
const SIGN_OUT = "action:sign-out";
const OIDC_USER = "oidc";
const ANONYMOUS = "anonymous";
const demoValue = (profile: string) => `demo:${profile}`;

/**
 * The "Signed in as" menu: the user signed in at the OpenID Connect provider
 * (with "Sign out"), or "Sign in with <provider>" when /auth/config names
 * one; the seeded demo profiles when the server hands out demo tokens.
 */
export function ProfileSwitcher() {
  const { profile, setProfile, config, identity, oidc, signIn, signOut, authError, clearAuthError } = useProfile();
  const { pathname, search } = useLocation();

  // The provider's entries first, a line under them, then the demo profiles.
  const entries: { value: string; label: string }[] = [];
  if (identity.kind === "oidc") {
    entries.push({ value: OIDC_USER, label: userLabel(identity.user) }, { value: SIGN_OUT, label: "Sign out" });
  } else if (oidc) {
    entries.push({ value: SIGN_IN, label: `Sign in with ${oidc.providerName}` });
  }
  if (identity.kind === "anonymous") entries.push({ value: ANONYMOUS, label: "Not signed in" });
  const demo = !config.demoTokens
    ? []
    : (SEEDED_PROFILES.includes(profile) ? SEEDED_PROFILES : [profile, ...SEEDED_PROFILES]).map((p) => ({
        value: demoValue(p),
        label: p,
      }));
  const items = [...entries, ...demo].map(({ value, label }, i) => (
    <MenuItem key={value} value={value} divider={i === entries.length - 1 && demo.length > 0}>
      {label}
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
        sx={{ minWidth: 130, maxWidth: 280 }}
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
