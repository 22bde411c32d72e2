import { useQuery } from "@apollo/client/react";
import { Alert, Box, CircularProgress, LinearProgress, Typography } from "@mui/material";
import { useEffect } from "react";
import { ClampedText } from "../components/ClampedText";
import { PosterCard } from "../components/PosterCard";
import { PosterRow } from "../components/PosterRow";
import { ErrorNotice } from "../errors/ErrorNotice";
import { ContinueWatchingDocument, PlaybackEventsDocument, RecommendationsDocument, ViewerDocument } from "../gql/graphql";
import { withProgress } from "../live/continueWatching";
import { useLiveSettings } from "../live/LiveContext";

const rowOptions = { errorPolicy: "all", fetchPolicy: "cache-and-network" } as const;

/**
 * Rows for the viewer: continue watching (video subgraph), my list (catalog)
 * and recommendations (insights), each loaded and failing on its own. A
 * viewer who is not signed in (viewer null) is asked to sign in instead.
 */
export function HomeScreen() {
  const viewer = useQuery(ViewerDocument, rowOptions);
  const watching = useQuery(ContinueWatchingDocument, rowOptions);
  const recs = useQuery(RecommendationsDocument, rowOptions);
  const profile = viewer.data?.viewer;

  // The viewer's own positions, reported from any tab or device, move the
  // continue-watching row on in the cache (the player in this tab updates
  // it from its reportProgress answers as well).
  const { subscriptions } = useLiveSettings();
  const { subscribeToMore } = watching;
  useEffect(() => {
    if (!subscriptions) return;
    return subscribeToMore({
      document: PlaybackEventsDocument,
      updateQuery: (_prev, { previousData, complete, subscriptionData }) => {
        const event = subscriptionData.data?.playbackEvents;
        const me = previousData?.viewer?.id;
        if (!complete || !previousData || !event || !me || event.profile?.id !== me) return undefined;
        return withProgress(previousData, { ...event, title: event.video.title });
      },
      onError: (err) => console.warn("Cinegraph: live viewing progress unavailable:", err),
    });
  }, [subscriptions, subscribeToMore]);

  if (profile === null) {
    return (
      <Box>
        <Typography variant="h4" component="h1" sx={{ mb: 3 }}>
          Welcome
        </Typography>
        <Alert severity="info">Sign in to see your rows: use the “Signed in as” menu.</Alert>
      </Box>
    );
  }

  return (
    <Box>
      <Typography variant="h4" component="h1" sx={{ mb: 3 }}>
        {profile ? `Welcome back, ${profile.name}` : "Welcome back"}
      </Typography>
      <ErrorNotice error={viewer.error} />

      <PosterRow heading="Continue watching" empty={watching.error ? "Not available right now." : "Nothing in progress."} loading={watching.loading && !watching.data}>
        {(watching.data?.viewer?.continueWatching ?? []).map((a) => (
          <PosterCard key={a.video.id} title={a.video.title}>
            <ClampedText variant="caption" sx={{ display: "block" }}>
              {a.video.name}
            </ClampedText>
            <LinearProgress
              variant="determinate"
              value={Math.round(Math.min(1, Math.max(0, a.progress)) * 100)}
              aria-label={`${a.video.name} progress`}
              sx={{ mt: 0.5 }}
            />
          </PosterCard>
        ))}
      </PosterRow>
      <ErrorNotice error={watching.error} />

      <PosterRow heading="My List" empty="Add titles to your list to find them here." loading={viewer.loading && !profile}>
        {(profile?.myList ?? []).map((t) => (
          <PosterCard key={t.id} title={t} />
        ))}
      </PosterRow>

      <PosterRow heading="Recommended for you" empty={recs.error ? "Not available right now." : "No recommendations yet."} loading={recs.loading && !recs.data}>
        {(recs.data?.viewer?.recommendations ?? []).map((r) => {
          // A personal pick names what led to it; a popular one says why
          // in words.
          const line =
            r.becauseYouWatched.length > 0 ? `Because you watched ${r.becauseYouWatched.map((t) => t.name).join(", ")}` : r.reason;
          return (
            <PosterCard key={r.title.id} title={r.title}>
              <ClampedText variant="caption" color="text.secondary" lines={2} sx={{ display: "block" }}>
                {line}
              </ClampedText>
            </PosterCard>
          );
        })}
      </PosterRow>
      <ErrorNotice error={recs.error} />
      {viewer.loading && !profile && <CircularProgress />}
    </Box>
  );
}
