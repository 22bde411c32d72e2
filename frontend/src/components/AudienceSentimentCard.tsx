import { Box, Paper, Stack, Typography } from "@mui/material";
import type { TitleSentimentQuery } from "../gql/graphql";
import { SentimentChip } from "./SentimentChip";

type AudienceSentiment = NonNullable<NonNullable<TitleSentimentQuery["title"]>["audienceSentiment"]>;

/** How the watch party feels about the title. */
export function AudienceSentimentCard({ sentiment }: { sentiment: AudienceSentiment }) {
  const total = Math.max(1, sentiment.positive + sentiment.neutral + sentiment.negative);
  const bar = (count: number, color: string) => (
    <Box sx={{ width: `${(count / total) * 100}%`, bgcolor: color, height: "100%" }} />
  );
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label="Audience sentiment">
      <Stack direction="row" spacing={1} sx={{ alignItems: "center", mb: 1 }}>
        <Typography variant="subtitle1" component="h2" sx={{ flex: 1 }}>
          Audience sentiment
        </Typography>
        <SentimentChip label={sentiment.label} score={sentiment.averageScore} />
      </Stack>
      {sentiment.messageCount === 0 ? (
        <Typography variant="body2" color="text.secondary">
          No chat messages yet.
        </Typography>
      ) : (
        <>
          <Box sx={{ display: "flex", height: 8, borderRadius: 4, overflow: "hidden", bgcolor: "action.hover" }} aria-hidden>
            {bar(sentiment.positive, "success.main")}
            {bar(sentiment.neutral, "grey.500")}
            {bar(sentiment.negative, "error.main")}
          </Box>
          <Typography variant="caption" color="text.secondary" component="p" aria-live="polite">
            {sentiment.positive} positive · {sentiment.neutral} neutral · {sentiment.negative} negative, from{" "}
            {sentiment.messageCount} {sentiment.messageCount === 1 ? "message" : "messages"}
          </Typography>
        </>
      )}
    </Paper>
  );
}
