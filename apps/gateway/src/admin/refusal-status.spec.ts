import { HttpException } from '@nestjs/common';
import { refusedWithStatus } from './refusal-status';

const statusOf = (code: string): number => {
  try {
    refusedWithStatus({ ok: false, error: { code, message: code } });
  } catch (error) {
    return (error as HttpException).getStatus();
  }
  throw new Error('no refusal thrown');
};

describe('refusedWithStatus', () => {
  it.each([
    ['invalid_payload', 400],
    ['not_found', 404],
    ['unavailable', 503],
    ['internal_error', 500],
    ['retry_expired', 409],
    ['inventory_full', 422],
  ])('answers %s with %i', (code, status) => expect(statusOf(code)).toBe(status));
});
