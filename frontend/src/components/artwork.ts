/**
 * Artwork URLs from the API end in the width they are drawn at
 * (`/media/artwork/t0001/poster-342`); the media host serves the same path
 * at each of these widths (internal/artwork's Widths), so a srcset needs
 * only the one URL.
 */
export const ARTWORK_WIDTHS = {
  poster: [185, 342, 500, 780],
  backdrop: [780, 1280, 1920],
  thumbnail: [320, 640],
} as const;

export type ArtworkShape = keyof typeof ARTWORK_WIDTHS;

/** `sizes` for a poster in a PosterGrid (2, 3, 5, then 6 columns). */
export const POSTER_GRID_SIZES = "(min-width: 1200px) 200px, (min-width: 900px) 20vw, (min-width: 600px) 33vw, 50vw";

/**
 * The srcset for an artwork URL, or undefined when the URL does not end in
 * `<shape>-<width>` (an image from elsewhere: it is used as it is).
 */
export function artworkSrcSet(url: string, shape: ArtworkShape): string | undefined {
  const m = new RegExp(`^(.*/${shape})-\\d+$`).exec(url);
  if (!m) return undefined;
  return ARTWORK_WIDTHS[shape].map((w) => `${m[1]}-${w} ${w}w`).join(", ");
}
