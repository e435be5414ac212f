// The operator's dashboard (PROTOCOL.md "Web pages", docs/dashboard.md); built by scripts/build-web.ts into dist/web/admin.
import { AdminApi, sessionToken } from './admin-api';
import { ClusterPanel } from './cluster-panel';
import { byId, say } from './dom';
import { EconomyPanel } from './economy-panel';
import { PlayerPanel } from './player-panel';
import { Poller } from './poller';
import { ZonePanel } from './zone-panel';

const tokenForm = byId<HTMLFormElement>('token-form');
const tokenInput = byId<HTMLInputElement>('admin-token');
const dashboard = byId('dashboard');

const api = new AdminApi(() => askForToken('the admin token was refused: type it again'));
const cluster = new ClusterPanel(api);
const zone = new ZonePanel(api);
const economy = new EconomyPanel(api);
new PlayerPanel(api);
const pollers = [cluster.poller, zone.poller, zone.statsPoller, new Poller(5_000, () => economy.refresh())];

function askForToken(message: string): void {
  pollers.forEach((poller) => poller.stop());
  tokenForm.hidden = false;
  say(byId('token-status'), message, message ? 'error' : 'info');
  tokenInput.value = '';
  tokenInput.focus();
}

function start(): void {
  tokenForm.hidden = true;
  dashboard.hidden = false;
  pollers.forEach((poller) => poller.start());
}

// A form, so Enter in the token field submits it.
tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = tokenInput.value.trim();
  if (!token) return;
  sessionToken.write(token);
  start();
});
byId('sign-out').addEventListener('click', () => {
  sessionToken.clear();
  askForToken('');
});

if (sessionToken.read()) start();
else askForToken('');
