import type { InventoryView } from '@app/inventory';
import { CATALOG } from '@app/inventory/catalog';
import { AdminApi, analyticsMissing, RequestFailed } from './admin-api';
import { byId, element, say } from './dom';
import { count } from './format';
import { GrantIds, GrantRequest } from './grant-id';
import { HistoryPage, historyCells } from './history-rows';
import { Latest } from './latest';

const NAME = /^[A-Za-z0-9_-]{1,32}$/;
const HISTORY_PAGE = 50;

/**
 * A player by name or playerId: inventory, history (paged, oldest first) and a grant with a generated grantId.
 * Each lookup makes what earlier ones still wait for stale: a late answer is dropped, never shown for another player.
 */
export class PlayerPanel {
  private playerId?: string;
  private next: string | null = null;
  private historyRows = 0;
  private readonly lookups = new Latest();
  private readonly grantIds = new GrantIds();
  private readonly status = byId('player-status');
  private readonly inventory = byId('inventory');
  private readonly history = byId<HTMLTableElement>('history');
  private readonly historyStatus = byId('history-status');
  private readonly more = byId<HTMLButtonElement>('history-more');
  private readonly grantForm = byId<HTMLFormElement>('grant-form');
  private readonly grantStatus = byId('grant-status');

  constructor(private readonly api: AdminApi) {
    byId<HTMLFormElement>('player-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.lookUp(byId<HTMLInputElement>('player-query').value.trim());
    });
    this.more.addEventListener('click', () => void this.loadHistory(this.lookups.current()));
    this.grantForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.grant();
    });
    // The grantId shown is the one the form's grant would be sent with: a changed amount is another grant.
    this.grantForm.addEventListener('input', () => this.showGrantId());
    byId('grant-items').append(...Object.keys(CATALOG).map((itemId) => element('option', { value: itemId })));
  }

  private async lookUp(query: string): Promise<void> {
    if (!query) return;
    const isLatest = this.lookups.begin();
    // Nothing of the previous player stays on show (or clickable) while this one is looked up.
    this.playerId = undefined;
    this.next = null;
    this.historyRows = 0;
    this.history.tBodies[0].replaceChildren();
    this.historyStatus.textContent = '';
    this.inventory.replaceChildren();
    this.more.hidden = true;
    this.grantForm.hidden = true;
    say(this.status, 'looking up…');
    try {
      const playerId = await this.resolve(query);
      if (!isLatest()) return;
      this.playerId = playerId;
      this.grantForm.hidden = false;
      this.showGrantId();
      await Promise.all([this.loadInventory(isLatest), this.loadHistory(isLatest)]);
      if (isLatest()) say(this.status, `player ${playerId}`);
    } catch (error) {
      if (isLatest()) say(this.status, (error as Error).message, 'error');
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

  /** The player's inventory, shown unless another lookup began meanwhile (`isCurrent` says). */
  private async loadInventory(isCurrent: () => boolean): Promise<void> {
    if (!this.playerId) return;
    const inventory = await this.api.get<InventoryView>(`/admin/players/${encodeURIComponent(this.playerId)}/inventory`);
    if (!isCurrent()) return;
    const items = Object.entries(inventory.items).map(([itemId, quantity]) => `${itemId} × ${quantity}`);
    const equipment = Object.entries(inventory.equipment).map(([slot, itemId]) => `${slot}: ${itemId}`);
    this.inventory.replaceChildren(
      element('div', {}, element('strong', {}, 'gold '), count(inventory.gold)),
      element('div', {}, element('strong', {}, 'items '), items.join(', ') || 'none'),
      element('div', {}, element('strong', {}, 'equipment '), equipment.join(', ') || 'none'),
      element('div', { class: 'muted' }, `version ${inventory.version}`),
    );
  }

  /**
   * The next page of the player's history (the first when none was read yet), dropped if another lookup began
   * meanwhile. "load more" is hidden while a page is on its way, so one page is never asked for twice.
   */
  private async loadHistory(isCurrent: () => boolean): Promise<void> {
    if (!this.playerId) return;
    const after = this.next ? `&after=${encodeURIComponent(this.next)}` : '';
    this.more.hidden = true;
    try {
      const page = await this.api.get<HistoryPage>(`/admin/players/${encodeURIComponent(this.playerId)}/history?limit=${HISTORY_PAGE}${after}`);
      if (!isCurrent()) return;
      const body = this.history.tBodies[0];
      for (const entry of page.events) {
        const tr = body.insertRow();
        for (const text of historyCells(entry)) tr.insertCell().textContent = text;
      }
      this.historyRows += page.events.length;
      this.next = page.next;
      this.more.hidden = page.next === null;
      this.historyStatus.textContent = this.historyRows === 0 ? 'no events yet' : `${this.historyRows} events, oldest first`;
    } catch (error) {
      if (!isCurrent()) return;
      // "load more" comes back when there is more to load: a failed page can be asked for again.
      this.more.hidden = this.historyRows === 0 || this.next === null;
      this.historyStatus.textContent = analyticsMissing(error) ? 'analytics unavailable' : (error as Error).message;
    }
  }

  /** What the grant form asks `playerId` to be granted. */
  private grantRequest(playerId: string): GrantRequest {
    const gold = Number(byId<HTMLInputElement>('grant-gold').value || 0);
    const itemId = byId<HTMLInputElement>('grant-item').value.trim();
    const quantity = Number(byId<HTMLInputElement>('grant-quantity').value || 0);
    return { playerId, gold, items: itemId && quantity > 0 ? { [itemId]: quantity } : {} };
  }

  private async grant(): Promise<void> {
    if (!this.playerId) return;
    const isCurrent = this.lookups.current();
    const request = this.grantRequest(this.playerId);
    const grantId = this.grantIds.send(request);
    this.showGrantId();
    say(this.grantStatus, 'granting…');
    try {
      await this.api.post(`/admin/players/${encodeURIComponent(request.playerId)}/grants`, { grantId, gold: request.gold, items: request.items });
    } catch (error) {
      say(this.grantStatus, (error as Error).message, 'error');
      // Unanswered (5xx, no answer): the grantId stays with this grant, so sending it again grants once. A refusal is
      // the grant's first outcome, which its grantId would be answered with forever: the same sent again is a new grant.
      if (error instanceof RequestFailed && error.status >= 400 && error.status < 500) this.grantIds.answered(request);
      this.showGrantId();
      return;
    }
    this.grantIds.answered(request);
    say(this.grantStatus, `granted to ${request.playerId} (${grantId})`);
    this.showGrantId();
    await this.loadInventory(isCurrent).catch((error: unknown) => {
      if (isCurrent()) say(this.status, (error as Error).message, 'error');
    });
  }

  private showGrantId(): void {
    byId('grant-id').textContent = this.playerId ? this.grantIds.idFor(this.grantRequest(this.playerId)) : '';
  }
}
