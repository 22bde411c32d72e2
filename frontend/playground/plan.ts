// What the router tells about how it ran a request: the query plan
// (extensions.queryPlan, asked for with the plan header) and, for tokens
// with the admin scope, each subgraph fetch's timing (extensions.timings).
import type { Fetcher, FetcherOpts, FetcherParams } from "@graphiql/toolkit";

/** The request header that asks the router for the plan (and, for admins, the timings). */
export const PLAN_HEADER = "X-Cinegraph-Plan";
/** The scope a token needs for the router to send timings. */
export const ADMIN_SCOPE = "admin";

/** One subgraph fetch, as extensions.timings.fetches lists it. */
export interface FetchTiming {
  subgraph: string;
  path: string[];
  start_ms: number;
  duration_ms: number;
  attempts: number;
  error?: boolean;
}

export interface Timings {
  total_ms: number;
  fetches: FetchTiming[];
}

/** The last answered operation's plan and timings. */
export interface RequestReport {
  operationName: string | null;
  plan: unknown;
  timings: Timings | null;
}

/** A tiny store the panel subscribes to. */
export interface ReportStore {
  get(): RequestReport | null;
  set(report: RequestReport | null): void;
  subscribe(listener: () => void): () => void;
}

export function createReportStore(): ReportStore {
  let current: RequestReport | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(report) {
      current = report;
      listeners.forEach((l) => l());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function isTimings(value: unknown): value is Timings {
  const t = value as Timings | null;
  return typeof t === "object" && t !== null && typeof t.total_ms === "number" && Array.isArray(t.fetches);
}

/** The plan and timings in a response's extensions; null when it has neither. */
export function reportOf(operationName: string | null, result: unknown): RequestReport | null {
  const extensions = (result as { extensions?: Record<string, unknown> } | null)?.extensions;
  if (!extensions || typeof extensions !== "object") return null;
  const plan = extensions.queryPlan ?? null;
  const timings = isTimings(extensions.timings) ? extensions.timings : null;
  if (plan === null && timings === null) return null;
  return { operationName, plan, timings };
}

const isIntrospection = (params: FetcherParams) => params.operationName === "IntrospectionQuery";

/**
 * Wraps a GraphiQL fetcher: each request (schema introspection aside) asks
 * for its plan, and the plan and timings of every answer go to the store.
 * The answer itself reaches the response editor unchanged.
 */
export function reportingFetcher(fetcher: Fetcher, store: ReportStore, askForPlan: () => boolean = () => true): Fetcher {
  return (params: FetcherParams, opts?: FetcherOpts) => {
    if (isIntrospection(params) || !askForPlan()) return fetcher(params, opts);
    const headers = { ...opts?.headers, [PLAN_HEADER]: "true" };
    const result = fetcher(params, { ...opts, headers });
    if (result instanceof Promise) {
      return result.then((answer) => {
        // Subscriptions and incremental answers are streams; only a single answer has extensions to show.
        const single = answer && typeof answer === "object" && !(Symbol.asyncIterator in answer) && !("subscribe" in answer);
        if (single) store.set(reportOf(params.operationName ?? null, answer));
        return answer;
      });
    }
    return result;
  };
}

/** The scopes a JWT's payload names (its `scope` claim); empty when it cannot be read. */
export function tokenScopes(token: string | null): string[] {
  const payload = token?.split(".")[1];
  if (!payload) return [];
  try {
    const json = atob(payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
    const claims = JSON.parse(json) as { scope?: unknown; scp?: unknown };
    if (typeof claims.scope === "string") return claims.scope.split(" ").filter(Boolean);
    if (Array.isArray(claims.scp)) return claims.scp.filter((s): s is string => typeof s === "string");
    return [];
  } catch {
    return [];
  }
}
