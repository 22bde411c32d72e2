import { describe, expect, it } from "vitest";
import { matchRoute, memoryNavigator, searchPath, titlePath } from "./router";

describe("matchRoute", () => {
  it.each([
    ["/", "", { name: "home" }],
    ["/browse/", "", { name: "browse" }],
    ["/search", "?q=space%20opera", { name: "search", query: "space opera" }],
    ["/search", "", { name: "search", query: "" }],
    ["/title/t%2F1", "", { name: "title", id: "t/1" }],
    ["/title/t1/extra", "", { name: "notFound" }],
    ["/auth/callback", "?code=c&state=s", { name: "authCallback" }],
    ["/auth/callback/", "?error=access_denied", { name: "authCallback" }],
    ["/auth/config", "", { name: "notFound" }],
    ["/ops/", "", { name: "ops" }],
    ["/nowhere", "", { name: "notFound" }],
  ])("%s%s", (pathname, search, want) => {
    expect(matchRoute({ pathname, search })).toEqual(want);
  });

  it("builds paths that round-trip", () => {
    expect(matchRoute(new URL(titlePath("a b/c"), "http://x"))).toEqual({ name: "title", id: "a b/c" });
    const url = new URL(searchPath("tom & jerry"), "http://x");
    expect(matchRoute(url)).toEqual({ name: "search", query: "tom & jerry" });
  });
});

describe("memoryNavigator", () => {
  it("replaces the current entry", () => {
    const nav = memoryNavigator("/auth/callback?code=c");
    nav.replace("/browse");
    expect(nav.history).toEqual(["/browse"]);
    expect(nav.location()).toEqual({ pathname: "/browse", search: "" });
    nav.push("/search?q=x");
    expect(nav.history).toEqual(["/browse", "/search?q=x"]);
  });
});
