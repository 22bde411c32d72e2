import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LoadMore } from "./LoadMore";

type Callback = (entries: { isIntersecting: boolean }[]) => void;

describe("LoadMore", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("loads when the button is clicked", async () => {
    const onLoadMore = vi.fn();
    render(<LoadMore hasMore loading={false} onLoadMore={onLoadMore} />);
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(onLoadMore).toHaveBeenCalledTimes(1);
  });

  it("loads when scrolled into view, but not while loading or at the end", () => {
    const observers: Callback[] = [];
    vi.stubGlobal(
      "IntersectionObserver",
      class {
        constructor(cb: Callback) {
          observers.push(cb);
        }
        observe() {}
        disconnect() {}
      },
    );
    const onLoadMore = vi.fn();
    const { rerender } = render(<LoadMore hasMore loading={false} onLoadMore={onLoadMore} />);
    act(() => observers.at(-1)!([{ isIntersecting: true }]));
    expect(onLoadMore).toHaveBeenCalledTimes(1);

    const before = observers.length;
    rerender(<LoadMore hasMore loading onLoadMore={onLoadMore} />);
    expect(observers.length).toBe(before);
    expect(screen.getByRole("button", { name: "Loading…" })).toBeDisabled();

    rerender(<LoadMore hasMore={false} loading={false} onLoadMore={onLoadMore} />);
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });
});
