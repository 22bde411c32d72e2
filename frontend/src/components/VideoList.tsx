import PlayArrowIcon from "@mui/icons-material/PlayArrow";
import { Box, Button, Chip, List, ListItem, ListItemText, Stack } from "@mui/material";
import type { VideoFieldsFragment as Video } from "../gql/graphql";
import { formatDuration } from "./format";

/** A title's videos with their renditions, each with a Play button. */
export function VideoList({ videos, onPlay }: { videos: Video[]; onPlay: (video: Video) => void }) {
  if (videos.length === 0) return null;
  return (
    <List aria-label="Videos" disablePadding>
      {videos.map((v) => (
        <ListItem
          key={v.id}
          disableGutters
          secondaryAction={
            <Button size="small" startIcon={<PlayArrowIcon />} onClick={() => onPlay(v)} aria-label={`Play ${v.name}`}>
              Play
            </Button>
          }
        >
          <ListItemText
            primary={`${v.name} · ${v.kind.charAt(0)}${v.kind.slice(1).toLowerCase()} · ${formatDuration(v.durationSeconds)}`}
            secondary={
              <Box component="span" sx={{ display: "block", mt: 0.5 }}>
                <Stack component="span" direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: "wrap" }}>
                  {v.renditions.map((r) => (
                    <Chip
                      key={`${r.resolution}-${r.codec}-${r.bitrateKbps}`}
                      component="span"
                      size="small"
                      variant="outlined"
                      label={`${r.resolution} · ${r.codec} · ${(r.bitrateKbps / 1000).toFixed(1)} Mbps`}
                    />
                  ))}
                </Stack>
              </Box>
            }
            slotProps={{ secondary: { component: "span" } }}
          />
        </ListItem>
      ))}
    </List>
  );
}
