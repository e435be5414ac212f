import { acceptedReply, AggregateDomain, CommandContext } from './aggregate-domain';
import { Decision } from './decision';

/** Freezes a value at every depth, so code that changes what it was given throws instead. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * Given/when/then over a domain's pure functions: the business rule reads as its test. States are
 * frozen, so a `decide` or `evolve` that changes the state it is given fails its tests.
 */
export function deciderSpec<S, C, E, R>(domain: AggregateDomain<S, C, E, R>, aggregateId = 'aggregate-1') {
  const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
    aggregateId,
    commandId: 'command-1',
    issuedAt: 0,
    ...overrides,
  });
  return {
    given(events: E[]) {
      const state = events.reduce((current, event) => deepFreeze(domain.evolve(current, event)), deepFreeze(domain.initial(aggregateId)));
      return {
        when(command: C, overrides: Partial<CommandContext> = {}) {
          const { aggregateId: target } = context(overrides);
          const decision: Decision<E, R, S> = domain.decide(command, state, context(overrides));
          // The state after an accepted command, evolved as replay does it: a state the decision carries must be the same.
          const after = decision.kind === 'accepted' ? deepFreeze(decision.events.reduce(domain.evolve, state)) : undefined;
          if (decision.kind === 'accepted' && decision.evolved !== undefined) expect(decision.evolved).toEqual(after);
          return {
            decision,
            /** What the engine answers an accepted command with (see `acceptedReply`); undefined when refused. */
            reply: decision.kind === 'accepted' ? acceptedReply(domain, target, command, decision, after!) : undefined,
            thenAccepts(events: E[], reply?: R) {
              expect(decision).toMatchObject({ kind: 'accepted', events });
              if (reply !== undefined && decision.kind === 'accepted') expect(acceptedReply(domain, target, command, decision, after!)).toEqual(reply);
              return decision;
            },
            thenRejects(code: string) {
              expect(decision).toMatchObject({ kind: 'rejected', rejection: { code } });
            },
          };
        },
        thenState(expected: S) {
          expect(state).toEqual(expected);
        },
      };
    },
  };
}
