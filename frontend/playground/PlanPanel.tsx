import { useSyncExternalStore } from "react";
import type { FetchTiming, ReportStore } from "./plan";

export interface PlanPanelProps {
  store: ReportStore;
  /** Whether the token carries the admin scope (the router then sends timings). */
  admin: boolean;
  /** Where to reopen the playground as an admin (demo sign-in); null when it cannot. */
  adminHref: string | null;
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const pathOf = (t: FetchTiming) => (t.path.length ? t.path.join(".") : "(root)");

/** The last operation's query plan and, for admins, its subgraph fetches on a time line. */
export function PlanPanel({ store, admin, adminHref }: PlanPanelProps) {
  const report = useSyncExternalStore(store.subscribe, store.get, store.get);
  return (
    <div className="cinegraph-plan">
      <div className="graphiql-doc-explorer-title">Plan &amp; timings</div>
      {!report ? (
        <p>
          Run an operation: the router's query plan for it shows here. Each request asks for it with the{" "}
          <code>X-Cinegraph-Plan</code> header.
        </p>
      ) : (
        <>
          {report.operationName && (
            <p>
              Operation <code>{report.operationName}</code>
            </p>
          )}
          <h3>Fetch timings</h3>
          {report.timings ? (
            <Timeline fetches={report.timings.fetches} total={report.timings.total_ms} />
          ) : (
            <p>
              {admin
                ? "The router sent no timings for this request."
                : "The router sends each subgraph fetch's timings to tokens with the admin scope only."}{" "}
              {!admin && adminHref && <a href={adminHref}>Reopen as an admin</a>}
            </p>
          )}
          <h3>Query plan</h3>
          {report.plan === null ? (
            <p>The router sent no plan (its plan header may be turned off).</p>
          ) : (
            <pre className="cinegraph-plan-json" tabIndex={0} aria-label="Query plan">
              {JSON.stringify(report.plan, null, 2)}
            </pre>
          )}
        </>
      )}
    </div>
  );
}

function Timeline({ fetches, total }: { fetches: FetchTiming[]; total: number }) {
  const span = Math.max(total, ...fetches.map((f) => f.start_ms + f.duration_ms), 0.001);
  return (
    <table className="cinegraph-timings">
      <caption>Total {ms(total)}</caption>
      <colgroup>
        <col style={{ width: "22%" }} />
        <col style={{ width: "38%" }} />
        <col style={{ width: "20%" }} />
        <col style={{ width: "20%" }} />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Subgraph</th>
          <th scope="col">Path</th>
          <th scope="col">Duration</th>
          <th scope="col">
            <span className="cinegraph-visually-hidden">Time line</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {fetches.map((f, i) => (
          <tr key={i} className={f.error ? "cinegraph-fetch-error" : undefined}>
            <td>{f.subgraph}</td>
            <td className="cinegraph-path">
              {/* Lines may break after each dot of a long path. */}
              {pathOf(f)
                .split(".")
                .map((part, j) => (
                  <span key={j}>
                    {j > 0 && "."}
                    {j > 0 && <wbr />}
                    {part}
                  </span>
                ))}
            </td>
            <td>
              {ms(f.duration_ms)}
              {f.attempts > 1 && ` (${f.attempts} tries)`}
              {f.attempts === 0 && " (not sent)"}
              {f.error && " · failed"}
            </td>
            <td className="cinegraph-bar-cell" aria-label={`from ${ms(f.start_ms)} to ${ms(f.start_ms + f.duration_ms)}`}>
              <span
                className="cinegraph-bar"
                style={{
                  marginLeft: `${(f.start_ms / span) * 100}%`,
                  width: `${Math.max((f.duration_ms / span) * 100, 0.5)}%`,
                }}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
