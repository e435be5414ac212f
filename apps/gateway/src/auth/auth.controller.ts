import { Controller, Post, UseGuards } from '@nestjs/common';
import { JsonBody } from '../shared/http/json-body.decorator';
import { ZodPipe } from '../shared/http/zod.pipe';
import { GuestAuthService } from './guest-auth.service';
import { GuestLogin, guestLoginSchema } from './guest-login';
import { LoginRateLimit } from './login-rate-limit.guard';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: GuestAuthService) {}

  @Post('guest')
  @UseGuards(LoginRateLimit)
  guest(@JsonBody(new ZodPipe(guestLoginSchema)) { name }: GuestLogin) {
    return this.auth.login(name);
  }
}
