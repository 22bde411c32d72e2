import { Chip, Stack, Typography } from "@mui/material";
import type { SearchQuery } from "../gql/graphql";

type FacetBucket = SearchQuery["search"]["facets"]["genres"][number];

/** One facet's buckets as toggleable chips with counts. */
export function FacetChips({
  label,
  buckets,
  selected,
  onToggle,
  format = (v) => v,
}: {
  label: string;
  buckets: FacetBucket[];
  selected: string[];
  onToggle: (value: string) => void;
  format?: (value: string) => string;
}) {
  if (buckets.length === 0) return null;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap", alignItems: "center", mb: 1 }} role="group" aria-label={label}>
      <Typography variant="caption" color="text.secondary" sx={{ minWidth: 56 }}>
        {label}
      </Typography>
      {buckets.map((b) => {
        const on = selected.includes(b.value);
        return (
          <Chip
            key={b.value}
            size="small"
            label={`${format(b.value)} (${b.count})`}
            color={on ? "primary" : "default"}
            variant={on ? "filled" : "outlined"}
            onClick={() => onToggle(b.value)}
            aria-pressed={on}
          />
        );
      })}
    </Stack>
  );
}
