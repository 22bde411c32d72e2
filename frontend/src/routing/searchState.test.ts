import { describe, expect, it } from "vitest";
import { browseUrl, readBrowseFilter, readSearchState, searchFilter, searchStateUrl } from "./searchState";

const read = (search: string) => readSearchState(new URLSearchParams(search));

describe("search state in the address", () => {
  it("round-trips through the query string", () => {
    const state = { query: "star wars & co", genres: ["sci-fi", "drama"], kind: "MOVIE" as const, decade: 1970, year: 1977 };
    const url = searchStateUrl(state);
    expect(url).toBe("/search?q=star+wars+%26+co&genre=sci-fi&genre=drama&kind=MOVIE&decade=1970&year=1977");
    expect(read(url.slice("/search".length))).toEqual(state);
  });

  it("sends a year, else its decade, as a release-year range", () => {
    expect(searchFilter(read("?q=x&decade=1980"))).toEqual({ releaseYearFrom: 1980, releaseYearTo: 1989 });
    expect(searchFilter(read("?q=x&decade=1980&year=1984"))).toEqual({ releaseYearFrom: 1984, releaseYearTo: 1984 });
    expect(searchFilter(read("?q=x&genre=drama&kind=SERIES"))).toEqual({ kind: "SERIES", genres: ["drama"] });
    expect(searchFilter(read("?q=x"))).toBeNull();
  });

  it("leaves out what it cannot read", () => {
    expect(read("?q=x&kind=CARTOON&decade=abc&genre=&genre=drama&genre=drama")).toEqual({
      query: "x",
      genres: ["drama"],
      kind: null,
      decade: null,
      year: null,
    });
    // A year outside its decade is dropped; a decade is rounded down; a year alone implies its decade.
    expect(read("?decade=1985&year=1999")).toMatchObject({ decade: 1980, year: null });
    expect(read("?year=1999")).toMatchObject({ decade: 1990, year: 1999 });
  });

  it("keeps the browse filter too", () => {
    const filter = { kind: "SERIES" as const, genres: ["drama"], releaseYearFrom: 1990, releaseYearTo: 1999 };
    const url = browseUrl(filter);
    expect(url).toBe("/browse?kind=SERIES&genre=drama&from=1990&to=1999");
    expect(readBrowseFilter(new URLSearchParams(url.slice("/browse".length)))).toEqual(filter);
    expect(browseUrl({})).toBe("/browse");
  });
});
