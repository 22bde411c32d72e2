import type { SearchQuery } from "../gql/graphql";

type FacetBucket = SearchQuery["search"]["facets"]["releaseYears"][number];

/** The first year of a year's decade: 1987 is in the decade 1980. */
export function decadeOf(year: number): number {
  return year - (((year % 10) + 10) % 10);
}

/** "1980" as "1980s". */
export function decadeLabel(value: string): string {
  return `${value}s`;
}

/**
 * The release-year facet folded into decades, oldest first: each bucket's
 * value is the decade's first year, its count the sum of its years'.
 */
export function decadeBuckets(years: readonly FacetBucket[]): FacetBucket[] {
  const counts = new Map<number, number>();
  for (const b of years) {
    const year = Number(b.value);
    if (!Number.isInteger(year)) continue;
    const decade = decadeOf(year);
    counts.set(decade, (counts.get(decade) ?? 0) + b.count);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([decade, count]) => ({ __typename: "FacetBucket" as const, value: String(decade), count }));
}

/** The years of one decade from the year facet, oldest first. */
export function yearsInDecade(years: readonly FacetBucket[], decade: number): FacetBucket[] {
  return years
    .filter((b) => Number.isInteger(Number(b.value)) && decadeOf(Number(b.value)) === decade)
    .sort((a, b) => Number(a.value) - Number(b.value));
}
