import { Chip, type ChipProps } from "@mui/material";
import type { SentimentLabel } from "../gql/graphql";

const COLORS: Record<SentimentLabel, ChipProps["color"]> = {
  POSITIVE: "success",
  NEUTRAL: "default",
  NEGATIVE: "error",
};

/** A coloured chip for a sentiment label and its score (-1..1). */
export function SentimentChip({
  label,
  score,
  size = "small",
}: {
  label: SentimentLabel;
  score?: number;
  size?: ChipProps["size"];
}) {
  const text = label.charAt(0) + label.slice(1).toLowerCase();
  return (
    <Chip
      size={size}
      color={COLORS[label] ?? "default"}
      label={score === undefined ? text : `${text} ${score >= 0 ? "+" : ""}${score.toFixed(2)}`}
      data-sentiment={label}
    />
  );
}
