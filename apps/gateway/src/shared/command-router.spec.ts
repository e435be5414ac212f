import { CommandEnvelope, DirectAnswer, Outcome } from '@app/engine';
import { ClientOverloadedError, KafkaCommandClient, OwnerDirectory, ReplyTimeoutError } from '@app/kafka';
import { LinkError } from '@app/owner-link';
import { CommandRouter } from './command-router';
import { OwnerLinks } from './owner-links';

const ACCEPTED: Outcome = { ok: true, reply: { gold: 1 } };
const envelope: CommandEnvelope = { commandId: 'c-1', aggregateId: 'p_alice', issuedAt: 1, command: { type: 'get' } };

/** A router whose owner answers `direct` (or throws it), with every topic send and group read recorded. */
function routerWith(direct: DirectAnswer | Error | undefined, { owner = 'owner-a:7000' }: { owner?: string | undefined } = {}) {
  const sent: { how: 'send' | 'dispatch'; envelope: unknown }[] = [];
  const failed: unknown[] = [];
  let refreshes = 0;
  const topic = {
    send: (_topic: string, sentEnvelope: unknown) => {
      sent.push({ how: 'send', envelope: sentEnvelope });
      return Promise.resolve<Outcome>({ ok: true, reply: 'via topic' });
    },
    dispatch: (_topic: string, sentEnvelope: unknown) => {
      sent.push({ how: 'dispatch', envelope: sentEnvelope });
      return Promise.resolve();
    },
  } as unknown as KafkaCommandClient;
  const directory = {
    ownerOf: () => owner,
    refresh: () => {
      refreshes++;
      return Promise.resolve();
    },
  } as unknown as OwnerDirectory;
  const link = { inFlight: 3, request: () => (direct instanceof Error ? Promise.reject(direct) : Promise.resolve(direct)) };
  const links = { to: () => link, failed: (_address: string, error: unknown) => failed.push(error) } as unknown as OwnerLinks;
  const router = new CommandRouter({ service: 'inventory', commandsTopic: 'inventory.commands', partitions: 4, topic, directory, links });
  return { router, sent, failed, refreshes: () => refreshes };
}

describe('CommandRouter', () => {
  it("answers with the owner's outcome and touches the topic not at all", async () => {
    const { router, sent } = routerWith({ kind: 'outcome', outcome: ACCEPTED });
    expect(await router.send(envelope, 1_000)).toEqual(ACCEPTED);
    await router.dispatch(envelope, 1_000);
    expect(sent).toEqual([]);
  });

  it('sends through the topic, with the same envelope, when the owner says resend, and reads the group again', async () => {
    const { router, sent, refreshes } = routerWith({ kind: 'resend', reason: 'moved' });
    expect(await router.send(envelope, 1_000)).toEqual({ ok: true, reply: 'via topic' });
    expect(sent).toEqual([{ how: 'send', envelope }]);
    expect(refreshes()).toBe(1);
  });

  it('answers unavailable when the owner is busy, and stores a command nobody waits for in the topic instead', async () => {
    const { router, sent } = routerWith({ kind: 'busy', reason: 'full' });
    expect(await router.send(envelope, 1_000)).toMatchObject({ ok: false, rejection: { code: 'unavailable' } });
    expect(sent).toEqual([]);
    await router.dispatch(envelope, 1_000);
    expect(sent).toEqual([{ how: 'dispatch', envelope }]);
  });

  it('takes the topic when no owner is known, when the link closed, or when the owner cannot be reached (and notes that)', async () => {
    const nobody = routerWith(undefined, { owner: undefined });
    await nobody.router.send(envelope, 1_000);
    const closed = routerWith(new LinkError('closed', 'gone'));
    await closed.router.send(envelope, 1_000);
    const refused = routerWith(new LinkError('connect', 'refused'));
    await refused.router.send(envelope, 1_000);
    expect([nobody.sent, closed.sent, refused.sent].map((sent) => sent.length)).toEqual([1, 1, 1]);
    expect(refused.failed).toEqual([expect.objectContaining({ reason: 'connect' })]);
  });

  it('gives up instead of taking the topic when the owner did not answer in time or the link is full', async () => {
    const late = routerWith(new LinkError('timeout', 'late'));
    await expect(late.router.send(envelope, 1_000)).rejects.toBeInstanceOf(ReplyTimeoutError);
    const full = routerWith(new LinkError('overloaded', 'full'));
    await expect(full.router.send(envelope, 1_000)).rejects.toBeInstanceOf(ClientOverloadedError);
    expect([...late.sent, ...full.sent]).toEqual([]);
  });

  it('counts an answer it cannot read as none, and takes the topic', async () => {
    const { router, sent } = routerWith({ kind: 'mystery' } as unknown as DirectAnswer);
    expect(await router.send(envelope, 1_000)).toEqual({ ok: true, reply: 'via topic' });
    expect(sent).toHaveLength(1);
  });
});
