import { Box, Card, CardActionArea, Typography } from "@mui/material";
import type { ReactNode } from "react";
import type { PosterFieldsFragment } from "../gql/graphql";
import { PosterImage } from "./PosterImage";
import { titlePath, useNavigate } from "../routing/router";

/** A title's poster with its name and year; opens the title page. */
export function PosterCard({ title, children }: { title: PosterFieldsFragment; children?: ReactNode }) {
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
        <PosterImage id={title.id} name={title.name} src={title.artwork.posterUrl} sx={{ borderRadius: 0 }} />
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
