import { Box, Skeleton, Typography } from "@mui/material";
import type { ReactNode } from "react";

/** A titled, horizontally scrolling row (home screen). */
export function PosterRow({
  heading,
  empty,
  loading = false,
  children,
}: {
  heading: string;
  empty?: string;
  loading?: boolean;
  children: ReactNode[];
}) {
  return (
    <Box component="section" sx={{ mb: 4 }} aria-label={heading}>
      <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
        {heading}
      </Typography>
      {loading ? (
        <Skeleton variant="rounded" height={160} />
      ) : children.length === 0 ? (
        <Typography color="text.secondary">{empty ?? "Nothing here yet."}</Typography>
      ) : (
        <Box
          sx={{
            display: "grid",
            gridAutoFlow: "column",
            gridAutoColumns: { xs: "42%", sm: "28%", md: "18%", lg: "14%" },
            gap: 2,
            overflowX: "auto",
            pb: 1,
            scrollSnapType: "x mandatory",
            "& > *": { scrollSnapAlign: "start" },
          }}
        >
          {children}
        </Box>
      )}
    </Box>
  );
}
