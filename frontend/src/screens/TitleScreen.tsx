import { useQuery } from "@apollo/client/react";
import PlayArrowIcon from "@mui/icons-material/PlayArrow";
import { Box, Button, Chip, CircularProgress, Grid, Paper, Stack, Typography } from "@mui/material";
import { useEffect, useRef, useState } from "react";
import { AudienceSentimentCard } from "../components/AudienceSentimentCard";
import { Backdrop } from "../components/Backdrop";
import { ChatPanel } from "../components/ChatPanel";
import { MyListButton } from "../components/MyListButton";
import { Player } from "../components/Player";
import { SeasonList } from "../components/SeasonList";
import { VideoList } from "../components/VideoList";
import { ErrorNotice } from "../errors/ErrorNotice";
import {
  InsightAddedDocument,
  TitlePageDocument,
  TitleSentimentDocument,
  TitleVideosDocument,
  type VideoFieldsFragment,
} from "../gql/graphql";
import { withInsight } from "../live/audienceSentiment";
import { useLiveSettings } from "../live/LiveContext";

/** A title's details, videos, episodes, sentiment, My List and watch party. */
export function TitleScreen({ id }: { id: string }) {
  const { data, error, loading } = useQuery(TitlePageDocument, { variables: { id }, errorPolicy: "all" });
  // Other subgraphs' parts load (and fail) on their own; their fields are
  // nullable, so an outage there nulls only that field. Videos bypass the
  // cache. Sentiment lives in it (as Title.audienceSentiment), so that the
  // insightAdded subscription can update it, and is read afresh on each
  // visit; should catalog fail it answers `title: null`, which the
  // Query.title merge policy never lets replace a title already cached
  // (apollo/cache.ts).
  const videosQuery = useQuery(TitleVideosDocument, { variables: { id }, errorPolicy: "all", fetchPolicy: "no-cache" });
  const sentimentQuery = useQuery(TitleSentimentDocument, {
    variables: { id },
    errorPolicy: "all",
    fetchPolicy: "cache-and-network",
  });
  const [playing, setPlaying] = useState<VideoFieldsFragment | null>(null);
  const title = data?.title;
  const roomId = title?.chatRoom?.id;

  // Each scored chat message moves the sentiment card on, straight in the
  // cache. A message is counted once, even should the socket replay it.
  const { subscriptions } = useLiveSettings();
  const { subscribeToMore } = sentimentQuery;
  const counted = useRef(new Set<string>());
  useEffect(() => {
    if (!subscriptions || !roomId) return;
    return subscribeToMore({
      document: InsightAddedDocument,
      variables: { roomId },
      updateQuery: (_prev, { previousData, complete, subscriptionData }) => {
        const insight = subscriptionData.data?.insightAdded;
        if (!complete || !previousData?.title?.audienceSentiment || !insight) return undefined;
        if (counted.current.has(insight.message.id)) return undefined;
        counted.current.add(insight.message.id);
        return withInsight(previousData, insight);
      },
      onError: (err) => console.warn("Cinegraph: live sentiment unavailable:", err),
    });
  }, [roomId, subscriptions, subscribeToMore]);

  if (loading && !title) return <CircularProgress />;
  if (!title) {
    return (
      <Box>
        <ErrorNotice error={error} />
        {!error && <Typography>That title doesn't exist.</Typography>}
      </Box>
    );
  }

  const videos = videosQuery.data?.title?.videos ?? [];
  const sentiment = sentimentQuery.data?.title?.audienceSentiment;
  const feature = videos.find((v) => v.kind === "FEATURE") ?? title.seasons?.[0]?.episodes[0]?.video ?? videos[0];

  return (
    <Box>
      <Box
        sx={{
          position: "relative",
          borderRadius: 2,
          overflow: "hidden",
          mb: 3,
          minHeight: { xs: 180, md: 280 },
          // The backdrop sits in this stacking context, under the heading.
          isolation: "isolate",
          bgcolor: "#18181f",
          p: { xs: 2, md: 4 },
        }}
      >
        <Backdrop src={title.artwork.backdropUrl} />
        <Typography variant="h3" component="h1" sx={{ fontWeight: 700, overflowWrap: "anywhere" }}>
          {title.name}
        </Typography>
        <Stack direction="row" spacing={1} useFlexGap sx={{ my: 1, flexWrap: "wrap", alignItems: "center" }}>
          <Typography color="text.secondary">
            {title.releaseYear} · {title.kind === "SERIES" ? "Series" : "Movie"}
            {title.runtimeMinutes ? ` · ${title.runtimeMinutes}m` : ""}
          </Typography>
          <Chip size="small" variant="outlined" label={title.maturityRating.replace("_", "-")} />
          {(title.genres ?? []).map((g) => (
            <Chip key={g.slug} size="small" label={g.name} />
          ))}
        </Stack>
        <Typography sx={{ maxWidth: 720, mb: 2, overflowWrap: "anywhere" }}>{title.synopsis}</Typography>
        <Stack direction="row" spacing={2}>
          {feature && (
            <Button variant="contained" size="large" startIcon={<PlayArrowIcon />} onClick={() => setPlaying(feature)}>
              Play
            </Button>
          )}
          <MyListButton title={title} />
        </Stack>
      </Box>

      <ErrorNotice error={error} />

      {playing && (
        <Box sx={{ mb: 3 }}>
          <Player key={playing.id} video={playing} title={title} autoStart />
        </Box>
      )}

      <Grid container spacing={3}>
        <Grid size={{ xs: 12, md: 7 }}>
          {title.cast && title.cast.length > 0 && (
            <Paper variant="outlined" sx={{ p: 2, mb: 3 }} component="section" aria-label="Cast">
              <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
                Cast & crew
              </Typography>
              <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap" }}>
                {title.cast.map((c) => (
                  <Chip
                    key={`${c.person.id}-${c.role}-${c.character ?? ""}`}
                    label={c.character ? `${c.person.name} as ${c.character}` : `${c.person.name} (${c.role.toLowerCase()})`}
                  />
                ))}
              </Stack>
            </Paper>
          )}
          {title.seasons && title.seasons.length > 0 && (
            <Paper variant="outlined" sx={{ p: 2, mb: 3 }} component="section" aria-label="Episodes">
              <Typography variant="h6" component="h2">
                Episodes
              </Typography>
              <SeasonList seasons={title.seasons} onPlay={setPlaying} />
            </Paper>
          )}
          <ErrorNotice error={videosQuery.error} />
          {videos.length > 0 && (
            <Paper variant="outlined" sx={{ p: 2, mb: 3 }} component="section" aria-label="Videos">
              <Typography variant="h6" component="h2">
                Videos
              </Typography>
              <VideoList videos={videos} onPlay={setPlaying} />
            </Paper>
          )}
        </Grid>
        <Grid size={{ xs: 12, md: 5 }}>
          <Stack spacing={3}>
            {sentiment && <AudienceSentimentCard sentiment={sentiment} />}
            <ErrorNotice error={sentimentQuery.error} />
            {title.chatRoom && <ChatPanel roomId={title.chatRoom.id} messageCount={title.chatRoom.messageCount} />}
          </Stack>
        </Grid>
      </Grid>
    </Box>
  );
}
