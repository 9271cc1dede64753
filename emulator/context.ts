/** What every action handler works with: the store, the rules, the account's names and the current timings. */
import type { CallLog } from './calls';
import type { Catalogue } from './catalogue';
import type { ClusterServers } from './cluster-server/cluster-servers';
import type { ManagedSecrets } from './cluster-server/managed-secret';
import type { Params } from './query-protocol';
import type { TokenBucket } from './rate-limit';
import type { RuleStore } from './rules';
import type { S3Checker } from './s3-check';
import type { EmulatorStore } from './state';
import type { EmulatorTimings } from './timings';

/** Shared state of one running emulator. */
export interface EmulatorContext {
  readonly store: EmulatorStore;
  readonly rules: RuleStore;
  /** Engine versions, orderable classes, subnet/parameter/option groups and quotas. */
  readonly catalogue: Catalogue;
  readonly calls: CallLog;
  readonly region: string;
  readonly accountId: string;
  /** The per-account, per-Region part of endpoint host names (`<id>.cluster-<hash>.<region>…`). */
  readonly endpointHash: string;
  /** Applies to resources created from now on (PUT /_emulator/timings replaces it). */
  timings: EmulatorTimings;
  /** The account-and-Region API budget every action draws from. */
  readonly rateLimit: TokenBucket;
  /** Absent when no S3 server was configured: the bucket check is skipped. */
  readonly s3?: S3Checker;
  /** Absent when cluster servers are off (no data dir, no S3 server, or `off`): clusters are simulated. */
  readonly clusterServers?: ClusterServers;
  /** Absent without a Secrets Manager endpoint: managed master secrets get an ARN but are not stored. */
  readonly secrets?: ManagedSecrets;
}

/** One RDS action: returns the members of `<ActionResult>`, or undefined for actions without a result. */
export type ActionHandler = (ctx: EmulatorContext, params: Params) => Promise<string | undefined>;
