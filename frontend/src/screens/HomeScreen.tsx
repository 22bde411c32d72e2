import { useQuery } from "@apollo/client/react";
import { Alert, Box, CircularProgress, LinearProgress, Typography } from "@mui/material";
import { PosterCard } from "../components/PosterCard";
import { PosterRow } from "../components/PosterRow";
import { ErrorNotice } from "../errors/ErrorNotice";
import { ContinueWatchingDocument, RecommendationsDocument, ViewerDocument } from "../gql/graphql";

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
            <Typography variant="caption" noWrap sx={{ display: "block" }}>
              {a.video.name}
            </Typography>
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
              <Typography variant="caption" color="text.secondary" noWrap title={line} sx={{ display: "block" }}>
                {line}
              </Typography>
            </PosterCard>
          );
        })}
      </PosterRow>
      <ErrorNotice error={recs.error} />
      {viewer.loading && !profile && <CircularProgress />}
    </Box>
  );
}
