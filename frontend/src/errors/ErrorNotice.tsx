import { Alert, AlertTitle, Stack } from "@mui/material";
import type { ErrorLike } from "@apollo/client";
import { describeError } from "./describeError";

/**
 * Shows the errors of an operation. Rendered next to whatever (partial) data
 * arrived, so a failing subgraph only costs its own fields.
 */
export function ErrorNotice({ error, title }: { error: ErrorLike | undefined | null; title?: string }) {
  const described = describeError(error);
  if (described.length === 0) return null;
  // One alert per distinct message; details list the fields affected.
  const groups = new Map<string, typeof described>();
  for (const d of described) groups.set(d.message, [...(groups.get(d.message) ?? []), d]);
  return (
    <Stack spacing={1} sx={{ my: 2 }}>
      {[...groups.entries()].map(([message, items]) => (
        <Alert
          key={message}
          severity={items[0].severity}
          data-code={items[0].code}
          // The server's own wording, for whoever hovers to debug.
          title={items.map((i) => i.detail).filter(Boolean).join("\n") || undefined}
        >
          {title && <AlertTitle>{title}</AlertTitle>}
          {message}
          {items.some((i) => i.path) && (
            <div style={{ opacity: 0.7, fontSize: "0.85em" }}>
              Affected: {items.map((i) => i.path).filter(Boolean).join(", ")}
            </div>
          )}
        </Alert>
      ))}
    </Stack>
  );
}
