/**
 * GraphiQL marks each editor tab's list item as the tab and puts the
 * focusable button inside it, an interactive control nested in another.
 * This moves the tab role (and its selected state) onto the button, the
 * element the keyboard reaches, and keeps doing so as tabs come and go.
 */
export function fixTabRoles(root: HTMLElement): () => void {
  const fix = () => {
    for (const li of root.querySelectorAll<HTMLElement>('li.graphiql-tab[role="tab"]')) {
      const button = li.querySelector<HTMLElement>("button.graphiql-tab-button");
      if (!button) continue;
      button.setAttribute("role", "tab");
      button.setAttribute("aria-selected", li.getAttribute("aria-selected") ?? "false");
      li.setAttribute("role", "presentation");
      li.removeAttribute("aria-selected");
    }
    // A selection change lands on the list item again: carry it over.
    for (const li of root.querySelectorAll<HTMLElement>('li.graphiql-tab[role="presentation"][aria-selected]')) {
      li.querySelector("button.graphiql-tab-button")?.setAttribute("aria-selected", li.getAttribute("aria-selected") ?? "false");
      li.removeAttribute("aria-selected");
    }
  };
  fix();
  const observer = new MutationObserver(fix);
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["role", "aria-selected"] });
  return () => observer.disconnect();
}
