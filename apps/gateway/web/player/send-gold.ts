/** A gold transfer as the form asks for it, checked before anything is sent. */
export type GoldTransfer = { ok: true; name: string; amount: number } | { ok: false; problem: string };

/** PROTOCOL.md's player names: 1-32 of A-Z, a-z, 0-9, _ and -. */
const NAME = /^[A-Za-z0-9_-]{1,32}$/;

/** Reads the send-gold form: a player's name (not oneself's) and a whole number of gold above zero. */
export function readGoldTransfer(nameText: string, amountText: string, ownName: string): GoldTransfer {
  const name = nameText.trim();
  if (!NAME.test(name)) return { ok: false, problem: 'a name is 1-32 letters, digits, _ or -' };
  if (name.toLowerCase() === ownName.toLowerCase()) return { ok: false, problem: 'you cannot send gold to yourself' };
  const amount = Number(amountText.trim());
  if (!/^\d+$/.test(amountText.trim()) || !Number.isSafeInteger(amount) || amount <= 0) return { ok: false, problem: 'the amount is a whole number above 0' };
  return { ok: true, name, amount };
}
