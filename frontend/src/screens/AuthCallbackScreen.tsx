import { Alert, AlertTitle, Box, Button, CircularProgress, Stack, Typography } from "@mui/material";
import { useEffect, useState, type ReactNode } from "react";
import { returnPath } from "../auth/oidc";
import { useProfile } from "../profile/ProfileContext";
import { useLocation, useNavigate } from "../routing/router";

/**
 * /auth/callback, where the OpenID Connect provider sends the browser back:
 * trades the code for tokens, then goes back to where the user was
 * (replacing this address, whose code is good once). An error from the
 * provider (e.g. access_denied) is shown with a way back.
 */
export function AuthCallbackScreen() {
  const { oidc, signIn } = useProfile();
  const { pathname, search } = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!oidc) return;
    let active = true;
    oidc.completeSignIn(`${window.location.origin}${pathname}${search}`).then(
      (to) => {
        if (active && to !== null) navigate(to, { replace: true });
      },
      (err: unknown) => {
        if (active) setError(err);
      },
    );
    return () => {
      active = false;
    };
    // Once per callback address; completeSignIn itself runs once per URL.
  }, [oidc, pathname, search, navigate]);

  if (!oidc) {
    return (
      <Failure title="Nothing to sign in to" onBack={() => navigate("/", { replace: true })}>
        This server does not sign in with an OpenID Connect provider.
      </Failure>
    );
  }
  if (error !== null) {
    const back = returnPath((error as { state?: unknown }).state);
    return (
      <Failure
        title="Sign-in failed"
        onBack={() => navigate(back, { replace: true })}
        onRetry={() => signIn(back)}
      >
        {describeSignInError(error, oidc.providerName)}
      </Failure>
    );
  }
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: "center", py: 4 }} role="status">
      <CircularProgress size={24} aria-label="Signing in" />
      <Typography>Signing you in with {oidc.providerName}…</Typography>
    </Stack>
  );
}

function Failure({
  title,
  children,
  onBack,
  onRetry,
}: {
  title: string;
  children: ReactNode;
  onBack: () => void;
  onRetry?: () => void;
}) {
  return (
    <Box sx={{ py: 2, maxWidth: 720 }}>
      <Alert
        severity="error"
        action={
          <Stack direction="row" spacing={1}>
            {onRetry && (
              <Button color="inherit" size="small" onClick={onRetry}>
                Try again
              </Button>
            )}
            <Button color="inherit" size="small" onClick={onBack}>
              Back to Cinegraph
            </Button>
          </Stack>
        }
      >
        <AlertTitle>{title}</AlertTitle>
        {children}
      </Alert>
    </Box>
  );
}

/** The provider's error (an OAuth error response) in words, its code kept for whoever reports it. */
export function describeSignInError(error: unknown, provider: string): string {
  const { error: code, error_description: description } = error as { error?: unknown; error_description?: unknown };
  const detail = typeof description === "string" && description !== "" ? ` ${description}` : "";
  if (typeof code === "string" && code !== "") {
    if (code === "access_denied") return `${provider} did not let you sign in (access_denied).${detail}`;
    return `${provider} answered with an error (${code}).${detail}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `The sign-in with ${provider} could not be completed: ${message}`;
}
