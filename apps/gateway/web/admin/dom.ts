import type { Row } from './cluster-rows';

/** An element with its text and attributes; children appended in order. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  created.append(...children);
  return created;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

/**
 * Puts `rows` in `body`, keeping the element of each key from one refresh to the next (a row being read or selected
 * does not flicker), and dropping rows whose key is gone. `testId` names each row for tests.
 */
export function renderRows(body: HTMLTableSectionElement, rows: Row[], testId: string): void {
  const existing = new Map<string, HTMLTableRowElement>();
  for (const row of Array.from(body.rows)) existing.set(row.dataset.key ?? '', row);
  const wanted = rows.map((row) => {
    const tr = existing.get(row.key) ?? element('tr', { 'data-testid': testId, 'data-key': row.key });
    existing.delete(row.key);
    tr.className = `tone-${row.tone}`;
    while (tr.cells.length > row.cells.length) tr.deleteCell(-1);
    row.cells.forEach((text, index) => {
      const cell = tr.cells[index] ?? tr.insertCell();
      if (cell.textContent !== text) cell.textContent = text;
    });
    return tr;
  });
  for (const gone of existing.values()) gone.remove();
  wanted.forEach((tr, index) => {
    if (body.rows[index] !== tr) body.insertBefore(tr, body.rows[index] ?? null);
  });
}

/** A table's header row from column names. */
export function header(head: HTMLTableSectionElement, columns: string[]): void {
  head.replaceChildren(element('tr', {}, ...columns.map((column) => element('th', {}, column))));
}

/** Says what went wrong (or nothing, with an empty message) in a status line. */
export function say(line: HTMLElement, message: string, tone: 'info' | 'error' = 'info'): void {
  line.textContent = message;
  line.className = `status ${tone}`;
}
