import { readGoldTransfer } from './send-gold';

describe('readGoldTransfer', () => {
  it('reads a name and a whole amount', () => {
    expect(readGoldTransfer(' bob ', '25', 'alice')).toEqual({ ok: true, name: 'bob', amount: 25 });
  });

  it.each([
    ['', '5', 'a name is'],
    ['b o b', '5', 'a name is'],
    ['ALICE', '5', 'yourself'],
    ['bob', '0', 'above 0'],
    ['bob', '2.5', 'above 0'],
    ['bob', '-3', 'above 0'],
    ['bob', 'lots', 'above 0'],
    ['bob', '', 'above 0'],
  ])('refuses name %j and amount %j', (name, amount, problem) => {
    const transfer = readGoldTransfer(name, amount, 'alice');
    expect(transfer.ok ? 'accepted' : transfer.problem).toContain(problem);
  });
});
