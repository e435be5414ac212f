import { CATALOG } from '@app/inventory/catalog';
import { AdminApi, analyticsMissing, RequestFailed } from './admin-api';
import { byId, element, say } from './dom';
import { count } from './format';
import { newGrantId } from './grant-id';
import { HistoryPage, historyCells } from './history-rows';

interface Inventory {
  playerId: string;
  gold: number;
  items: Record<string, number>;
  equipment: Record<string, string>;
  version: number;
}

const NAME = /^[A-Za-z0-9_-]{1,32}$/;
const HISTORY_PAGE = 50;

/** A player by name or playerId: inventory, history (paged, oldest first) and a grant with a generated grantId. */
export class PlayerPanel {
  private playerId?: string;
  private next: string | null = null;
  private historyRows = 0;
  /** Kept until a grant is answered, so submitting again after a lost answer grants once (grants are idempotent by it). */
  private grantId = newGrantId();
  private readonly status = byId('player-status');
  private readonly inventory = byId('inventory');
  private readonly history = byId<HTMLTableElement>('history');
  private readonly more = byId<HTMLButtonElement>('history-more');
  private readonly grantForm = byId<HTMLFormElement>('grant-form');
  private readonly grantStatus = byId('grant-status');

  constructor(private readonly api: AdminApi) {
    byId<HTMLFormElement>('player-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.lookUp(byId<HTMLInputElement>('player-query').value.trim());
    });
    this.more.addEventListener('click', () => void this.loadHistory());
    this.grantForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.grant();
    });
    byId('grant-items').append(...Object.keys(CATALOG).map((itemId) => element('option', { value: itemId })));
    this.showGrantId();
  }

  private async lookUp(query: string): Promise<void> {
    if (!query) return;
    say(this.status, 'looking up…');
    try {
      this.playerId = await this.resolve(query);
      this.history.tBodies[0].replaceChildren();
      this.historyRows = 0;
      this.next = null;
      this.grantForm.hidden = false;
      await Promise.all([this.loadInventory(), this.loadHistory()]);
      say(this.status, `player ${this.playerId}`);
    } catch (error) {
      say(this.status, (error as Error).message, 'error');
    }
  }

  /** A name's playerId (GET /admin/player-names/:name); what is no registered name is taken as a playerId. */
  private async resolve(query: string): Promise<string> {
    if (!NAME.test(query)) return query;
    try {
      return (await this.api.get<{ playerId: string }>(`/admin/player-names/${encodeURIComponent(query)}`)).playerId;
    } catch (error) {
      if (error instanceof RequestFailed && error.status === 404) return query;
      throw error;
    }
  }

  private async loadInventory(): Promise<void> {
    if (!this.playerId) return;
    const inventory = await this.api.get<Inventory>(`/admin/players/${encodeURIComponent(this.playerId)}/inventory`);
    const items = Object.entries(inventory.items).map(([itemId, quantity]) => `${itemId} × ${quantity}`);
    const equipment = Object.entries(inventory.equipment).map(([slot, itemId]) => `${slot}: ${itemId}`);
    this.inventory.replaceChildren(
      element('div', {}, element('strong', {}, 'gold '), count(inventory.gold)),
      element('div', {}, element('strong', {}, 'items '), items.join(', ') || 'none'),
      element('div', {}, element('strong', {}, 'equipment '), equipment.join(', ') || 'none'),
      element('div', { class: 'muted' }, `version ${inventory.version}`),
    );
  }

  /** The next page of the player's history (the first when none was read yet). */
  private async loadHistory(): Promise<void> {
    if (!this.playerId) return;
    const after = this.next ? `&after=${encodeURIComponent(this.next)}` : '';
    try {
      const page = await this.api.get<HistoryPage>(`/admin/players/${encodeURIComponent(this.playerId)}/history?limit=${HISTORY_PAGE}${after}`);
      const body = this.history.tBodies[0];
      for (const entry of page.events) {
        const tr = body.insertRow();
        for (const text of historyCells(entry)) tr.insertCell().textContent = text;
      }
      this.historyRows += page.events.length;
      this.next = page.next;
      this.more.hidden = page.next === null;
      byId('history-status').textContent = this.historyRows === 0 ? 'no events yet' : `${this.historyRows} events, oldest first`;
    } catch (error) {
      this.more.hidden = true;
      byId('history-status').textContent = analyticsMissing(error) ? 'analytics unavailable' : (error as Error).message;
    }
  }

  private async grant(): Promise<void> {
    if (!this.playerId) return;
    const gold = Number(byId<HTMLInputElement>('grant-gold').value || 0);
    const itemId = byId<HTMLInputElement>('grant-item').value.trim();
    const quantity = Number(byId<HTMLInputElement>('grant-quantity').value || 0);
    const items = itemId && quantity > 0 ? { [itemId]: quantity } : {};
    say(this.grantStatus, 'granting…');
    try {
      await this.api.post(`/admin/players/${encodeURIComponent(this.playerId)}/grants`, { grantId: this.grantId, gold, items });
      say(this.grantStatus, `granted (${this.grantId})`);
      this.grantId = newGrantId();
      this.showGrantId();
      await this.loadInventory();
    } catch (error) {
      say(this.grantStatus, (error as Error).message, 'error');
      // Unanswered (5xx, no answer): the grantId stays, so sending again grants once. A refusal is the grant's first
      // outcome, which its grantId would be answered with forever: a corrected grant needs a new one.
      if (error instanceof RequestFailed && error.status >= 400 && error.status < 500) {
        this.grantId = newGrantId();
        this.showGrantId();
      }
    }
  }

  private showGrantId(): void {
    byId('grant-id').textContent = this.grantId;
  }
}
