import { useQuery } from "@apollo/client/react";
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  CircularProgress,
  Collapse,
  Grid,
  IconButton,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
  type ChipProps,
} from "@mui/material";
import KeyboardArrowDownIcon from "@mui/icons-material/KeyboardArrowDown";
import KeyboardArrowUpIcon from "@mui/icons-material/KeyboardArrowUp";
import { Fragment, useState, type ReactNode } from "react";
import { ErrorNotice } from "../errors/ErrorNotice";
import { OpsConsoleDocument, type OpsConsoleQuery } from "../gql/graphql";
import { isAdmin, useProfile } from "../profile/ProfileContext";

/** How often the console asks the router for a fresh report. */
export const OPS_POLL_INTERVAL_MS = 5000;

type Report = NonNullable<OpsConsoleQuery["ops"]>;
type Operation = Report["slowOperations"]["operations"][number];

/**
 * The ops console: the router process's own report (Query.ops, admins
 * only), refreshed every few seconds. Subgraph instances with their health
 * and breakers, fetch rates and p99 per subgraph, websockets and
 * subscriptions, the event pipeline's backlog and lag, and the slowest
 * recent operations with their plans. Whatever the router cannot measure
 * where it runs is marked as not available, with its reason.
 */
export function OpsScreen({ pollIntervalMs = OPS_POLL_INTERVAL_MS }: { pollIntervalMs?: number }) {
  const { identity, config, setAdmin } = useProfile();
  const { data, error, loading } = useQuery(OpsConsoleDocument, {
    pollInterval: pollIntervalMs,
    errorPolicy: "all",
    notifyOnNetworkStatusChange: false,
  });
  const report = data?.ops ?? null;
  const canBecomeAdmin = config.demoTokens && identity.kind === "demo" && !isAdmin(identity);

  return (
    <Stack spacing={3}>
      <Stack direction="row" spacing={2} sx={{ alignItems: "baseline", flexWrap: "wrap" }}>
        <Typography variant="h4" component="h1">
          Ops console
        </Typography>
        {report && (
          <Typography variant="body2" color="text.secondary">
            {report.storageMode} mode · report of {formatTime(report.generatedAt)} · refreshed every{" "}
            {Math.round(pollIntervalMs / 1000)}s
          </Typography>
        )}
        {isAdmin(identity) && (
          <Button size="small" color="inherit" onClick={() => setAdmin(false)} sx={{ ml: "auto" }}>
            Leave admin
          </Button>
        )}
      </Stack>
      <ErrorNotice error={error} title={report ? undefined : "The ops report is not available"} />
      {!report && canBecomeAdmin && (
        <Alert
          severity="info"
          action={
            <Button color="inherit" size="small" onClick={() => setAdmin(true)}>
              Sign in as admin
            </Button>
          }
        >
          The ops console is for admins. The demo sign-in can give this profile the admin scope.
        </Alert>
      )}
      {!report && loading && <CircularProgress aria-label="Loading the ops report" />}
      {report && (
        <>
          <SubgraphsSection report={report} />
          <TrafficSection traffic={report.traffic} />
          <Grid container spacing={3}>
            <Grid size={{ xs: 12, md: 4 }}>
              <RealtimeSection realtime={report.realtime} />
            </Grid>
            <Grid size={{ xs: 12, md: 8 }}>
              <EventsSection events={report.events} />
            </Grid>
          </Grid>
          <SlowOperationsSection slow={report.slowOperations} />
        </>
      )}
    </Stack>
  );
}

function Section({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <Card component="section" aria-label={title} variant="outlined">
      <CardContent>
        <Typography variant="h6" component="h2">
          {title}
        </Typography>
        {subtitle && (
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {subtitle}
          </Typography>
        )}
        {children}
      </CardContent>
    </Card>
  );
}

/** A measure the router did not take, and why. */
function NotAvailable({ reason }: { reason?: string | null }) {
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: "center", my: 1 }}>
      <Chip size="small" variant="outlined" label="Not available" />
      {reason && (
        <Typography variant="body2" color="text.secondary">
          {reason}
        </Typography>
      )}
    </Stack>
  );
}

const statusColor: Record<string, ChipProps["color"]> = { up: "success", down: "error" };
const breakerColor: Record<string, ChipProps["color"]> = { closed: "success", open: "error", "half-open": "warning" };

function SubgraphsSection({ report }: { report: Report }) {
  return (
    <Section title="Subgraphs" subtitle="Each instance as the router's active checks and circuit breakers see it.">
      <TableContainer>
        <Table size="small" aria-label="Subgraph instances">
          <TableHead>
            <TableRow>
              <TableCell>Subgraph</TableCell>
              <TableCell>Instance</TableCell>
              <TableCell>Health</TableCell>
              <TableCell>Breaker</TableCell>
              <TableCell>Breaker rules</TableCell>
              <TableCell>Last checked</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {report.subgraphs.flatMap((sg) =>
              sg.instances.map((inst) => (
                <TableRow key={`${sg.name} ${inst.url}`}>
                  <TableCell>
                    {sg.name}
                    {inst.required && <Chip size="small" label="required" variant="outlined" sx={{ ml: 1 }} />}
                  </TableCell>
                  <TableCell sx={{ fontFamily: "monospace", fontSize: 12 }}>{inst.url}</TableCell>
                  <TableCell>
                    <Tooltip title={inst.error ?? ""}>
                      <Chip size="small" label={inst.status} color={statusColor[inst.status] ?? "default"} />
                    </Tooltip>
                    {inst.error && (
                      <Typography variant="caption" color="error" sx={{ display: "block" }}>
                        {inst.error}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <Chip size="small" label={inst.breaker} color={breakerColor[inst.breaker] ?? "default"} />
                  </TableCell>
                  <TableCell>
                    {inst.breakers.map((b) => (
                      <Typography key={b.rule} variant="caption" sx={{ display: "block" }}>
                        {b.rule}: {b.state} ({b.executions} runs, {b.failures} failed)
                      </Typography>
                    ))}
                  </TableCell>
                  <TableCell>{inst.checkedAt ? formatTime(inst.checkedAt) : "not checked yet"}</TableCell>
                </TableRow>
              )),
            )}
          </TableBody>
        </Table>
      </TableContainer>
    </Section>
  );
}

function TrafficSection({ traffic }: { traffic: Report["traffic"] }) {
  return (
    <Section
      title="Traffic per subgraph"
      subtitle={traffic.window ? `The router's fetches, ${traffic.window}.` : "The router's fetches."}
    >
      {traffic.missing && <NotAvailable reason={traffic.missing} />}
      {traffic.subgraphs.length > 0 && (
        <TableContainer>
          <Table size="small" aria-label="Traffic per subgraph">
            <TableHead>
              <TableRow>
                <TableCell>Subgraph</TableCell>
                <TableCell align="right">Requests/s</TableCell>
                <TableCell align="right">Errors/s</TableCell>
                <TableCell align="right">p99</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {traffic.subgraphs.map((t) => (
                <TableRow key={t.subgraph}>
                  <TableCell>{t.subgraph}</TableCell>
                  <TableCell align="right">{t.requestsPerSecond.toFixed(2)}</TableCell>
                  <TableCell align="right">{t.errorsPerSecond.toFixed(2)}</TableCell>
                  <TableCell align="right">{t.p99Ms === null ? "no fetches" : `${formatMs(t.p99Ms)}`}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Section>
  );
}

function Figure({ label, value, hint }: { label: string; value: number | null; hint?: string }) {
  return (
    <Box sx={{ flex: 1 }}>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      {value === null ? (
        <Chip size="small" variant="outlined" label="Not available" />
      ) : (
        <Typography variant="h4" component="p" aria-label={label}>
          {value}
        </Typography>
      )}
      {hint && (
        <Typography variant="caption" color="text.secondary">
          {hint}
        </Typography>
      )}
    </Box>
  );
}

function RealtimeSection({ realtime }: { realtime: Report["realtime"] }) {
  return (
    <Section title="Realtime">
      <Stack direction="row" spacing={2} sx={{ my: 1 }}>
        <Figure label="Websocket connections" value={realtime.websocketConnections} />
        <Figure
          label="Active subscriptions"
          value={realtime.activeSubscriptions}
          hint="Open on subgraphs; identical client subscriptions share one."
        />
      </Stack>
      {realtime.missing && <NotAvailable reason={realtime.missing} />}
    </Section>
  );
}

function EventsSection({ events }: { events: Report["events"] }) {
  return (
    <Section title="Event pipeline" subtitle="Outbox backlog and consumer lag, as this process reports them.">
      {events.missing && <NotAvailable reason={events.missing} />}
      {events.outboxes.length > 0 && (
        <Table size="small" aria-label="Outboxes">
          <TableHead>
            <TableRow>
              <TableCell>Outbox</TableCell>
              <TableCell align="right">Backlog</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {events.outboxes.map((o) => (
              <TableRow key={o.name}>
                <TableCell>{o.name}</TableCell>
                <TableCell align="right">{o.backlog}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {events.consumers.length > 0 && (
        <Table size="small" aria-label="Consumers" sx={{ mt: 2 }}>
          <TableHead>
            <TableRow>
              <TableCell>Topic</TableCell>
              <TableCell>Group</TableCell>
              <TableCell align="right">Lag</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {events.consumers.map((c) => (
              <TableRow key={`${c.topic} ${c.group}`}>
                <TableCell>{c.topic}</TableCell>
                <TableCell>{c.group}</TableCell>
                <TableCell align="right">{c.lag}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Section>
  );
}

function SlowOperationsSection({ slow }: { slow: Report["slowOperations"] }) {
  return (
    <Section
      title="Slowest recent operations"
      subtitle={`The ${slow.capacity} slowest queries and mutations of the last ${Math.round(slow.windowSeconds / 60)} minutes, with their query plans.`}
    >
      {slow.missing && <NotAvailable reason={slow.missing} />}
      {slow.operations.length > 0 && (
        <TableContainer>
          <Table size="small" aria-label="Slowest operations">
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox"><Box component="span" sx={{ position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" }}>Plan</Box></TableCell>
                <TableCell>Operation</TableCell>
                <TableCell>Kind</TableCell>
                <TableCell align="right">Duration</TableCell>
                <TableCell>Outcome</TableCell>
                <TableCell>Finished</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {slow.operations.map((op, i) => (
                <OperationRow key={`${op.finishedAt} ${op.name ?? ""} ${i}`} op={op} />
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Section>
  );
}

function OperationRow({ op }: { op: Operation }) {
  const [open, setOpen] = useState(false);
  const label = op.name ?? "(anonymous)";
  return (
    <Fragment>
      <TableRow>
        <TableCell padding="checkbox">
          <IconButton size="small" aria-label={`${open ? "Hide" : "Show"} the plan of ${label}`} onClick={() => setOpen(!open)}>
            {open ? <KeyboardArrowUpIcon fontSize="small" /> : <KeyboardArrowDownIcon fontSize="small" />}
          </IconButton>
        </TableCell>
        <TableCell>{label}</TableCell>
        <TableCell>{op.kind}</TableCell>
        <TableCell align="right">{formatMs(op.durationMs)}</TableCell>
        <TableCell>
          <Chip size="small" label={op.outcome} color={op.outcome === "ok" ? "default" : "warning"} />
        </TableCell>
        <TableCell>{formatTime(op.finishedAt)}</TableCell>
      </TableRow>
      <TableRow>
        <TableCell colSpan={6} sx={{ py: 0, borderBottom: open ? undefined : "none" }}>
          <Collapse in={open} unmountOnExit>
            <Box
              component="pre"
              aria-label={`Plan of ${label}`}
              sx={{ fontSize: 12, overflow: "auto", maxHeight: 360, bgcolor: "background.default", p: 1, borderRadius: 1 }}
            >
              {prettyPlan(op.plan)}
            </Box>
          </Collapse>
        </TableCell>
      </TableRow>
    </Fragment>
  );
}

function prettyPlan(plan: string): string {
  try {
    return JSON.stringify(JSON.parse(plan), null, 2);
  } catch {
    return plan;
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function formatTime(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : t.toLocaleTimeString();
}
