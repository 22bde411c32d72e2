// Search and browse state kept in the address's query string, so that a
// search can be shared and the browser's Back button undoes a facet.
import { compactFilter } from "../components/FilterBar";
import type { TitleFilter, TitleKind } from "../gql/graphql";

export interface SearchState {
  query: string;
  /** Genre slugs; a title matches any of them. */
  genres: string[];
  kind: TitleKind | null;
  /** First year of the chosen decade, e.g. 1980 for the 1980s. */
  decade: number | null;
  /** One year within the decade. */
  year: number | null;
}

const KINDS: readonly TitleKind[] = ["MOVIE", "SERIES"];

function intParam(params: URLSearchParams, name: string): number | null {
  const raw = params.get(name);
  if (raw === null || !/^\d{1,4}$/.test(raw.trim())) return null;
  return Number(raw);
}

export function parseKind(value: string | null): TitleKind | null {
  return KINDS.find((k) => k === value) ?? null;
}

/** The search the query string describes; what it cannot read is left out. */
export function readSearchState(params: URLSearchParams): SearchState {
  const genres = [...new Set(params.getAll("genre").filter((g) => g.trim() !== ""))];
  let decade = intParam(params, "decade");
  if (decade !== null) decade -= decade % 10;
  let year = intParam(params, "year");
  if (year !== null && decade === null) decade = year - (year % 10);
  if (year !== null && decade !== null && (year < decade || year > decade + 9)) year = null;
  return { query: params.get("q") ?? "", genres, kind: parseKind(params.get("kind")), decade, year };
}

/** The address of a search: /search?q=…&genre=…&kind=…&decade=…&year=… */
export function searchStateUrl(state: SearchState): string {
  const params = new URLSearchParams();
  params.set("q", state.query);
  for (const g of state.genres) params.append("genre", g);
  if (state.kind) params.set("kind", state.kind);
  if (state.decade !== null) params.set("decade", String(state.decade));
  if (state.year !== null) params.set("year", String(state.year));
  return `/search?${params.toString()}`;
}

/** The API's filter for a search's facets: a year, else its decade, as a release-year range. */
export function searchFilter(state: SearchState): TitleFilter | null {
  const [from, to] =
    state.year !== null ? [state.year, state.year] : state.decade !== null ? [state.decade, state.decade + 9] : [null, null];
  return compactFilter({
    kind: state.kind,
    genres: state.genres,
    releaseYearFrom: from,
    releaseYearTo: to,
  });
}

/** The browse grid's filter from the query string (kind, genre, from, to). */
export function readBrowseFilter(params: URLSearchParams): TitleFilter {
  const genre = params.get("genre");
  return {
    kind: parseKind(params.get("kind")),
    genres: genre ? [genre] : null,
    releaseYearFrom: intParam(params, "from"),
    releaseYearTo: intParam(params, "to"),
  };
}

/** The address of the browse grid with a filter. */
export function browseUrl(filter: TitleFilter): string {
  const params = new URLSearchParams();
  if (filter.kind) params.set("kind", filter.kind);
  if (filter.genres?.[0]) params.set("genre", filter.genres[0]);
  if (filter.releaseYearFrom != null && Number.isFinite(filter.releaseYearFrom)) params.set("from", String(filter.releaseYearFrom));
  if (filter.releaseYearTo != null && Number.isFinite(filter.releaseYearTo)) params.set("to", String(filter.releaseYearTo));
  const search = params.toString();
  return search ? `/browse?${search}` : "/browse";
}
