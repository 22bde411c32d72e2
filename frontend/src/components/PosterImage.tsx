import { Box, Typography, type SxProps, type Theme } from "@mui/material";
import { useState } from "react";

/** A stable hue per title, so placeholders differ but never flicker. */
function hue(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

/**
 * A poster image; when the artwork is missing or fails to load, a
 * gradient placeholder with the title's name takes its place.
 */
export function PosterImage({ id, name, src, alt = name, sx }: { id: string; name: string; src: string; alt?: string; sx?: SxProps<Theme> }) {
  const [failed, setFailed] = useState(false);
  const base = { width: "100%", aspectRatio: "2 / 3", display: "block", borderRadius: 1 };
  if (failed || !src) {
    const h = hue(id);
    return (
      <Box
        role="img"
        aria-label={alt}
        sx={[
          {
            ...base,
            display: "flex",
            alignItems: "flex-end",
            p: 1,
            background: `linear-gradient(160deg, hsl(${h} 55% 35%), hsl(${(h + 40) % 360} 60% 12%))`,
          },
          ...(Array.isArray(sx) ? sx : [sx]),
        ]}
      >
        <Typography variant="subtitle2" sx={{ fontWeight: 700, lineHeight: 1.2, textShadow: "0 1px 3px #000" }}>
          {name}
        </Typography>
      </Box>
    );
  }
  return (
    <Box
      component="img"
      src={src}
      alt={alt}
      loading="lazy"
      onError={() => setFailed(true)}
      sx={[{ ...base, objectFit: "cover", bgcolor: "#222" }, ...(Array.isArray(sx) ? sx : [sx])]}
    />
  );
}
