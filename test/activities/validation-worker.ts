/**
 * A real worker for the validation activity alone: the `validateOnly` test workflow, the activity made by
 * `createBackupValidationActivities` over the test S3 server, on the run's dev server and a task queue of its own.
 * Heartbeats leave the worker every 100 ms (instead of at 80% of the heartbeat timeout), so the dev server holds
 * the latest bytes done and delivers a cancellation within a fraction of a second.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createBackupValidationActivities } from '../../activities/backup-validation';
import type { ValidationReport } from '../../workflows/types';
import { testStack, uniqueName } from '../helpers/stack';
import type { validateOnly } from './workflows/validate-only';

/** A running validation worker and a client on its task queue. */
export interface ValidationWorker {
  client: Client;
  start(input: Parameters<typeof validateOnly>[0]): Promise<WorkflowHandle<typeof validateOnly>>;
  stop(): Promise<void>;
}

/** Starts the worker (bundling the test workflow) and connects a client. */
export async function startValidationWorker(s3: S3Client): Promise<ValidationWorker> {
  const stack = testStack();
  const taskQueue = uniqueName('validation-tq');
  const connection = await NativeConnection.connect({ address: stack.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: stack.temporal.namespace,
    taskQueue,
    workflowsPath: require.resolve('./workflows/validate-only'),
    activities: createBackupValidationActivities({ s3 }),
    maxHeartbeatThrottleInterval: '100ms',
    shutdownGraceTime: '1s',
  });
  const running = worker.run();
  const client = new Client({
    connection: await Connection.connect({ address: stack.temporal.address }),
    namespace: stack.temporal.namespace,
  });
  return {
    client,
    start: (input) =>
      client.workflow.start<typeof validateOnly>('validateOnly', {
        taskQueue,
        workflowId: uniqueName('validate-only'),
        args: [input],
      }),
    async stop() {
      worker.shutdown();
      await running;
      await client.connection.close();
      await connection.close();
    },
  };
}

/** Heartbeat details of the validation activity. */
export interface ValidationBeat {
  bytesDone: number;
  bytesTotal: number;
}

/** The activity's latest heartbeat as the dev server holds it (from describe), if it has sent one. */
export async function latestBeat(handle: WorkflowHandle): Promise<ValidationBeat | undefined> {
  const description = await handle.describe();
  const payload = description.raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0];
  return payload ? defaultPayloadConverter.fromPayload<ValidationBeat>(payload) : undefined;
}

/** Collects every distinct heartbeat the server shows while the workflow runs, then returns them and the report. */
export async function followBeats(
  handle: WorkflowHandle<typeof validateOnly>,
): Promise<{ beats: ValidationBeat[]; report: ValidationReport }> {
  const beats: ValidationBeat[] = [];
  let done = false;
  const result = handle.result().finally(() => (done = true));
  while (!done) {
    const beat = await latestBeat(handle).catch(() => undefined);
    const last = beats[beats.length - 1];
    if (beat && beat.bytesDone !== last?.bytesDone) beats.push(beat);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { beats, report: await result };
}
