import PlayArrowIcon from "@mui/icons-material/PlayArrow";
import { Box, IconButton, List, ListItem, ListItemText, Tab, Tabs } from "@mui/material";
import { useState } from "react";
import type { TitlePageQuery, VideoFieldsFragment as Video } from "../gql/graphql";

type Seasons = NonNullable<TitlePageQuery["title"]>["seasons"];

/** Seasons as tabs, each listing its episodes. */
export function SeasonList({ seasons, onPlay }: { seasons: Seasons; onPlay: (video: Video) => void }) {
  const [index, setIndex] = useState(0);
  if (seasons.length === 0) return null;
  const season = seasons[Math.min(index, seasons.length - 1)];
  return (
    <Box>
      <Tabs value={Math.min(index, seasons.length - 1)} onChange={(_, i: number) => setIndex(i)} variant="scrollable" aria-label="Seasons">
        {seasons.map((s) => (
          <Tab key={s.number} label={`Season ${s.number}`} />
        ))}
      </Tabs>
      <List aria-label={`Season ${season.number} episodes`}>
        {season.episodes.map((ep) => (
          <ListItem
            key={ep.id}
            disableGutters
            secondaryAction={
              ep.video && (
                <IconButton aria-label={`Play ${ep.name}`} onClick={() => ep.video && onPlay(ep.video)}>
                  <PlayArrowIcon />
                </IconButton>
              )
            }
          >
            <ListItemText
              primary={`${ep.number}. ${ep.name} · ${ep.runtimeMinutes}m`}
              secondary={ep.synopsis}
            />
          </ListItem>
        ))}
      </List>
    </Box>
  );
}
