// Hand-written TypeScript mirrors of the supergraph types the app reads.
// They follow schema/*/*.graphqls; only the fields the app selects appear.

export type TitleKind = "MOVIE" | "SERIES";
export type MaturityRating =
  | "G"
  | "PG"
  | "PG_13"
  | "R"
  | "NC_17"
  | "TV_Y"
  | "TV_PG"
  | "TV_14"
  | "TV_MA";
export type CreditRole = "ACTOR" | "DIRECTOR" | "WRITER" | "CREATOR";
export type VideoKind = "FEATURE" | "TRAILER" | "EPISODE";
export type VideoCodec = "H264" | "H265" | "VP9" | "AV1";
export type SentimentLabel = "POSITIVE" | "NEUTRAL" | "NEGATIVE";

/** Scalar DateTime travels as an RFC 3339 string. */
export type DateTime = string;

export interface PageInfo {
  __typename?: "PageInfo";
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface TitleFilter {
  kind?: TitleKind | null;
  genres?: string[] | null;
  releaseYearFrom?: number | null;
  releaseYearTo?: number | null;
  maturityRatings?: MaturityRating[] | null;
}

export interface Artwork {
  __typename?: "Artwork";
  posterUrl: string;
  backdropUrl?: string;
  thumbnailUrl?: string;
}

/** The fields a poster card needs (fragment PosterFields). */
export interface PosterTitle {
  __typename?: "Title";
  id: string;
  name: string;
  kind: TitleKind;
  releaseYear: number;
  artwork: Artwork;
}

export interface Sentiment {
  __typename?: "Sentiment";
  label: SentimentLabel;
  score: number;
}

export interface ChatMessage {
  __typename?: "Message";
  id: string;
  body: string;
  sentAt: DateTime;
  author: { __typename?: "Profile"; id: string; name: string };
  sentiment: Sentiment;
}

export interface MessageEdge {
  __typename?: "MessageEdge";
  cursor: string;
  node: ChatMessage;
}

export interface MessageConnection {
  __typename?: "MessageConnection";
  edges: MessageEdge[];
  pageInfo: PageInfo;
}

export interface Rendition {
  __typename?: "Rendition";
  id: string;
  resolution: string;
  bitrateKbps: number;
  codec: VideoCodec;
}

export interface Video {
  __typename?: "Video";
  id: string;
  name: string;
  kind: VideoKind;
  durationSeconds: number;
  renditions: Rendition[];
}
