import { CommandEnvelope } from '@app/engine';
import { ZoneClient } from './zone-client';

/** The envelopes the zone client hands to its router, answered at once with an empty success. */
function recordingClient(): { client: ZoneClient; sent: CommandEnvelope[] } {
  const sent: CommandEnvelope[] = [];
  const commands = {
    send: (envelope: CommandEnvelope) => {
      sent.push(envelope);
      return Promise.resolve({ ok: true as const, reply: {} });
    },
    dispatch: (envelope: CommandEnvelope) => {
      sent.push(envelope);
      return Promise.resolve();
    },
  };
  return { client: new ZoneClient(commands, 1_000), sent };
}

describe('ZoneClient', () => {
  it('names the player as requester, so the zone remembers its outcomes with the player and not with the zone', async () => {
    const { client, sent } = recordingClient();
    await client.join('meadow', { playerId: 'p_alice' }, 'p_alice:zone:c1');
    await client.attack('meadow', { playerId: 'p_alice' }, 'p_alice:zone:c2', 'm_1');
    await client.leave('meadow', { playerId: 'p_alice' }, 'p_alice:zone:c3');
    expect(sent.map((envelope) => [envelope.command, envelope.requester])).toEqual([
      [{ type: 'join', playerId: 'p_alice' }, 'p_alice'],
      [{ type: 'look', playerId: 'p_alice' }, 'p_alice'],
      [{ type: 'attack', playerId: 'p_alice', targetId: 'm_1' }, 'p_alice'],
      [{ type: 'leave', playerId: 'p_alice' }, 'p_alice'],
    ]);
    expect(sent.every((envelope) => envelope.firstIssuedAt === undefined)).toBe(true);
  });

  it('dates a retry back to its first sending, so the zone can refuse one older than what it remembers', async () => {
    const { client, sent } = recordingClient();
    await client.attack('meadow', { playerId: 'p_alice', firstSentMsAgo: 90_000 }, 'p_alice:zone:c2', 'm_1');
    expect(sent[0].issuedAt - sent[0].firstIssuedAt!).toBe(90_000);
  });
});
