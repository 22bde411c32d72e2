import { describe, expect, it } from "vitest";
import { avatarHue, initials } from "./ProfileAvatar";

describe("initials", () => {
  it.each([
    ["Ada", "A"],
    ["Ada Lovelace", "AL"],
    ["  grace  brewster murray hopper ", "GH"],
    ["", "?"],
  ])("%j is %j", (name, want) => expect(initials(name)).toBe(want));
});

describe("avatarHue", () => {
  it("gives the seeded profiles colours well apart", () => {
    const hues = ["profile-1", "profile-2", "profile-3", "profile-4", "profile-5"].map(avatarHue).sort((a, b) => a - b);
    const gaps = hues.slice(1).map((h, i) => h - hues[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30);
    expect(avatarHue("profile-1")).toBe(avatarHue("profile-1"));
  });
});
