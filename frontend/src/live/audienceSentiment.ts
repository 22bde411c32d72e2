import type { InsightAddedSubscription, SentimentLabel, TitleSentimentQuery } from "../gql/graphql";

/** How far from zero a score must be to count as positive or negative (as the insights subgraph labels). */
export const SENTIMENT_THRESHOLD = 0.05;

export function labelFor(score: number): SentimentLabel {
  if (score >= SENTIMENT_THRESHOLD) return "POSITIVE";
  if (score <= -SENTIMENT_THRESHOLD) return "NEGATIVE";
  return "NEUTRAL";
}

type Insight = InsightAddedSubscription["insightAdded"];

/**
 * The title's sentiment with one more scored message folded in: its label's
 * count, the message count and the running average (and the label that
 * follows from it). Unchanged when the title has no sentiment to update.
 */
export function withInsight(prev: TitleSentimentQuery, insight: Insight): TitleSentimentQuery {
  const title = prev.title;
  const current = title?.audienceSentiment;
  if (!title || !current) return prev;
  const { label, score } = insight.sentiment;
  const messageCount = current.messageCount + 1;
  const averageScore = (current.averageScore * current.messageCount + score) / messageCount;
  return {
    ...prev,
    title: {
      ...title,
      audienceSentiment: {
        ...current,
        messageCount,
        positive: current.positive + (label === "POSITIVE" ? 1 : 0),
        neutral: current.neutral + (label === "NEUTRAL" ? 1 : 0),
        negative: current.negative + (label === "NEGATIVE" ? 1 : 0),
        averageScore,
        label: labelFor(averageScore),
      },
    },
  };
}
