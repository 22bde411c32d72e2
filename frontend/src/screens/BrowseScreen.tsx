import { useQuery } from "@apollo/client/react";
import { Box, CircularProgress, Typography } from "@mui/material";
import { useDeferredValue, useMemo, useState } from "react";
import { compactFilter, FilterBar } from "../components/FilterBar";
import { LoadMore } from "../components/LoadMore";
import { PosterCard } from "../components/PosterCard";
import { PosterGrid } from "../components/PosterGrid";
import { ErrorNotice } from "../errors/ErrorNotice";
import { BrowseDocument, type TitleFilter } from "../gql/graphql";
import { useNavigate, useSearchParams } from "../routing/router";
import { browseUrl, readBrowseFilter } from "../routing/searchState";

export const BROWSE_PAGE_SIZE = 24;

/**
 * The catalog as a poster grid, cursor-paged (relayStylePagination merges
 * pages). The filter lives in the address (kind, genre, from, to): a kind
 * or genre is a step Back undoes; typed years replace the entry instead of
 * adding one per keystroke.
 */
export function BrowseScreen({ pageSize = BROWSE_PAGE_SIZE }: { pageSize?: number }) {
  const params = useSearchParams();
  const navigate = useNavigate();
  const filter = useMemo(() => readBrowseFilter(params), [params]);
  const setFilter = (next: TitleFilter) => {
    // "Clear" ({}) is a step of its own.
    const typed =
      Object.keys(next).length > 0 &&
      (next.kind ?? null) === filter.kind && (next.genres?.[0] ?? null) === (filter.genres?.[0] ?? null);
    navigate(browseUrl(next), { replace: typed });
  };
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
              <PosterCard key={node.id} title={node} heading="h2" />
            ))}
          </PosterGrid>
          <LoadMore hasMore={titles.pageInfo.hasNextPage} loading={loadingMore} onLoadMore={loadMore} />
        </>
      )}
    </Box>
  );
}
