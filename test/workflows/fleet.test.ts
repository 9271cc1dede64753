import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { approveMigration, cancelMigration, startMigration as startLone } from '../../client/temporal';
import { cancelFleet, getFleetProgress, startFleet } from '../../client/fleet/temporal';
import { FailureTypes } from '../../workflows/errors';
import type { FleetResult } from '../../workflows/fleet/types';
import type { RunningEmulator } from '../../emulator/server';
import {
  sampleSpec,
  startMigration,
  startTestWorker,
  type TestWorker,
  uploadDirectoryBackup,
} from '../helpers/migration';
import { startTestEmulator } from '../emulator/fixture';
import { eventually, executionSpans, fleetManifest, maxOverlap } from './fleet-helpers';

async function fleetFailure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowFailedError)) throw new Error(`expected the fleet to fail, got ${String(err)}`);
  return err.cause as ApplicationFailure;
}

describe('migrateFleet on the real dev server, S3 server and emulator', () => {
  // An emulator of this file's own, with about a second per restore: a fleet runs many migrations one after another.
  let emulator: RunningEmulator;
  let tw: TestWorker;
  let good: { bucket: string; prefix: string };
  let bad: { bucket: string; prefix: string };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    tw = await startTestWorker({ emulatorEndpoint: emulator.endpoint });
    good = await uploadDirectoryBackup({ version: '5.7' });
    bad = await uploadDirectoryBackup({ version: '5.7', backupType: 'incremental' });
  });
  afterAll(async () => {
    await tw?.stop();
    await emulator?.close();
  });

  test('six migrations with at most two in flight never run more than two at once, and all complete', async () => {
    const { manifest, workflowIds } = fleetManifest({ backup: good, count: 6, options: { maxInFlight: 2 } });
    const started = await startFleet(tw.client, tw.config, manifest);
    const handle = tw.client.workflow.getHandle(started.workflowId);
    let closed = false;
    const ending = handle.result().finally(() => (closed = true));
    const etas: { eta: string; at: number }[] = [];
    while (!closed) {
      const seen = await getFleetProgress(tw.client, started.workflowId);
      if (seen.eta) etas.push({ eta: seen.eta, at: Date.now() });
      await new Promise((r) => setTimeout(r, 250));
    }
    const result = (await ending) as FleetResult;

    expect(result.counts).toEqual({ pending: 0, running: 0, completed: 6, failed: 0, cancelled: 0 });
    // The migrations report restore ETAs while they wait for their clusters; the fleet's is built from them.
    expect(etas.length).toBeGreaterThan(0);
    for (const { eta, at } of etas) expect(Date.parse(eta)).toBeGreaterThan(at - 5000);
    const spans = await executionSpans(tw.client, workflowIds);
    expect(spans.map((s) => [s?.status, s?.parent])).toEqual(workflowIds.map(() => ['COMPLETED', started.workflowId]));
    const overlap = maxOverlap(spans.map((s) => s!));
    expect(overlap).toBe(2);
    const progress = await getFleetProgress(tw.client, started.workflowId);
    expect(progress.step).toBe('completed');
    expect(progress.lastQuotaCheck?.ok).toBe(true);
    const metadata = await tw.client.workflow
      .getHandle(started.workflowId)
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('0 running, 6 completed, 0 failed');
  });

  test('the failure budget stops new starts once spent, while the running migration finishes', async () => {
    const badPrefix = { restore: { S3BucketName: bad.bucket, S3Prefix: bad.prefix } };
    const { manifest, workflowIds } = fleetManifest({
      backup: good,
      count: 6,
      options: { maxInFlight: 2, failureBudget: 2 },
      overrides: { 0: badPrefix, 2: badPrefix },
    });
    const started = await startFleet(tw.client, tw.config, manifest);
    const failure = await fleetFailure(tw.client.workflow.getHandle(started.workflowId).result());

    expect(failure.type).toBe(FailureTypes.FleetFailureBudgetExhausted);
    expect(failure.message).toContain('3 databases were not started');
    const spans = await executionSpans(tw.client, workflowIds);
    expect(spans.map((s) => s?.status)).toEqual(['FAILED', 'COMPLETED', 'FAILED', undefined, undefined, undefined]);
    const progress = await getFleetProgress(tw.client, started.workflowId);
    expect(progress.failures.map((f) => [f.workflowId, f.failureType])).toEqual([
      [workflowIds[0], FailureTypes.BackupInvalid],
      [workflowIds[2], FailureTypes.BackupInvalid],
    ]);
    expect(progress.failures[0]?.reason).toContain('INCREMENTAL_WITHOUT_FULL');
    expect(progress.budget).toEqual({ failures: 2, allowed: 2, exhausted: true });
  });

  test('an approval between waves holds the next wave until someone approves it', async () => {
    const { manifest, workflowIds } = fleetManifest({
      backup: good,
      count: 4,
      options: { maxInFlight: 2, waveSize: 2, approvalBetweenWaves: true },
    });
    const started = await startFleet(tw.client, tw.config, manifest);
    const waiting = await eventually(
      () => getFleetProgress(tw.client, started.workflowId),
      (p) => p.step === 'awaiting-approval',
    );
    expect(waiting.awaitingApprovalForWave).toBe(1);
    expect(waiting.counts).toMatchObject({ completed: 2, pending: 2, running: 0 });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await executionSpans(tw.client, workflowIds.slice(2))).every((s) => s === undefined)).toBe(true);

    const decision = await approveMigration(tw.client, started.workflowId, { by: 'alice', reason: 'CHG-1' });
    expect(decision).toMatchObject({ approved: true, by: 'alice' });
    const result = (await tw.client.workflow.getHandle(started.workflowId).result()) as FleetResult;
    expect(result.counts.completed).toBe(4);
    const spans = await executionSpans(tw.client, workflowIds);
    expect(Math.min(spans[2]!.start, spans[3]!.start)).toBeGreaterThanOrEqual(Date.parse(decision.at) - 1000);
  });

  test('cancelling the fleet cancels its running migrations and starts no more', async () => {
    const { manifest, workflowIds } = fleetManifest({
      backup: good,
      count: 4,
      options: { maxInFlight: 2 },
      // Each migration then waits at its own approval gate: running, and cancellable at a known point.
      specOptions: { requireApproval: true },
    });
    const started = await startFleet(tw.client, tw.config, manifest);
    await eventually(
      () => getFleetProgress(tw.client, started.workflowId),
      (p) => p.steps['awaiting-approval'] === 2,
    );
    await cancelFleet(tw.client, started.workflowId);
    const description = await eventually(
      () => tw.client.workflow.getHandle(started.workflowId).describe(),
      (d) => d.status.name !== 'RUNNING',
    );

    expect(description.status.name).toBe('CANCELLED');
    const spans = await executionSpans(tw.client, workflowIds);
    expect(spans.map((s) => s?.status)).toEqual(['CANCELLED', 'CANCELLED', undefined, undefined]);
  });

  test('continue-as-new after a forced threshold keeps the state and adopts the migrations still running', async () => {
    const { manifest, workflowIds } = fleetManifest({
      backup: good,
      count: 5,
      options: { maxInFlight: 2, continueAsNewAfter: 2, adoptedPollInterval: '1s' },
    });
    const started = await startFleet(tw.client, tw.config, manifest);
    const result = (await tw.client.workflow.getHandle(started.workflowId).result()) as FleetResult;

    expect(result.continuedAsNew).toBeGreaterThanOrEqual(2);
    expect(result.counts).toEqual({ pending: 0, running: 0, completed: 5, failed: 0, cancelled: 0 });
    expect(result.outcomes.map((o) => o.workflowId).sort()).toEqual([...workflowIds].sort());
    expect(result.outcomes.some((o) => o.adopted)).toBe(true);
    const first = await tw.client.workflow.getHandle(started.workflowId, started.runId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    const spans = await executionSpans(tw.client, workflowIds);
    expect(maxOverlap(spans.map((s) => s!))).toBeLessThanOrEqual(2);
  });

  test('a migration that already runs is adopted, not started twice', async () => {
    const { manifest, workflowIds, ids } = fleetManifest({ backup: good, count: 2, options: { maxInFlight: 2 } });
    const lone = await startMigration(tw, {
      ...sampleSpec({ ...good, clusterId: ids[0]! }),
      instances: [{ DBInstanceIdentifier: `${ids[0]}-writer`, DBInstanceClass: 'db.r6g.large' }],
    });
    const started = await startFleet(tw.client, tw.config, { ...manifest, options: { adoptedPollInterval: '1s' } });
    const result = (await tw.client.workflow.getHandle(started.workflowId).result()) as FleetResult;

    expect(result.outcomes.find((o) => o.workflowId === workflowIds[0])).toMatchObject({
      status: 'completed',
      adopted: true,
    });
    const first = await tw.client.workflow.getHandle(workflowIds[0]!).describe();
    expect(first.runId).toBe(lone.firstExecutionRunId);
  });

  test('a running migration of a different spec under the same ID is reported as a conflict, not adopted', async () => {
    const { manifest, workflowIds, ids } = fleetManifest({ backup: good, count: 1 });
    const other = sampleSpec({ ...good, clusterId: ids[0]!, options: { requireApproval: true } });
    await startLone(tw.client, tw.config, other);
    try {
      const started = await startFleet(tw.client, tw.config, { ...manifest, options: { adoptedPollInterval: '1s' } });
      const result = (await tw.client.workflow.getHandle(started.workflowId).result()) as FleetResult;

      expect(result.outcomes).toEqual([
        expect.objectContaining({
          workflowId: workflowIds[0],
          status: 'failed',
          failureType: FailureTypes.ResourceConflict,
        }),
      ]);
      expect(result.outcomes[0]?.reason).toContain('different spec');
    } finally {
      await cancelMigration(tw.client, workflowIds[0]!);
    }
  });
});
