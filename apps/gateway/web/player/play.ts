import type { GameClient } from '@app/sdk';
import { InventoryPanel } from './inventory-panel';
import { problemText } from './problems';
import { readGoldTransfer } from './send-gold';
import { ZoneView } from './zone-view';

/** Looks up an element the page must have (index.html); a missing one is a bug in the page, said at once. */
export function element<E extends HTMLElement = HTMLElement>(testId: string): E {
  const found = document.querySelector<E>(`[data-testid="${testId}"]`);
  if (!found) throw new Error(`the page has no [data-testid=${testId}]`);
  return found;
}

/** Wait between attempts to enter the zone while the zone service does not answer. */
const JOIN_RETRY_MS = 2_000;

/** Everything after login: the zone, the inventory, the send-gold form, the reconnect banner. */
export function play(client: GameClient, name: string, zoneId: string): void {
  const message = element('message');
  const say = (text: string) => (message.textContent = text);
  element('player-name').textContent = name;

  const banner = element('reconnecting');
  const connection = element('connection');
  const showConnection = () => {
    banner.hidden = client.connectionState !== 'reconnecting';
    connection.textContent = client.connectionState;
  };
  client.onConnectionState(showConnection);
  showConnection();

  const attempt = (action: () => Promise<unknown>, done: string) =>
    void action().then(
      () => say(done),
      (error: unknown) => say(problemText(error)),
    );
  const panel = new InventoryPanel(
    { gold: element('gold'), items: element('inventory'), equipment: element('equipment') },
    {
      use: (itemId) => attempt(() => client.use(itemId), `Used a ${itemId}.`),
      equip: (itemId) => attempt(() => client.equip(itemId), `Equipped the ${itemId}.`),
      unequip: (slot) => attempt(() => client.unequip(slot), `Took off your ${slot}.`),
    },
  );
  client.onInventory((inventory) => panel.show(inventory));
  client.get().catch((error: unknown) => say(problemText(error)));

  const sendForm = element<HTMLFormElement>('send-gold-form');
  sendForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const transfer = readGoldTransfer(element<HTMLInputElement>('send-gold-to').value, element<HTMLInputElement>('send-gold-amount').value, name);
    if (!transfer.ok) return say(transfer.problem);
    attempt(async () => {
      const { playerId } = await client.findPlayer(transfer.name);
      await client.transferGold(playerId, transfer.amount);
      sendForm.reset();
    }, `Sent ${transfer.amount} gold to ${transfer.name}.`);
  });

  new ZoneView(client, element<HTMLCanvasElement>('zone'), { position: element('position'), hp: element('hp') }, say).start();
  const join = () =>
    client.joinZone(zoneId).then(
      () => say(`Welcome to ${zoneId}, ${name}.`),
      (error: unknown) => {
        // The SDK already retried what may pass; `not_found` (no such zone) will not.
        if ((error as { code?: string }).code === 'not_found') return say(`There is no zone ${zoneId}.`);
        say(`Could not enter ${zoneId}: ${problemText(error)} Trying again…`);
        setTimeout(() => void join(), JOIN_RETRY_MS);
      },
    );
  void join();
  // Leaving the page ends the session at once, also when the browser keeps the page for back/forward: a frozen tab
  // should not hold its player in the zone. A page restored from that cache (its client closed) loads again, to the
  // login with the name filled in, instead of showing a closed client that never reconnects.
  window.addEventListener('pagehide', () => client.close());
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) location.reload();
  });
}
