import type { Slot } from '@app/inventory/catalog';
import type { Inventory } from '@app/sdk';
import { itemRows, slotRows } from './inventory-rows';

export interface InventoryActions {
  use(itemId: string): void;
  equip(itemId: string): void;
  unequip(slot: Slot): void;
}

/** Gold, the bag and the equipment, drawn again from each inventory the SDK hears of (`inventory:changed`). */
export class InventoryPanel {
  constructor(
    private readonly elements: { gold: HTMLElement; items: HTMLElement; equipment: HTMLElement },
    actions: InventoryActions,
  ) {
    // One listener per list, whatever rows come and go.
    elements.items.addEventListener('click', (event) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-item]');
      const itemId = button?.dataset.item;
      if (itemId) (button.dataset.testid === 'use' ? actions.use : actions.equip)(itemId);
    });
    elements.equipment.addEventListener('click', (event) => {
      const slot = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-slot]')?.dataset.slot;
      if (slot) actions.unequip(slot as Slot);
    });
  }

  show(inventory: Inventory): void {
    this.elements.gold.textContent = String(inventory.gold);
    const items = itemRows(inventory);
    this.elements.items.replaceChildren(
      ...(items.length === 0
        ? [row('empty', 'empty')]
        : items.map(({ itemId, quantity, action }) =>
            row('inventory-item', `${itemId} × ${quantity}`, action && button(action, action, { item: itemId }), itemId),
          )),
    );
    this.elements.equipment.replaceChildren(
      ...slotRows(inventory).map(({ slot, itemId }) => row('equipment-slot', `${slot}: ${itemId ?? '—'}`, itemId && button('unequip', 'unequip', { slot }))),
    );
  }
}

function row(testId: string, text: string, action?: HTMLElement | '' | undefined, itemId?: string): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.testid = testId;
  if (itemId) item.dataset.item = itemId;
  const label = document.createElement('span');
  label.textContent = text;
  item.append(label);
  if (action) item.append(action);
  return item;
}

function button(testId: string, text: string, data: Record<string, string>): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.dataset.testid = testId;
  Object.assign(element.dataset, data);
  return element;
}
