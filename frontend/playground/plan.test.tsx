import { act, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { createReportStore, PLAN_HEADER, reportingFetcher, reportOf, tokenScopes } from "./plan";
import { PlanPanel } from "./PlanPanel";

const timings = {
  total_ms: 42.5,
  fetches: [
    { subgraph: "catalog", path: [], start_ms: 0.5, duration_ms: 20, attempts: 1 },
    { subgraph: "insights", path: ["title", "@"], start_ms: 21, duration_ms: 20.25, attempts: 2, error: true },
  ],
};
const plan = { kind: "QueryPlan", node: { kind: "Fetch", serviceName: "catalog" } };

function jwt(claims: object): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${b64({ alg: "EdDSA" })}.${b64(claims)}.sig`;
}

describe("reportingFetcher", () => {
  it("asks for the plan and records the plan and timings of each answer", async () => {
    const store = createReportStore();
    const answer = { data: { title: null }, extensions: { queryPlan: plan, timings } };
    const inner = vi.fn(async () => answer);
    const fetcher = reportingFetcher(inner, store);

    const got = await fetcher({ query: "query Q { title(id: 1) { id } }", operationName: "Q" }, { headers: { Authorization: "Bearer t" } });

    expect(got).toBe(answer);
    expect(inner).toHaveBeenCalledWith(expect.anything(), { headers: { Authorization: "Bearer t", [PLAN_HEADER]: "true" } });
    expect(store.get()).toEqual({ operationName: "Q", plan, timings });
  });

  it("leaves schema introspection alone", async () => {
    const store = createReportStore();
    const inner = vi.fn(async () => ({ data: {} }));
    await reportingFetcher(inner, store)({ query: "{ __schema { types { name } } }", operationName: "IntrospectionQuery" });
    expect(inner).toHaveBeenCalledWith(expect.anything(), undefined);
    expect(store.get()).toBeNull();
  });

  it("reads nothing from an answer without a plan or timings", () => {
    expect(reportOf("Q", { data: {} })).toBeNull();
    expect(reportOf("Q", { extensions: { cost: 3 } })).toBeNull();
    expect(reportOf(null, { extensions: { queryPlan: plan, timings: { bogus: true } } })).toEqual({ operationName: null, plan, timings: null });
  });
});

describe("tokenScopes", () => {
  it("reads the scope claim of a JWT", () => {
    expect(tokenScopes(jwt({ scope: "viewer admin", profile_id: "profile-1" }))).toEqual(["viewer", "admin"]);
    expect(tokenScopes(jwt({ scp: ["viewer"] }))).toEqual(["viewer"]);
    expect(tokenScopes("not-a-jwt")).toEqual([]);
    expect(tokenScopes(null)).toEqual([]);
  });
});

describe("PlanPanel", () => {
  it("shows the plan, and the fetches' timings to an admin", () => {
    const store = createReportStore();
    render(<PlanPanel store={store} admin adminHref={null} />);
    expect(screen.getByText(/Run an operation/)).toBeInTheDocument();

    act(() => store.set({ operationName: "TitlePage", plan, timings }));
    expect(screen.getByText("TitlePage")).toBeInTheDocument();
    expect(screen.getByLabelText("Query plan")).toHaveTextContent('"serviceName": "catalog"');
    const table = screen.getByRole("table");
    expect(within(table).getByText("Total 42.5 ms")).toBeInTheDocument();
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell").slice(0, 3).map((c) => c.textContent))).toEqual([
      ["catalog", "(root)", "20.0 ms"],
      ["insights", "title.@", "20.3 ms (2 tries) · failed"],
    ]);
  });

  it("tells a viewer without the admin scope how to see timings", () => {
    const store = createReportStore();
    store.set({ operationName: null, plan, timings: null });
    render(<PlanPanel store={store} admin={false} adminHref="/playground?admin=1" />);
    expect(screen.getByText(/tokens with the admin scope only/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Reopen as an admin" })).toHaveAttribute("href", "/playground?admin=1");
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });
});
