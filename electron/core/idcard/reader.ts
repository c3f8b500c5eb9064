import { AppError, type ErrorCode } from '@shared/api';
import { idCardReason, type IdCard, type IdCardFailure } from '@shared/idcard/card';

/** The port every reader (simulated, vendor service) implements: one read of what lies on it now. */
export interface IdCardReader {
  read(): Promise<IdCard>;
}

const CODE_OF: Record<IdCardFailure, ErrorCode> = {
  NO_CARD: 'NOT_FOUND',
  UNREADABLE: 'CONFLICT',
  TIMEOUT: 'UNAVAILABLE',
  EXPIRED: 'CONFLICT',
  READER_OFFLINE: 'UNAVAILABLE',
};

const MESSAGE_OF: Record<IdCardFailure, string> = {
  NO_CARD: 'no card on the reader',
  UNREADABLE: 'the card could not be read',
  TIMEOUT: 'the reader did not answer in time',
  EXPIRED: 'the card has expired',
  READER_OFFLINE: 'the ID card reader is not available',
};

/** A typed refusal of a read (`details` per idCardErrorDetailsSchema); `cause` is for the device log only. */
export function idCardError(failure: IdCardFailure, extra: Record<string, unknown> = {}): AppError {
  return new AppError(CODE_OF[failure], MESSAGE_OF[failure], { reason: idCardReason(failure), ...extra });
}
