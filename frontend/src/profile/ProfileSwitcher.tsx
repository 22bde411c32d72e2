import { MenuItem, TextField } from "@mui/material";
import { useProfile } from "./ProfileContext";
import { SEEDED_PROFILES } from "./profileStore";

/** The demo sign-in menu: picks which seeded profile the app gets tokens for. */
export function ProfileSwitcher() {
  const { profile, setProfile } = useProfile();
  const options = SEEDED_PROFILES.includes(profile) ? SEEDED_PROFILES : [profile, ...SEEDED_PROFILES];
  return (
    <TextField
      select
      size="small"
      label="Signed in as"
      value={profile}
      onChange={(e) => setProfile(e.target.value)}
      sx={{ minWidth: 130 }}
    >
      {options.map((p) => (
        <MenuItem key={p} value={p}>
          {p}
        </MenuItem>
      ))}
    </TextField>
  );
}
