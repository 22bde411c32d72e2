import { describe, expect, it } from "vitest";
import config from "../vite.config";

/** Whether the dev server proxies path, matching keys as Vite does (^… a regex, else a prefix). */
function proxied(path: string): boolean {
  const proxy = config.server?.proxy ?? {};
  return Object.keys(proxy).some((key) => (key.startsWith("^") ? new RegExp(key).test(path) : path.startsWith(key)));
}

describe("dev server proxy", () => {
  it.each([
    ["/graphql", true],
    ["/auth/config", true],
    ["/auth/demo-token", true],
    // The app's own route: the provider sends the browser back to it.
    ["/auth/callback?code=c&state=s", false],
    ["/title/t1", false],
  ])("%s -> %s", (path, want) => {
    expect(proxied(path)).toBe(want);
  });
});
