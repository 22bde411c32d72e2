import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { PosterImage } from "./PosterImage";

describe("PosterImage", () => {
  it("swaps a broken image for a named placeholder", () => {
    render(<PosterImage id="t1" name="Star Voyage" src="/media/missing.jpg" />);
    const img = screen.getByRole("img", { name: "Star Voyage" });
    expect(img.tagName).toBe("IMG");
    fireEvent.error(img);
    const placeholder = screen.getByRole("img", { name: "Star Voyage" });
    expect(placeholder.tagName).toBe("DIV");
    expect(placeholder).toHaveTextContent("Star Voyage");
  });
});
