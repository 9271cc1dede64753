/**
 * A workflow that runs one writer activity, so that its heartbeats, its cancellation and its signals go through a
 * real worker and the real dev server (not a mock activity environment). It collects the `replicationObserved`
 * signals the activity's reporter sends and returns them with the activity's result.
 */
import { ActivityCancellationType, defineQuery, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createWriterActivities } from '../../../../activities/mysql/writer-activities';
import { Messages } from '../../../../workflows/ids';
import type { ReplicationLag } from '../../../../workflows/replication-types';

/** The writer activities, by name. */
export type WriterActivities = ReturnType<typeof createWriterActivities>;

/** One call: the activity's name and its input. */
export type WriterActivityCall = {
  [K in keyof WriterActivities]: { name: K; input: Parameters<WriterActivities[K]>[0] };
}[keyof WriterActivities];

/** What the workflow returns: the activity's result and every signal seen meanwhile. */
export interface WriterActivityOutcome {
  result: unknown;
  observed: ReplicationLag[];
}

/** The signals seen so far. */
export const observedQuery = defineQuery<ReplicationLag[]>('observed');

const activities = proxyActivities<WriterActivities>({
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '10 seconds',
  // The workflow closes only once the activity has acknowledged the cancellation: closing proves it stopped.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { maximumAttempts: 1 },
});

/** Runs the one activity named by `call`. */
export async function writerActivity(call: WriterActivityCall): Promise<WriterActivityOutcome> {
  const observed: ReplicationLag[] = [];
  setHandler(defineSignal<[ReplicationLag]>(Messages.replicationObservedSignal), (lag) => void observed.push(lag));
  setHandler(observedQuery, () => observed);
  const run = activities[call.name] as (input: unknown) => Promise<unknown>;
  return { result: await run(call.input), observed };
}
