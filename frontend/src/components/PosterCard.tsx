import { Box, Card, CardActionArea, Typography } from "@mui/material";
import type { ReactNode } from "react";
import type { PosterTitle } from "../graphql/schemaTypes";
import { titlePath, useNavigate } from "../routing/router";

/** A title's poster with its name and year; opens the title page. */
export function PosterCard({ title, children }: { title: PosterTitle; children?: ReactNode }) {
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
        sx={{ height: "100%", display: "flex", flexDirection: "column", alignItems: "stretch" }}
      >
        <Box
          component="img"
          src={title.artwork.posterUrl}
          alt={title.name}
          loading="lazy"
          sx={{ width: "100%", aspectRatio: "2 / 3", objectFit: "cover", bgcolor: "#222", display: "block" }}
        />
        <Box sx={{ p: 1 }}>
          <Typography variant="subtitle2" noWrap title={title.name}>
            {title.name}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            {title.releaseYear} · {title.kind === "SERIES" ? "Series" : "Movie"}
          </Typography>
          {children}
        </Box>
      </CardActionArea>
    </Card>
  );
}
