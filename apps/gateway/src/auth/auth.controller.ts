import { Controller, Post } from '@nestjs/common';
import { JsonBody } from '../http/json-body.decorator';
import { ZodPipe } from '../http/zod.pipe';
import { GuestAuthService } from './guest-auth.service';
import { GuestLogin, guestLoginSchema } from './guest-login';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: GuestAuthService) {}

  @Post('guest')
  guest(@JsonBody(new ZodPipe(guestLoginSchema)) { name }: GuestLogin) {
    return this.auth.login(name);
  }
}
