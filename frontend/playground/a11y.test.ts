import { describe, expect, it } from "vitest";
import { fixTabRoles } from "./a11y";

const tab = (name: string, selected: boolean) =>
  `<li role="tab" aria-selected="${selected}" class="graphiql-tab"><button class="graphiql-tab-button" type="button">${name}</button></li>`;

describe("fixTabRoles", () => {
  it("moves the tab role and selection onto the tab's button, also for tabs added later", async () => {
    const root = document.createElement("div");
    root.innerHTML = `<ul role="tablist">${tab("Home", true)}</ul>`;
    const stop = fixTabRoles(root);
    const button = root.querySelector("button")!;
    expect(button).toHaveAttribute("role", "tab");
    expect(button).toHaveAttribute("aria-selected", "true");
    expect(root.querySelector("li")).toHaveAttribute("role", "presentation");

    root.querySelector("ul")!.insertAdjacentHTML("beforeend", tab("Second", false));
    await new Promise((r) => setTimeout(r, 0));
    const second = root.querySelectorAll("button")[1];
    expect(second).toHaveAttribute("role", "tab");
    expect(second).toHaveAttribute("aria-selected", "false");

    root.querySelectorAll("li")[1].setAttribute("aria-selected", "true");
    await new Promise((r) => setTimeout(r, 0));
    expect(second).toHaveAttribute("aria-selected", "true");
    stop();
  });
});
