import { Chip, Stack, Typography } from "@mui/material";
import type { SearchQuery } from "../gql/graphql";

type FacetBucket = SearchQuery["search"]["facets"]["genres"][number];

/**
 * One facet's buckets as toggleable chips with counts. A selected value the
 * answer has no bucket for (say, after narrowing by another facet) keeps
 * its chip, without a count, so that it can be turned off.
 */
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
  const missing = selected.filter((v) => !buckets.some((b) => b.value === v));
  const shown: { value: string; count: number | null }[] = [
    ...missing.map((value) => ({ value, count: null })),
    ...buckets.map((b) => ({ value: b.value, count: b.count })),
  ];
  if (shown.length === 0) return null;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap", alignItems: "center", mb: 1 }} role="group" aria-label={label}>
      <Typography variant="caption" color="text.secondary" sx={{ minWidth: 56 }}>
        {label}
      </Typography>
      {shown.map(({ value, count }) => {
        const on = selected.includes(value);
        return (
          <Chip
            key={value}
            size="small"
            label={count === null ? format(value) : `${format(value)} (${count})`}
            color={on ? "primary" : "default"}
            variant={on ? "filled" : "outlined"}
            onClick={() => onToggle(value)}
            aria-pressed={on}
          />
        );
      })}
    </Stack>
  );
}
