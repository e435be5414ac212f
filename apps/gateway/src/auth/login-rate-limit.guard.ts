import { Inject, Injectable } from '@nestjs/common';
import { GatewayConfig } from '@app/config';
import { APP_CONFIG } from '@app/platform';
import { PerAddressLimit } from '../shared/http/per-address-limit';

/** POST /auth/guest per client address: LOGIN_RATE_PER_MINUTE (mass registration, name probing). */
@Injectable()
export class LoginRateLimit extends PerAddressLimit {
  constructor(@Inject(APP_CONFIG) config: GatewayConfig) {
    super('logins', config.auth.loginRatePerMinute);
  }
}
