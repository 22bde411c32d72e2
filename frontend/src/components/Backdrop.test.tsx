import { fireEvent, render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Backdrop } from "./Backdrop";

describe("Backdrop", () => {
  it("loads the generated backdrop with a srcset, as decoration", () => {
    const { container } = render(<Backdrop src="/media/artwork/t0328/backdrop-1280" />);
    const img = container.querySelector("img");
    expect(img).not.toBeNull();
    expect(img).toHaveAttribute("alt", "");
    expect(img).toHaveAttribute(
      "srcset",
      "/media/artwork/t0328/backdrop-780 780w, /media/artwork/t0328/backdrop-1280 1280w, /media/artwork/t0328/backdrop-1920 1920w",
    );
    expect(img?.getAttribute("sizes")).toContain("100vw");
    expect(container.firstElementChild).toHaveAttribute("aria-hidden", "true");
  });

  it("drops a backdrop that fails to load and keeps the shade", () => {
    const { container, getByTestId } = render(<Backdrop src="/media/artwork/t0328/backdrop-1280" />);
    fireEvent.error(container.querySelector("img")!);
    expect(container.querySelector("img")).toBeNull();
    expect(getByTestId("backdrop-shade")).toBeInTheDocument();
  });
});
