// A minimal history-API router: the app has four screens and the sign-in callback, which does not
// justify a routing dependency. The Go server falls back to index.html for
// unknown paths, so deep links work.
import { AUTH_CALLBACK_PATH } from "../auth/authConfig";
import { Link as MuiLink, type LinkProps as MuiLinkProps } from "@mui/material";
import {
  createContext,
  useCallback,
  useContext,
  useMemo,
  useSyncExternalStore,
  type MouseEvent,
  type ReactNode,
} from "react";

export interface Location {
  pathname: string;
  search: string;
}

export interface Navigator {
  location(): Location;
  push(to: string): void;
  /** Replaces the current entry (e.g. the sign-in callback with its one-time code). */
  replace(to: string): void;
  subscribe(listener: () => void): () => void;
}

/** Navigator over window.history. */
export function browserNavigator(): Navigator {
  const listeners = new Set<() => void>();
  let current: Location = { pathname: window.location.pathname, search: window.location.search };
  const refresh = () => {
    current = { pathname: window.location.pathname, search: window.location.search };
    listeners.forEach((l) => l());
  };
  window.addEventListener("popstate", refresh);
  return {
    location: () => current,
    push(to) {
      window.history.pushState(null, "", to);
      window.scrollTo?.(0, 0);
      refresh();
    },
    replace(to) {
      window.history.replaceState(null, "", to);
      refresh();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** In-memory navigator, for tests. */
export function memoryNavigator(initial = "/"): Navigator & { history: string[] } {
  const listeners = new Set<() => void>();
  const history = [initial];
  const parse = (to: string): Location => {
    const url = new URL(to, "http://cinegraph.local");
    return { pathname: url.pathname, search: url.search };
  };
  let current = parse(initial);
  return {
    history,
    location: () => current,
    push(to) {
      history.push(to);
      current = parse(to);
      listeners.forEach((l) => l());
    },
    replace(to) {
      history[history.length - 1] = to;
      current = parse(to);
      listeners.forEach((l) => l());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const RouterContext = createContext<Navigator | null>(null);

export function Router({ navigator, children }: { navigator: Navigator; children: ReactNode }) {
  return <RouterContext.Provider value={navigator}>{children}</RouterContext.Provider>;
}

function useNavigatorContext(): Navigator {
  const nav = useContext(RouterContext);
  if (!nav) throw new Error("useLocation: no <Router> above this component");
  return nav;
}

export function useLocation(): Location {
  const nav = useNavigatorContext();
  return useSyncExternalStore(nav.subscribe, nav.location, nav.location);
}

export function useNavigate(): (to: string, options?: { replace?: boolean }) => void {
  const nav = useNavigatorContext();
  return useCallback((to: string, options?: { replace?: boolean }) => (options?.replace ? nav.replace(to) : nav.push(to)), [nav]);
}

export function useSearchParams(): URLSearchParams {
  const { search } = useLocation();
  return useMemo(() => new URLSearchParams(search), [search]);
}

/** MUI link that navigates without a page load (modified clicks open normally). */
export function RouterLink({ to, onClick, ...rest }: MuiLinkProps & { to: string }) {
  const navigate = useNavigate();
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <MuiLink href={to} onClick={handle} {...rest} />;
}

export type Route =
  | { name: "home" }
  | { name: "browse" }
  | { name: "search"; query: string }
  | { name: "title"; id: string }
  | { name: "authCallback" }
  | { name: "ops" }
  | { name: "notFound" };

/** Maps a location onto one of the app's screens. */
export function matchRoute({ pathname, search }: Location): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return { name: "home" };
  if (path === "/browse") return { name: "browse" };
  if (path === "/search") return { name: "search", query: new URLSearchParams(search).get("q") ?? "" };
  const title = /^\/title\/([^/]+)$/.exec(path);
  if (title) return { name: "title", id: decodeURIComponent(title[1]) };
  if (path === AUTH_CALLBACK_PATH) return { name: "authCallback" };
  if (path === OPS_PATH) return { name: "ops" };
  return { name: "notFound" };
}

/** The ops console, for admins. */
export const OPS_PATH = "/ops";

export function titlePath(id: string): string {
  return `/title/${encodeURIComponent(id)}`;
}

export function searchPath(query: string): string {
  return `/search?q=${encodeURIComponent(query)}`;
}
