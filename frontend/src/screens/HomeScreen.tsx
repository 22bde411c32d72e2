import { useQuery } from "@apollo/client/react";
import { Box, CircularProgress, LinearProgress, Typography } from "@mui/material";
import { PosterCard } from "../components/PosterCard";
import { PosterRow } from "../components/PosterRow";
import { ErrorNotice } from "../errors/ErrorNotice";
import { HOME_QUERY } from "../graphql/operations";

/** Rows for the viewer: continue watching, my list, recommendations. */
export function HomeScreen() {
  const { data, error, loading } = useQuery(HOME_QUERY, {
    errorPolicy: "all",
    fetchPolicy: "cache-and-network",
  });
  const viewer = data?.viewer;

  return (
    <Box>
      <ErrorNotice error={error} />
      {loading && !viewer && <CircularProgress />}
      {viewer && (
        <>
          <Typography variant="h4" component="h1" sx={{ mb: 3 }}>
            Welcome back, {viewer.name}
          </Typography>
          <PosterRow heading="Continue watching" empty="Nothing in progress.">
            {(viewer.continueWatching ?? []).map((a) => (
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
          <PosterRow heading="My List" empty="Add titles to your list to find them here.">
            {(viewer.myList ?? []).map((t) => (
              <PosterCard key={t.id} title={t} />
            ))}
          </PosterRow>
          <PosterRow heading="Recommended for you" empty="No recommendations yet.">
            {(viewer.recommendations ?? []).map((r) => (
              <PosterCard key={r.title.id} title={r.title}>
                <Typography variant="caption" color="text.secondary" noWrap title={r.reason} sx={{ display: "block" }}>
                  {r.reason}
                </Typography>
              </PosterCard>
            ))}
          </PosterRow>
        </>
      )}
    </Box>
  );
}
