import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import { APP_CONFIG } from '@app/platform';
import { PerAddressLimit } from '../shared/http/per-address-limit';

/**
 * GET /players/by-name per client address, as many a minute as logins (LOGIN_RATE_PER_MINUTE), counted apart from
 * them: it says whether a name exists, so it is bounded like the login that would say so too.
 */
@Injectable()
export class PlayerLookupRateLimit extends PerAddressLimit {
  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    super('player look-ups', config.auth.loginRatePerMinute);
  }
}
