import { CombinedGraphQLErrors, ServerError, ServerParseError } from "@apollo/client/errors";
import type { ErrorLike } from "@apollo/client";

export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "UNAVAILABLE"
  | "INTERNAL"
  | "RATE_LIMITED"
  | "NETWORK"
  | "UNKNOWN";

export interface ErrorDescription {
  code: ErrorCode;
  /** What to tell the viewer. */
  message: string;
  /** The server's own message, for details. */
  detail?: string;
  /** The response path the error belongs to, e.g. "title.audienceSentiment". */
  path?: string;
  severity: "error" | "warning" | "info";
}

const KNOWN: Record<Exclude<ErrorCode, "NETWORK" | "UNKNOWN">, Omit<ErrorDescription, "code">> = {
  BAD_USER_INPUT: { message: "Something in the request isn't valid.", severity: "warning" },
  NOT_FOUND: { message: "We couldn't find that.", severity: "info" },
  UNAUTHENTICATED: {
    message: "You're not signed in. Choose a profile from the “Signed in as” menu.",
    severity: "warning",
  },
  FORBIDDEN: { message: "This profile isn't allowed to do that.", severity: "warning" },
  UNAVAILABLE: {
    message: "Part of Cinegraph is temporarily unavailable, so some details may be missing.",
    severity: "warning",
  },
  INTERNAL: { message: "Something went wrong on our side. Please try again.", severity: "error" },
  RATE_LIMITED: { message: "Too many requests right now. Please wait a moment and try again.", severity: "warning" },
};

function isKnown(code: unknown): code is keyof typeof KNOWN {
  return typeof code === "string" && code in KNOWN;
}

/**
 * Turns an Apollo error into viewer-facing messages, one per GraphQL error,
 * chosen by `extensions.code`.
 */
export function describeError(error: ErrorLike | undefined | null): ErrorDescription[] {
  if (!error) return [];
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((e) => {
      const code = e.extensions?.code;
      const path = e.path?.join(".");
      if (isKnown(code)) return { code, ...KNOWN[code], detail: e.message, path };
      return { code: "UNKNOWN", message: "Something unexpected happened.", detail: e.message, path, severity: "error" };
    });
  }
  // The router answers an invalid or expired token with HTTP 401.
  if (ServerError.is(error) && error.statusCode === 401) {
    return [{ code: "UNAUTHENTICATED", ...KNOWN.UNAUTHENTICATED, detail: error.message }];
  }
  if (ServerError.is(error) || ServerParseError.is(error)) {
    return [
      {
        code: "NETWORK",
        message: "Cinegraph answered with an error. Please try again shortly.",
        detail: error.message,
        severity: "error",
      },
    ];
  }
  return [
    {
      code: "NETWORK",
      message: "Can't reach Cinegraph. Check your connection and try again.",
      detail: error.message,
      severity: "error",
    },
  ];
}
