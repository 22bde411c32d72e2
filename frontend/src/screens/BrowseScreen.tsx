import { useQuery } from "@apollo/client/react";
import { Box, CircularProgress, Typography } from "@mui/material";
import { useDeferredValue, useState } from "react";
import { compactFilter, FilterBar } from "../components/FilterBar";
import { LoadMore } from "../components/LoadMore";
import { PosterCard } from "../components/PosterCard";
import { PosterGrid } from "../components/PosterGrid";
import { ErrorNotice } from "../errors/ErrorNotice";
import { BrowseDocument, type TitleFilter } from "../gql/graphql";

export const BROWSE_PAGE_SIZE = 24;

/** The catalog as a poster grid, cursor-paged (relayStylePagination merges pages). */
export function BrowseScreen({ pageSize = BROWSE_PAGE_SIZE }: { pageSize?: number }) {
  const [filter, setFilter] = useState<TitleFilter>({});
  // Typing a year should not fire a request per keystroke.
  const deferred = useDeferredValue(filter);
  const { data, error, loading, fetchMore } = useQuery(BrowseDocument, {
    variables: { first: pageSize, filter: compactFilter(deferred) },
    errorPolicy: "all",
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const titles = data?.titles;

  const loadMore = async () => {
    if (!titles?.pageInfo.endCursor || loadingMore) return;
    setLoadingMore(true);
    try {
      await fetchMore({ variables: { after: titles.pageInfo.endCursor } });
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <Box>
      <Typography variant="h4" component="h1" sx={{ mb: 2 }}>
        Browse
      </Typography>
      <FilterBar filter={filter} onChange={setFilter} />
      <ErrorNotice error={error} />
      {loading && !titles && <CircularProgress />}
      {titles && (
        <>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {titles.totalCount} {titles.totalCount === 1 ? "title" : "titles"}
          </Typography>
          <PosterGrid>
            {titles.edges.map(({ node }) => (
              <PosterCard key={node.id} title={node} />
            ))}
          </PosterGrid>
          <LoadMore hasMore={titles.pageInfo.hasNextPage} loading={loadingMore} onLoadMore={loadMore} />
        </>
      )}
    </Box>
  );
}
