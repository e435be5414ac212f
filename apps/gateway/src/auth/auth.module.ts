import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewayConfig } from '@app/config';
import { APP_CONFIG } from '@app/platform';
import { PlayerEntity } from '@app/postgres';
import { TrustProxy } from '../shared/http/trust-proxy';
import { InventoryModule } from '../inventory/inventory.module';
import { AuthController } from './auth.controller';
import { GuestAuthService } from './guest-auth.service';
import { LoginRateLimit } from './login-rate-limit.guard';
import { PlayerLookupRateLimit } from './player-lookup-rate-limit.guard';
import { PlayerTokenGuard } from './player-token.guard';
import { PlayersController } from './players.controller';
import { PLAYER_TOKEN_TTL_SECONDS, PlayerTokens } from './player-tokens.service';
import { PlayersService } from './players.service';

@Module({
  imports: [
    InventoryModule,
    TypeOrmModule.forFeature([PlayerEntity]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      // One algorithm, pinned on both sides: a token is never verified with an algorithm its header picks.
      useFactory: (config: GatewayConfig) => ({
        secret: config.auth.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: PLAYER_TOKEN_TTL_SECONDS },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController, PlayersController],
  // TrustProxy is app-wide (Express's request.ip); it lives here because login limits are what read the address.
  providers: [PlayersService, PlayerTokens, GuestAuthService, LoginRateLimit, PlayerLookupRateLimit, PlayerTokenGuard, TrustProxy],
  exports: [PlayerTokens, PlayersService],
})
export class AuthModule {}
