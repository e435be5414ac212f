import { HttpException } from '@nestjs/common';
import { RefusalCode } from '@app/protocol';
import { refusedWithStatus } from './refusal-status';

const statusOf = (code: RefusalCode): number => {
  try {
    refusedWithStatus({ ok: false, error: { code, message: code } });
  } catch (error) {
    return (error as HttpException).getStatus();
  }
  throw new Error('no refusal thrown');
};

describe('refusedWithStatus', () => {
  it.each<[RefusalCode, number]>([
    ['invalid_payload', 400],
    ['not_found', 404],
    ['unavailable', 503],
    ['internal_error', 500],
    ['retry_expired', 409],
    ['inventory_full', 422],
  ])('answers %s with %i', (code, status) => expect(statusOf(code)).toBe(status));
});
