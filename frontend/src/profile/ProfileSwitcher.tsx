import { MenuItem, TextField } from "@mui/material";
import { useProfile } from "./ProfileContext";
import { SEEDED_PROFILES } from "./profileStore";

/** Picks which seeded profile the app acts as. */
export function ProfileSwitcher() {
  const { profile, setProfile } = useProfile();
  const options = SEEDED_PROFILES.includes(profile) ? SEEDED_PROFILES : [profile, ...SEEDED_PROFILES];
  return (
    <TextField
      select
      size="small"
      label="Profile"
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
