import { Avatar, type SxProps, type Theme } from "@mui/material";

/** Up to two initials of a name: "Ada Lovelace" is AL, "Grace" G. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => Array.from(w)[0] ?? "").join("").toUpperCase() || "?";
}

/**
 * A stable colour per key, so each profile keeps its own. Keys a character
 * apart (profile-1, profile-2) land a golden angle apart on the wheel.
 */
export function avatarHue(key: string): number {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) % 3600;
  return Math.round(h * 137.508) % 360;
}

/**
 * A profile's avatar: its image when src is given and loads, else its
 * initials on a colour of its own. Decorative: the name is always written
 * next to it.
 */
export function ProfileAvatar({
  name,
  colorKey = name,
  src,
  size = 24,
  sx,
}: {
  name: string;
  colorKey?: string;
  src?: string | null;
  size?: number;
  sx?: SxProps<Theme>;
}) {
  return (
    <Avatar
      src={src ?? undefined}
      alt=""
      aria-hidden
      sx={[
        { width: size, height: size, fontSize: size * 0.45, fontWeight: 700, color: "#fff", bgcolor: `hsl(${avatarHue(colorKey)} 45% 30%)` },
        ...(Array.isArray(sx) ? sx : [sx]),
      ]}
    >
      {initials(name)}
    </Avatar>
  );
}
