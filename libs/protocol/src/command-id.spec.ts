import { commandIdSchema } from './command-id';

describe('a commandId', () => {
  it('may be any text of 1 to 100 characters, emoji included', () => {
    for (const id of ['1', 'c-42', 'ünïcødé', '🎲-roll']) expect(commandIdSchema.safeParse(id).success).toBe(true);
  });

  it('is refused empty, too long, with half of a surrogate pair or with a NUL', () => {
    for (const id of ['', 'x'.repeat(101), '\ud800', 'a\udc00b', '🎲'.slice(0, 1), 'a\0b']) expect(commandIdSchema.safeParse(id).success).toBe(false);
  });
});
