import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { HighlightText } from "./HighlightText";
import { parseHighlight } from "./highlight";

describe("parseHighlight", () => {
  const cases = [
    {
      name: "plain and emphasized",
      in: "a <em>space</em> opera",
      out: [
        { text: "a ", emphasized: false },
        { text: "space", emphasized: true },
        { text: " opera", emphasized: false },
      ],
    },
    {
      name: "other tags stay text",
      in: '<script>alert(1)</script> <em>x</em><img src=x onerror="y">',
      out: [
        { text: "<script>alert(1)</script> ", emphasized: false },
        { text: "x", emphasized: true },
        { text: '<img src=x onerror="y">', emphasized: false },
      ],
    },
    {
      name: "escaped entities decode to text",
      in: "Tom &amp; <em>Jerry</em> &lt;3",
      out: [
        { text: "Tom & ", emphasized: false },
        { text: "Jerry", emphasized: true },
        { text: " <3", emphasized: false },
      ],
    },
    { name: "empty", in: "", out: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(parseHighlight(c.in)).toEqual(c.out);
    });
  }
});

describe("HighlightText", () => {
  it("renders only <em> as markup", () => {
    const { container } = render(<HighlightText fragment={'<b>bold</b> <em>hit</em> <img src=x onerror="alert(1)">'} />);
    expect(container.querySelectorAll("em")).toHaveLength(1);
    expect(container.querySelector("em")).toHaveTextContent("hit");
    expect(container.querySelector("b")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(container).toHaveTextContent('<b>bold</b> hit <img src=x onerror="alert(1)">');
  });
});
