import { SubscribeMessage } from '@nestjs/websockets';
import type { ClientToServer } from '@app/protocol';

/** `@SubscribeMessage` for an event of the protocol's map: a name that is not in it fails to compile. */
export const OnClientEvent = (event: keyof ClientToServer): MethodDecorator => SubscribeMessage(event);
