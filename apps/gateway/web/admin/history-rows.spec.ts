import { eventDetail, historyCells } from './history-rows';

describe('history rows', () => {
  it('shows when, what, the details and where in the log', () => {
    const now = new Date('2026-12-06T12:00:00.000Z');
    const at = '2026-12-06T11:59:30.000Z';
    const cells = historyCells(
      {
        at,
        service: 'inventory',
        type: 'gold-granted',
        event: { type: 'gold-granted', amount: 100, grantId: 'g-1' },
        source: { commandId: 'c', partition: 3, offset: 42 },
      },
      now,
    );

    expect(cells).toEqual([new Date(at).toTimeString().slice(0, 8), 'gold-granted', 'amount=100 grantId=g-1', 'inventory[3]@42']);
  });

  it('shortens long details', () => {
    const detail = eventDetail({ type: 'x', items: { a: 'b'.repeat(300) } });

    expect(detail).toHaveLength(160);
    expect(detail.endsWith('…')).toBe(true);
  });
});
