import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import { describe, expect, it } from "vitest";
import { describeError } from "./describeError";

describe("describeError", () => {
  const codes = [
    ["BAD_USER_INPUT", /isn't valid/],
    ["NOT_FOUND", /couldn't find/],
    ["UNAUTHENTICATED", /not signed in/],
    ["FORBIDDEN", /isn't allowed/],
    ["UNAVAILABLE", /temporarily unavailable/],
    ["RATE_LIMITED", /Too many requests/],
    ["INTERNAL", /on our side/],
    ["SOMETHING_ELSE", /unexpected/],
  ] as const;
  for (const [code, message] of codes) {
    it(`maps ${code}`, () => {
      const error = new CombinedGraphQLErrors({
        data: null,
        errors: [{ message: "raw", path: ["title", "audienceSentiment"], extensions: { code } }],
      });
      const [d] = describeError(error);
      expect(d.code).toBe(code === "SOMETHING_ELSE" ? "UNKNOWN" : code);
      expect(d.message).toMatch(message);
      expect(d.detail).toBe("raw");
      expect(d.path).toBe("title.audienceSentiment");
    });
  }

  it("describes network failures", () => {
    expect(describeError(new TypeError("Failed to fetch"))[0].code).toBe("NETWORK");
    const server = new ServerError("boom", { response: new Response("", { status: 502 }), bodyText: "" });
    expect(describeError(server)[0].message).toMatch(/answered with an error/);
    const expired = new ServerError("401", { response: new Response("", { status: 401 }), bodyText: "" });
    expect(describeError(expired)[0]).toMatchObject({ code: "UNAUTHENTICATED", message: expect.stringMatching(/not signed in/) });
  });

  it("returns nothing without an error", () => {
    expect(describeError(undefined)).toEqual([]);
  });
});
