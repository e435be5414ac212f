import { AggregateDomain } from '../../domain/aggregate-domain';
import { AccountEvent, accountsDomain } from './accounts';

/**
 * The accounts domain, except that counting the first deposit of `amount` for the snapshot schedule throws: a batch
 * that fails after its commands were decided (memory ahead of the log), once.
 */
export function accountsFailingOnceOnDeposit(amount: number): ReturnType<typeof accountsDomain> {
  let throwsOnce = true;
  const domain: ReturnType<typeof accountsDomain> = accountsDomain();
  const snapshotEvery: AggregateDomain<unknown, unknown, AccountEvent, unknown>['snapshotEvery'] = {
    events: 1_000,
    counts: (event: AccountEvent) => {
      if (event.type === 'deposited' && event.amount === amount && throwsOnce) {
        throwsOnce = false;
        throw new Error('counting failed');
      }
      return false;
    },
  };
  return { ...domain, snapshotEvery };
}
