import { JetStreamApiError } from '@nats-io/jetstream';

/** JetStream API error codes this package reacts to (server `errors.json`). */
export const ApiCodes = {
  ConsumerNotFound: 10014,
  StreamNotFound: 10059,
  StreamNameInUse: 10058,
  ConsumerNameInUse: 10013,
  ConsumerAlreadyExists: 10148,
  ConsumerExists: 10105,
  StreamWrongLastSequence: 10071,
} as const;

export function apiErrorCode(err: unknown): number | undefined {
  return err instanceof JetStreamApiError ? err.code : undefined;
}

export function isApiError(err: unknown, ...codes: number[]): boolean {
  const code = apiErrorCode(err);
  return code !== undefined && codes.includes(code);
}

/** True when a publish was rejected because `expectLastSubjectSequence` did not match (a concurrent writer won). */
export function isWrongLastSequence(err: unknown): boolean {
  if (isApiError(err, ApiCodes.StreamWrongLastSequence)) return true;
  return err instanceof Error && /wrong last sequence/i.test(err.message);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
