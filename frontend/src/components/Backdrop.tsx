import { Box } from "@mui/material";
import { useState } from "react";
import { artworkSrcSet } from "./artwork";

/**
 * A title's backdrop behind the heading it sits in: the artwork at the
 * width the page needs, under a shade that keeps the heading legible. It
 * is decorative (the heading names the title), so it has empty alt text;
 * if it fails to load, the parent's own background shows instead. The
 * parent must be positioned and isolate its stacking context.
 */
export function Backdrop({ src }: { src: string }) {
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const srcSet = artworkSrcSet(src, "backdrop");
  return (
    <Box aria-hidden sx={{ position: "absolute", inset: 0, zIndex: -1, overflow: "hidden" }}>
      {src && failedSrc !== src && (
        <Box
          component="img"
          src={src}
          srcSet={srcSet}
          sizes={srcSet ? "(min-width: 1200px) 1200px, 100vw" : undefined}
          alt=""
          decoding="async"
          onError={() => setFailedSrc(src)}
          sx={{ position: "absolute", inset: 0, width: "100%", height: "100%", objectFit: "cover", objectPosition: "center", display: "block" }}
        />
      )}
      <Box
        data-testid="backdrop-shade"
        sx={{ position: "absolute", inset: 0, background: "linear-gradient(to right, rgba(16,16,20,0.95) 30%, rgba(16,16,20,0.3))" }}
      />
    </Box>
  );
}
