// Building page elements without HTML strings: text always goes in as text.

/** A new element with an optional class and text. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = "",
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A `type="button"` button, so that no button submits a form by accident. */
export function button(text: string, className = "", label?: string): HTMLButtonElement {
  const node = element("button", className, text);
  node.type = "button";
  if (label) node.setAttribute("aria-label", label);
  return node;
}

export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** A table cell that names its column, for layouts that show rows as cards (`data-label`). */
export function labelledCell(label: string, text: string, className = ""): HTMLTableCellElement {
  const cell = element("td", className, text);
  cell.dataset.label = label;
  return cell;
}
