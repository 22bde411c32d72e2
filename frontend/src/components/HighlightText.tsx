import { Box } from "@mui/material";
import { parseHighlight } from "./highlight";

/** Renders one highlight fragment; matches are <em>, everything else is text. */
export function HighlightText({ fragment }: { fragment: string }) {
  return (
    <>
      {parseHighlight(fragment).map((s, i) =>
        s.emphasized ? (
          <Box
            component="em"
            key={i}
            sx={{ fontStyle: "normal", fontWeight: 700, color: "primary.light", bgcolor: "rgba(229,9,20,0.15)" }}
          >
            {s.text}
          </Box>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}
