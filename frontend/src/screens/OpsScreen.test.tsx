import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { GraphQLError } from "graphql";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { OpsConsoleDocument, type OpsConsoleQuery } from "../gql/graphql";
import { ADMIN_STORAGE_KEY } from "../profile/adminStore";
import { ProfileProvider } from "../profile/ProfileContext";
import { renderWithApollo } from "../test/render";
import { OpsScreen } from "./OpsScreen";

type Report = NonNullable<OpsConsoleQuery["ops"]>;

function report(overrides: Partial<Report> = {}): Report {
  return {
    __typename: "OpsReport",
    generatedAt: "2026-01-02T03:04:05Z",
    storageMode: "embedded",
    subgraphs: [
      {
        __typename: "OpsSubgraph",
        name: "catalog",
        instances: [
          {
            __typename: "OpsInstance",
            url: "http://127.0.0.1:4001/graphql",
            status: "up",
            error: null,
            checkedAt: "2026-01-02T03:04:00Z",
            breaker: "closed",
            required: true,
            breakers: [
              { __typename: "OpsBreaker", rule: "consecutive", state: "closed", executions: 12, failures: 0, successes: 12 },
            ],
          },
        ],
      },
      {
        __typename: "OpsSubgraph",
        name: "chat",
        instances: [
          {
            __typename: "OpsInstance",
            url: "http://127.0.0.1:4003/graphql",
            status: "down",
            error: "connection refused",
            checkedAt: "2026-01-02T03:04:00Z",
            breaker: "open",
            required: false,
            breakers: [],
          },
        ],
      },
    ],
    traffic: {
      __typename: "OpsTraffic",
      missing: null,
      window: "last 30s",
      windowSeconds: 30,
      subgraphs: [
        { __typename: "OpsSubgraphTraffic", subgraph: "catalog", requestsPerSecond: 4.5, errorsPerSecond: 0, p99Ms: 12.5 },
        { __typename: "OpsSubgraphTraffic", subgraph: "chat", requestsPerSecond: 0, errorsPerSecond: 0, p99Ms: null },
      ],
    },
    realtime: { __typename: "OpsRealtime", missing: null, websocketConnections: 3, activeSubscriptions: 2 },
    events: {
      __typename: "OpsEvents",
      missing: null,
      outboxes: [{ __typename: "OpsOutbox", name: "chat", backlog: 7 }],
      consumers: [{ __typename: "OpsConsumer", topic: "chat.messages", group: "insights", lag: 4 }],
    },
    slowOperations: {
      __typename: "OpsSlowOperations",
      missing: null,
      windowSeconds: 600,
      capacity: 20,
      operations: [
        {
          __typename: "OpsOperation",
          name: "TitlePage",
          kind: "query",
          durationMs: 1520,
          finishedAt: "2026-01-02T03:03:00Z",
          outcome: "ok",
          plan: JSON.stringify({ kind: "Sequence", nodes: [{ kind: "Fetch", subgraph: "catalog" }] }),
        },
      ],
    },
    ...overrides,
  };
}

const answer = (ops: Report) => ({ request: { query: OpsConsoleDocument }, result: { data: { ops } } });

// ProfileProvider reading a demo-token server's settings, for the sign-in offer.
function DemoProfile({ children }: { children: ReactNode }) {
  return <ProfileProvider loadConfig={async () => ({ demoTokens: true, oidc: null })}>{children}</ProfileProvider>;
}

afterEach(() => localStorage.clear());

describe("OpsScreen", () => {
  it("shows health, breakers, traffic, realtime, events and the slowest operations with their plans", async () => {
    renderWithApollo(<OpsScreen />, { mocks: [answer(report())], route: "/ops" });

    const instances = await screen.findByRole("table", { name: "Subgraph instances" });
    const rows = within(instances).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByText("catalog")).toBeInTheDocument();
    expect(within(rows[1]).getByText("up")).toBeInTheDocument();
    expect(within(rows[1]).getByText("required")).toBeInTheDocument();
    expect(within(rows[1]).getByText("consecutive: closed (12 runs, 0 failed)")).toBeInTheDocument();
    expect(within(rows[2]).getByText("down")).toBeInTheDocument();
    expect(within(rows[2]).getByText("open")).toBeInTheDocument();
    expect(within(rows[2]).getByText("connection refused")).toBeInTheDocument();

    const traffic = screen.getByRole("table", { name: "Traffic per subgraph" });
    expect(within(traffic).getByText("4.50")).toBeInTheDocument();
    expect(within(traffic).getByText("12.5 ms")).toBeInTheDocument();
    expect(within(traffic).getByText("no fetches")).toBeInTheDocument();
    expect(screen.getByText("The router's fetches, last 30s.")).toBeInTheDocument();

    expect(screen.getByLabelText("Websocket connections")).toHaveTextContent("3");
    expect(screen.getByLabelText("Active subscriptions")).toHaveTextContent("2");
    expect(within(screen.getByRole("table", { name: "Outboxes" })).getByText("7")).toBeInTheDocument();
    expect(within(screen.getByRole("table", { name: "Consumers" })).getByText("chat.messages")).toBeInTheDocument();
    expect(screen.queryByText("Not available")).not.toBeInTheDocument();

    const slow = screen.getByRole("table", { name: "Slowest operations" });
    expect(within(slow).getByText("TitlePage")).toBeInTheDocument();
    expect(within(slow).getByText("1.52 s")).toBeInTheDocument();
    expect(screen.queryByLabelText("Plan of TitlePage")).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Show the plan of TitlePage" }));
    expect(await screen.findByLabelText("Plan of TitlePage")).toHaveTextContent('"subgraph": "catalog"');
  });

  it("marks what the router does not measure as not available, with the reason", async () => {
    const off = "not measured in this mode: metrics.enabled is off";
    const ops = report({
      traffic: { __typename: "OpsTraffic", missing: off, window: null, windowSeconds: null, subgraphs: [] },
      realtime: { __typename: "OpsRealtime", missing: off, websocketConnections: null, activeSubscriptions: null },
      events: { __typename: "OpsEvents", missing: "no outbox relay here has reported", outboxes: [], consumers: [] },
      slowOperations: { __typename: "OpsSlowOperations", missing: "nothing finished yet", windowSeconds: 600, capacity: 20, operations: [] },
    });
    renderWithApollo(<OpsScreen />, { mocks: [answer(ops)], route: "/ops" });

    const traffic = await screen.findByRole("region", { name: "Traffic per subgraph" });
    expect(within(traffic).getByText("Not available")).toBeInTheDocument();
    expect(within(traffic).getByText(off)).toBeInTheDocument();
    expect(within(traffic).queryByRole("table")).not.toBeInTheDocument();

    const realtime = screen.getByRole("region", { name: "Realtime" });
    expect(within(realtime).getAllByText("Not available")).toHaveLength(3);
    expect(within(realtime).getByText(off)).toBeInTheDocument();

    expect(within(screen.getByRole("region", { name: "Event pipeline" })).getByText("no outbox relay here has reported")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "Slowest recent operations" })).getByText("nothing finished yet")).toBeInTheDocument();
  });

  it("explains a refusal and offers a demo profile the admin sign-in", async () => {
    const refused = {
      request: { query: OpsConsoleDocument },
      result: {
        data: { ops: null },
        errors: [new GraphQLError("forbidden: ops requires a scope", { path: ["ops"], extensions: { code: "FORBIDDEN" } })],
      },
    };
    renderWithApollo(
      <DemoProfile>
        <OpsScreen />
      </DemoProfile>,
      { mocks: [refused], route: "/ops" },
    );

    expect(await screen.findByText("This profile isn't allowed to do that.")).toBeInTheDocument();
    expect(screen.getByText("The ops report is not available")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Sign in as admin" }));
    await waitFor(() => expect(localStorage.getItem(ADMIN_STORAGE_KEY)).toBe("true"));
    expect(await screen.findByRole("button", { name: "Leave admin" })).toBeInTheDocument();
  });
});
