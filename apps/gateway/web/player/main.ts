// The player's web client (PROTOCOL.md "Web pages", docs/web-client.md); built by scripts/build-web.ts into dist/web/player.
import { GameClient } from '@app/sdk';
import { problemText } from './problems';
import { element, play } from './play';

/** The name last played with, offered again. */
const NAME_KEY = 'player-name';

const form = element<HTMLFormElement>('login-form');
const nameInput = element<HTMLInputElement>('login-name');
const button = element<HTMLButtonElement>('login');
const loginError = element('login-error');
nameInput.value = localStorage.getItem(NAME_KEY) ?? '';

// A submit button in a form: Enter in the name field logs in too.
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = nameInput.value.trim();
  button.disabled = true;
  loginError.textContent = '';
  GameClient.login({ url: location.origin }, name).then(
    (client) => {
      localStorage.setItem(NAME_KEY, name);
      form.hidden = true;
      element('game').hidden = false;
      // Keys go to the game now, not to a field that is gone.
      element('zone').focus();
      play(client, name, new URLSearchParams(location.search).get('zone') ?? 'meadow');
    },
    (error: unknown) => {
      button.disabled = false;
      loginError.textContent = problemText(error);
    },
  );
});
