import { useQuery } from "@apollo/client/react";
import { Box, Card, CardActionArea, CircularProgress, Stack, Typography } from "@mui/material";
import { useState } from "react";
import { FacetChips } from "../components/FacetChips";
import { compactFilter } from "../components/FilterBar";
import { HighlightText } from "../components/HighlightText";
import { LoadMore } from "../components/LoadMore";
import { PosterImage } from "../components/PosterImage";
import { ErrorNotice } from "../errors/ErrorNotice";
import { SearchDocument, type SearchQuery, type TitleFilter, type TitleKind } from "../gql/graphql";
import { titlePath, useNavigate } from "../routing/router";

export const SEARCH_PAGE_SIZE = 20;

type SearchEdge = SearchQuery["search"]["edges"][number];

/** Full-text search with facet chips and highlighted matches. */
export function SearchScreen({ query, pageSize = SEARCH_PAGE_SIZE }: { query: string; pageSize?: number }) {
  const [filter, setFilter] = useState<TitleFilter>({});
  const trimmed = query.trim();
  const { data, error, loading, fetchMore } = useQuery(SearchDocument, {
    variables: { query: trimmed, first: pageSize, filter: compactFilter(filter) },
    skip: trimmed === "",
    errorPolicy: "all",
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const result = data?.search;

  const toggleGenre = (slug: string) => {
    const genres = filter.genres ?? [];
    setFilter({ ...filter, genres: genres.includes(slug) ? genres.filter((g) => g !== slug) : [...genres, slug] });
  };
  const toggleYear = (value: string) => {
    const year = Number(value);
    const on = filter.releaseYearFrom === year && filter.releaseYearTo === year;
    setFilter({ ...filter, releaseYearFrom: on ? null : year, releaseYearTo: on ? null : year });
  };
  const toggleKind = (value: string) =>
    setFilter({ ...filter, kind: filter.kind === value ? null : (value as TitleKind) });

  const loadMore = async () => {
    if (!result?.pageInfo.endCursor || loadingMore) return;
    setLoadingMore(true);
    try {
      await fetchMore({ variables: { after: result.pageInfo.endCursor } });
    } finally {
      setLoadingMore(false);
    }
  };

  if (trimmed === "") {
    return <Typography color="text.secondary">Type in the search box to find films and series.</Typography>;
  }

  const selectedYear =
    filter.releaseYearFrom != null && filter.releaseYearFrom === filter.releaseYearTo ? [String(filter.releaseYearFrom)] : [];

  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        Results for “{trimmed}”{result && ` · ${result.totalCount}`}
      </Typography>
      <ErrorNotice error={error} />
      {result && (
        <Box sx={{ mb: 2 }}>
          <FacetChips label="Kind" buckets={result.facets.kinds} selected={filter.kind ? [filter.kind] : []} onToggle={toggleKind} format={kindLabel} />
          <FacetChips label="Genre" buckets={result.facets.genres} selected={filter.genres ?? []} onToggle={toggleGenre} />
          <FacetChips label="Year" buckets={result.facets.releaseYears} selected={selectedYear} onToggle={toggleYear} />
        </Box>
      )}
      {loading && !result && <CircularProgress />}
      {result && result.edges.length === 0 && <Typography color="text.secondary">No matches.</Typography>}
      <Stack spacing={2}>
        {result?.edges.map((edge) => <SearchHit key={edge.node.id} edge={edge} />)}
      </Stack>
      {result && <LoadMore hasMore={result.pageInfo.hasNextPage} loading={loadingMore} onLoadMore={loadMore} />}
    </Box>
  );
}

function kindLabel(kind: string): string {
  return kind === "MOVIE" ? "Movies" : kind === "SERIES" ? "Series" : kind;
}

function SearchHit({ edge }: { edge: SearchEdge }) {
  const navigate = useNavigate();
  const { node, highlights } = edge;
  const href = titlePath(node.id);
  const fragments = highlights.flatMap((h) => h.fragments.map((f, i) => ({ key: `${h.field}-${i}`, field: h.field, f })));
  return (
    <Card>
      <CardActionArea
        href={href}
        onClick={(e) => {
          if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
          e.preventDefault();
          navigate(href);
        }}
        sx={{ display: "flex", justifyContent: "flex-start", alignItems: "flex-start", p: 1.5, gap: 2 }}
      >
        <Box sx={{ width: 72, flexShrink: 0 }}>
          <PosterImage id={node.id} name={node.name} src={node.artwork.posterUrl} alt="" />
        </Box>
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="subtitle1">
            {node.name}{" "}
            <Typography component="span" variant="caption" color="text.secondary">
              {node.releaseYear} · {kindLabel(node.kind)}
            </Typography>
          </Typography>
          {fragments.length > 0 ? (
            fragments.map(({ key, field, f }) => (
              <Typography key={key} variant="body2" color="text.secondary" data-field={field}>
                <HighlightText fragment={f} />
              </Typography>
            ))
          ) : (
            <Typography variant="body2" color="text.secondary" noWrap>
              {node.synopsis}
            </Typography>
          )}
        </Box>
      </CardActionArea>
    </Card>
  );
}
