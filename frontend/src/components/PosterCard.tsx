import { Box, Card, CardActionArea, Typography } from "@mui/material";
import type { ReactNode } from "react";
import type { PosterFieldsFragment } from "../gql/graphql";
import { ClampedText } from "./ClampedText";
import { PosterImage } from "./PosterImage";
import { POSTER_GRID_SIZES } from "./artwork";
import { titlePath, useNavigate } from "../routing/router";

/** A title's poster with its name and year; opens the title page. */
export function PosterCard({
  title,
  children,
  heading = "h3",
}: {
  title: PosterFieldsFragment;
  children?: ReactNode;
  /** The name's heading level: one under the section's heading. */
  heading?: "h2" | "h3";
}) {
  const navigate = useNavigate();
  const href = titlePath(title.id);
  return (
    <Card sx={{ height: "100%", bgcolor: "background.paper" }}>
      <CardActionArea
        href={href}
        onClick={(e) => {
          if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
          e.preventDefault();
          navigate(href);
        }}
        sx={{ height: "100%", display: "flex", flexDirection: "column", alignItems: "stretch", justifyContent: "flex-start" }}
      >
        <PosterImage id={title.id} name={title.name} src={title.artwork.posterUrl} sizes={POSTER_GRID_SIZES} sx={{ borderRadius: 0 }} />
        <Box sx={{ p: 1, minWidth: 0 }}>
          <ClampedText variant="subtitle2" component={heading} lines={2} sx={{ lineHeight: 1.3 }}>
            {title.name}
          </ClampedText>
          <Typography variant="caption" color="text.secondary" sx={{ display: "block" }}>
            {title.releaseYear} · {title.kind === "SERIES" ? "Series" : "Movie"}
          </Typography>
          {children}
        </Box>
      </CardActionArea>
    </Card>
  );
}
