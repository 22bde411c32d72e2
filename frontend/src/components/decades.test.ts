import { describe, expect, it } from "vitest";
import { decadeBuckets, decadeLabel, decadeOf, yearsInDecade } from "./decades";

const b = (value: string, count: number) => ({ __typename: "FacetBucket" as const, value, count });

describe("decades", () => {
  it("folds about fifty year buckets into a handful of decades", () => {
    const years = Array.from({ length: 50 }, (_, i) => b(String(1975 + i), i + 1));
    const decades = decadeBuckets(years);
    expect(decades.map((d) => decadeLabel(d.value))).toEqual(["1970s", "1980s", "1990s", "2000s", "2010s", "2020s"]);
    expect(decades.reduce((n, d) => n + d.count, 0)).toBe(years.reduce((n, y) => n + y.count, 0));
    // 1975..1979 are the first five buckets: 1+2+3+4+5.
    expect(decades[0].count).toBe(15);
  });

  it("ignores values that are not years, and lists a decade's years in order", () => {
    const years = [b("1989", 1), b("unknown", 4), b("1981", 2), b("1990", 3)];
    expect(decadeBuckets(years).map((d) => [d.value, d.count])).toEqual([
      ["1980", 3],
      ["1990", 3],
    ]);
    expect(yearsInDecade(years, 1980).map((y) => y.value)).toEqual(["1981", "1989"]);
    expect(decadeOf(1990)).toBe(1990);
    expect(decadeOf(1999)).toBe(1990);
  });
});
