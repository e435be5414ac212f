import { GrantIds, GrantRequest, newGrantId } from './grant-id';

describe('newGrantId', () => {
  it('is dash- and 16 hex digits of the random bytes', () => {
    expect(newGrantId((bytes) => bytes.fill(0xab))).toBe('dash-abababababababab');
  });

  it('differs from one call to the next', () => {
    expect(newGrantId()).not.toBe(newGrantId());
  });
});

describe('GrantIds', () => {
  const counter = () => {
    let made = 0;
    return () => `id-${++made}`;
  };
  const gold250: GrantRequest = { playerId: 'alice', gold: 250, items: {} };

  it('shows the grantId a grant will be sent with', () => {
    const ids = new GrantIds(counter());

    expect(ids.idFor(gold250)).toBe('id-1');
    expect(ids.send(gold250)).toBe('id-1');
  });

  it('sends the very same grant again, unanswered, with the same grantId', () => {
    const ids = new GrantIds(counter());
    ids.send({ playerId: 'alice', gold: 0, items: { potion: 1, sword: 1 } });

    expect(ids.send({ playerId: 'alice', gold: 0, items: { sword: 1, potion: 1 } })).toBe('id-1');
  });

  it('gives a new grantId to another player or other amounts after an unanswered grant', () => {
    const ids = new GrantIds(counter());
    ids.send(gold250);

    expect(ids.idFor({ ...gold250, playerId: 'bob' })).toBe('id-2');
    expect(ids.send({ ...gold250, playerId: 'bob' })).toBe('id-2');
    expect(ids.send({ ...gold250, gold: 300 })).toBe('id-3');
    expect(ids.send({ ...gold250, items: { potion: 1 } })).toBe('id-4');
  });

  it("keeps an unanswered grant's grantId for when it is sent again after another grant", () => {
    const ids = new GrantIds(counter());
    ids.send(gold250);
    ids.send({ ...gold250, playerId: 'bob' });

    expect(ids.send(gold250)).toBe('id-1');
  });

  it('gives the same amounts a new grantId once they were answered', () => {
    const ids = new GrantIds(counter());
    ids.send(gold250);
    ids.answered(gold250);

    expect(ids.idFor(gold250)).toBe('id-2');
    expect(ids.send(gold250)).toBe('id-2');
  });
});
