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

  it("loads the generated artwork at every width the media host draws", () => {
    render(<PosterImage id="t0001" name="Harbor" src="/media/artwork/t0001/poster-342" sizes="72px" />);
    const img = screen.getByRole("img", { name: "Harbor" });
    expect(img).toHaveAttribute("src", "/media/artwork/t0001/poster-342");
    expect(img).toHaveAttribute(
      "srcset",
      "/media/artwork/t0001/poster-185 185w, /media/artwork/t0001/poster-342 342w, /media/artwork/t0001/poster-500 500w, /media/artwork/t0001/poster-780 780w",
    );
    expect(img).toHaveAttribute("sizes", "72px");
    expect(img).toHaveAttribute("loading", "lazy");
  });

  it("uses an image from elsewhere as it is", () => {
    render(<PosterImage id="t1" name="Star Voyage" src="https://cdn.example/p.jpg" />);
    const img = screen.getByRole("img", { name: "Star Voyage" });
    expect(img).not.toHaveAttribute("srcset");
    expect(img).not.toHaveAttribute("sizes");
  });

  it("tries the next title's artwork after a failure", () => {
    const { rerender } = render(<PosterImage id="t1" name="One" src="/media/artwork/t1/poster-342" />);
    fireEvent.error(screen.getByRole("img", { name: "One" }));
    expect(screen.getByRole("img", { name: "One" }).tagName).toBe("DIV");
    rerender(<PosterImage id="t2" name="Two" src="/media/artwork/t2/poster-342" />);
    expect(screen.getByRole("img", { name: "Two" }).tagName).toBe("IMG");
  });

  it("keeps a decorative poster out of the accessibility tree", () => {
    const { container } = render(<PosterImage id="t1" name="Star Voyage" src="/media/artwork/t1/poster-342" alt="" />);
    expect(screen.queryByRole("img", { name: "Star Voyage" })).toBeNull();
    expect(container.querySelector("img")).toHaveAttribute("alt", "");
  });
});
