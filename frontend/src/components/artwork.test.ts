import { describe, expect, it } from "vitest";
import { artworkSrcSet } from "./artwork";

describe("artworkSrcSet", () => {
  it.each([
    [
      "/media/artwork/t0001/poster-342",
      "poster",
      "/media/artwork/t0001/poster-185 185w, /media/artwork/t0001/poster-342 342w, /media/artwork/t0001/poster-500 500w, /media/artwork/t0001/poster-780 780w",
    ],
    [
      "/media/artwork/t0328/backdrop-1280",
      "backdrop",
      "/media/artwork/t0328/backdrop-780 780w, /media/artwork/t0328/backdrop-1280 1280w, /media/artwork/t0328/backdrop-1920 1920w",
    ],
    ["/media/artwork/t0001/thumbnail-320", "thumbnail", "/media/artwork/t0001/thumbnail-320 320w, /media/artwork/t0001/thumbnail-640 640w"],
  ] as const)("lists every width of %s", (url, shape, want) => {
    expect(artworkSrcSet(url, shape)).toBe(want);
  });

  it.each([
    ["/media/artwork/t0001/poster.jpg", "poster"],
    ["https://cdn.example/p.webp", "poster"],
    ["/media/artwork/t0001/poster-342", "backdrop"],
    ["", "poster"],
  ] as const)("leaves %s (%s) alone", (url, shape) => {
    expect(artworkSrcSet(url, shape)).toBeUndefined();
  });
});
