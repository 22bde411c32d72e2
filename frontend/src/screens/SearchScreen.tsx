import { useQuery } from "@apollo/client/react";
import { Box, Card, CardActionArea, CircularProgress, Stack, Typography } from "@mui/material";
import { useState } from "react";
import { FacetChips } from "../components/FacetChips";
import { decadeBuckets, decadeLabel, yearsInDecade } from "../components/decades";
import { HighlightText } from "../components/HighlightText";
import { LoadMore } from "../components/LoadMore";
import { PosterImage } from "../components/PosterImage";
import { ClampedText } from "../components/ClampedText";
import { ErrorNotice } from "../errors/ErrorNotice";
import { SearchDocument, type SearchQuery } from "../gql/graphql";
import { titlePath, useNavigate, useSearchParams } from "../routing/router";
import { parseKind, readSearchState, searchFilter, searchStateUrl, type SearchState } from "../routing/searchState";

export const SEARCH_PAGE_SIZE = 20;

type SearchEdge = SearchQuery["search"]["edges"][number];

/**
 * Full-text search with facet chips and highlighted matches. The query and
 * the facets live in the address (readSearchState): a search can be shared,
 * and each facet chip is a step the browser's Back button undoes. Years come
 * as decades; a chosen decade offers its years.
 */
export function SearchScreen({ query, pageSize = SEARCH_PAGE_SIZE }: { query?: string; pageSize?: number }) {
  const params = useSearchParams();
  const navigate = useNavigate();
  const fromUrl = readSearchState(params);
  const state: SearchState = { ...fromUrl, query: query ?? fromUrl.query };
  const trimmed = state.query.trim();
  const { data, error, loading, fetchMore } = useQuery(SearchDocument, {
    variables: { query: trimmed, first: pageSize, filter: searchFilter(state) },
    skip: trimmed === "",
    errorPolicy: "all",
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const result = data?.search;

  const go = (next: Partial<SearchState>) => navigate(searchStateUrl({ ...state, query: trimmed, ...next }));
  const toggleGenre = (slug: string) =>
    go({ genres: state.genres.includes(slug) ? state.genres.filter((g) => g !== slug) : [...state.genres, slug] });
  const toggleDecade = (value: string) => {
    const decade = Number(value);
    go({ decade: state.decade === decade ? null : decade, year: null });
  };
  const toggleYear = (value: string) => {
    const year = Number(value);
    go({ year: state.year === year ? null : year });
  };
  const toggleKind = (value: string) => go({ kind: state.kind === value ? null : parseKind(value) });

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

  const years = result?.facets.releaseYears ?? [];
  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 2, overflowWrap: "anywhere" }}>
        Results for “{trimmed}”{result && ` · ${result.totalCount}`}
      </Typography>
      <ErrorNotice error={error} />
      {result && (
        <Box sx={{ mb: 2 }}>
          <FacetChips label="Kind" buckets={result.facets.kinds} selected={state.kind ? [state.kind] : []} onToggle={toggleKind} format={kindLabel} />
          <FacetChips label="Genre" buckets={result.facets.genres} selected={state.genres} onToggle={toggleGenre} />
          <FacetChips
            label="Decade"
            buckets={decadeBuckets(years)}
            selected={state.decade !== null ? [String(state.decade)] : []}
            onToggle={toggleDecade}
            format={decadeLabel}
          />
          {state.decade !== null && (
            <FacetChips
              label="Year"
              buckets={yearsInDecade(years, state.decade)}
              selected={state.year !== null ? [String(state.year)] : []}
              onToggle={toggleYear}
            />
          )}
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
          <PosterImage id={node.id} name={node.name} src={node.artwork.posterUrl} alt="" sizes="72px" compact />
        </Box>
        <Box sx={{ minWidth: 0, flex: 1 }}>
          <ClampedText variant="subtitle1" component="h2" lines={2} sx={{ lineHeight: 1.3 }}>
            {node.name}
          </ClampedText>
          <Typography variant="caption" color="text.secondary" sx={{ display: "block" }}>
            {node.releaseYear} · {kindLabel(node.kind)}
          </Typography>
          {fragments.length > 0 ? (
            fragments.map(({ key, field, f }) => (
              <Typography key={key} variant="body2" color="text.secondary" data-field={field} sx={{ overflowWrap: "anywhere" }}>
                <HighlightText fragment={f} />
              </Typography>
            ))
          ) : (
            <ClampedText variant="body2" color="text.secondary" lines={2}>
              {node.synopsis}
            </ClampedText>
          )}
        </Box>
      </CardActionArea>
    </Card>
  );
}
