import { Box } from "@mui/material";
import type { ReactNode } from "react";

/** Responsive grid of poster cards. */
export function PosterGrid({ children }: { children: ReactNode }) {
  return (
    <Box
      sx={{
        display: "grid",
        gap: 2,
        gridTemplateColumns: {
          xs: "repeat(2, minmax(0, 1fr))",
          sm: "repeat(3, minmax(0, 1fr))",
          md: "repeat(5, minmax(0, 1fr))",
          lg: "repeat(6, minmax(0, 1fr))",
        },
      }}
    >
      {children}
    </Box>
  );
}
