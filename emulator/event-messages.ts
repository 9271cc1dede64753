/** The texts of the RDS events the emulator emits (USER_Events.Messages), keyed by final status. */
import type { EventSourceType, FailureOutcome } from './records';

/** Final failure statuses a control rule may assign. */
export const FAILURE_STATUSES = [
  'migration-failed',
  'incompatible-restore',
  'failed',
  'inaccessible-encryption-credentials',
  'incompatible-parameters',
  'restore-failed',
  'incompatible-network',
] as const;

/** One of {@link FAILURE_STATUSES}. */
export type FailureStatus = (typeof FAILURE_STATUSES)[number];

/** An event's message and categories. */
export interface EventText {
  message: string;
  categories: string[];
}

/** The creation event of a resource (RDS-EVENT-0170 for clusters, RDS-EVENT-0005 for instances). */
export function createdEvent(type: EventSourceType): EventText {
  return { message: type === 'db-cluster' ? 'DB cluster created.' : 'DB instance created.', categories: ['creation'] };
}

/** The deletion event of a resource. */
export function deletedEvent(type: EventSourceType): EventText {
  return { message: type === 'db-cluster' ? 'DB cluster deleted.' : 'DB instance deleted.', categories: ['deletion'] };
}

/** The event explaining a failure status, with the rule's custom text as the reason where there is one. */
export function failureEvent(
  type: EventSourceType,
  id: string,
  outcome: FailureOutcome,
  sourceEngineVersion: string,
): EventText {
  const what = type === 'db-cluster' ? 'DB cluster' : 'DB instance';
  const custom = outcome.eventMessage;
  const suffix = custom ? ` ${custom}` : '';
  const major = sourceEngineVersion.split('.').slice(0, 2).join('.');
  switch (outcome.status) {
    case 'migration-failed':
      // RDS-EVENT-0076
      return {
        message: `Failed to migrate from mysql-${major} to aurora-mysql. Reason: ${custom ?? 'The migration could not be completed.'}`,
        categories: ['notification'],
      };
    case 'incompatible-restore':
      // RDS-EVENT-0354
      return {
        message: `You can't create the ${what} because of incompatible resources.${suffix}`,
        categories: ['failure'],
      };
    case 'failed':
      // RDS-EVENT-0083 (0082 for instances)
      return {
        message:
          `Amazon RDS has been unable to create credentials to access your Amazon S3 Bucket for your ${what} ${id}. ` +
          'This is due to the S3 snapshot ingestion IAM role not being configured correctly in your account or the ' +
          `specified Amazon S3 bucket cannot be found.${suffix}`,
        categories: ['failure'],
      };
    case 'inaccessible-encryption-credentials':
      // RDS-EVENT-0418/0419 style
      return {
        message: `Amazon RDS can't access the AWS KMS key used to encrypt the ${what} ${id}.${suffix}`,
        categories: ['failure'],
      };
    case 'incompatible-parameters':
      return { message: `The ${what} has incompatible parameters.${suffix}`, categories: ['failure'] };
    case 'incompatible-network':
      return { message: `The ${what} is in an incompatible network.${suffix}`, categories: ['failure'] };
    default:
      return { message: `The ${what} restore failed.${suffix}`, categories: ['failure'] };
  }
}
