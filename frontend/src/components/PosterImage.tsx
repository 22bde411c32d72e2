import { Box, Typography, type SxProps, type Theme } from "@mui/material";
import { useState } from "react";
import { artworkSrcSet } from "./artwork";

/** A stable hue per title, so placeholders differ but never flicker. */
function hue(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

/**
 * A poster image at the width the layout needs (a srcset over the widths
 * the media host draws); when the artwork is missing or fails to load, a
 * gradient placeholder with the title's name takes its place.
 */
export function PosterImage({
  id,
  name,
  src,
  alt = name,
  sizes = "200px",
  compact = false,
  sx,
}: {
  id: string;
  name: string;
  src: string;
  alt?: string;
  /** How wide the poster is laid out, for the browser to pick a width. */
  sizes?: string;
  /** A thumbnail: the placeholder's name in small type. */
  compact?: boolean;
  sx?: SxProps<Theme>;
}) {
  // Keyed by src, so a card reused for another title tries its image.
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const failed = failedSrc === src;
  const srcSet = artworkSrcSet(src, "poster");
  const base = { width: "100%", aspectRatio: "2 / 3", display: "block", borderRadius: 1 };
  if (failed || !src) {
    const h = hue(id);
    return (
      <Box
        // A decorative placeholder (alt "") stays out of the accessibility tree.
        {...(alt ? { role: "img", "aria-label": alt } : { "aria-hidden": true })}
        title={name}
        sx={[
          {
            ...base,
            display: "flex",
            alignItems: "flex-end",
            overflow: "hidden",
            p: compact ? 0.5 : 1,
            background: `linear-gradient(160deg, hsl(${h} 55% 35%), hsl(${(h + 40) % 360} 60% 12%))`,
          },
          ...(Array.isArray(sx) ? sx : [sx]),
        ]}
      >
        <Typography
          variant="subtitle2"
          component="span"
          sx={{
            fontWeight: 700,
            lineHeight: 1.2,
            fontSize: compact ? "0.625rem" : undefined,
            textShadow: "0 1px 3px #000",
            overflowWrap: "anywhere",
            display: "-webkit-box",
            WebkitLineClamp: 4,
            lineClamp: 4,
            WebkitBoxOrient: "vertical",
            overflow: "hidden",
            minWidth: 0,
          }}
        >
          {name}
        </Typography>
      </Box>
    );
  }
  return (
    <Box
      component="img"
      src={src}
      srcSet={srcSet}
      sizes={srcSet ? sizes : undefined}
      alt={alt}
      width={342}
      height={513}
      loading="lazy"
      decoding="async"
      onError={() => setFailedSrc(src)}
      sx={[{ ...base, height: "auto", maxWidth: "100%", objectFit: "cover", bgcolor: "#222" }, ...(Array.isArray(sx) ? sx : [sx])]}
    />
  );
}
