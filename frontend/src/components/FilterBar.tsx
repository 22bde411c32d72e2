import { useQuery } from "@apollo/client/react";
import { Button, MenuItem, Stack, TextField } from "@mui/material";
import { GenresDocument, type TitleFilter, type TitleKind } from "../gql/graphql";

/** Kind, genre and release-year filters for the browse grid. */
export function FilterBar({ filter, onChange }: { filter: TitleFilter; onChange: (f: TitleFilter) => void }) {
  const { data } = useQuery(GenresDocument, { errorPolicy: "all" });
  const genre = filter.genres?.[0] ?? "";
  const year = (value: string) => (value === "" ? null : Number(value));
  return (
    <Stack direction={{ xs: "column", sm: "row" }} spacing={2} sx={{ mb: 3 }}>
      <TextField
        select
        size="small"
        label="Kind"
        value={filter.kind ?? ""}
        onChange={(e) => onChange({ ...filter, kind: (e.target.value || null) as TitleKind | null })}
        sx={{ minWidth: 140 }}
      >
        <MenuItem value="">All</MenuItem>
        <MenuItem value="MOVIE">Movies</MenuItem>
        <MenuItem value="SERIES">Series</MenuItem>
      </TextField>
      <TextField
        select
        size="small"
        label="Genre"
        value={genre}
        onChange={(e) => onChange({ ...filter, genres: e.target.value ? [e.target.value] : null })}
        sx={{ minWidth: 180 }}
      >
        <MenuItem value="">All genres</MenuItem>
        {(data?.genres ?? []).map((g) => (
          <MenuItem key={g.slug} value={g.slug}>
            {g.name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        size="small"
        type="number"
        label="From year"
        value={filter.releaseYearFrom ?? ""}
        onChange={(e) => onChange({ ...filter, releaseYearFrom: year(e.target.value) })}
        sx={{ width: 130 }}
      />
      <TextField
        size="small"
        type="number"
        label="To year"
        value={filter.releaseYearTo ?? ""}
        onChange={(e) => onChange({ ...filter, releaseYearTo: year(e.target.value) })}
        sx={{ width: 130 }}
      />
      <Button onClick={() => onChange({})} color="inherit">
        Clear
      </Button>
    </Stack>
  );
}

/** Drops empty entries so the filter variable stays canonical (and cache keys stable). */
export function compactFilter(filter: TitleFilter): TitleFilter | null {
  const out: TitleFilter = {};
  if (filter.kind) out.kind = filter.kind;
  if (filter.genres?.length) out.genres = filter.genres;
  if (filter.releaseYearFrom != null && Number.isFinite(filter.releaseYearFrom)) out.releaseYearFrom = filter.releaseYearFrom;
  if (filter.releaseYearTo != null && Number.isFinite(filter.releaseYearTo)) out.releaseYearTo = filter.releaseYearTo;
  if (filter.maturityRatings?.length) out.maturityRatings = filter.maturityRatings;
  return Object.keys(out).length ? out : null;
}
