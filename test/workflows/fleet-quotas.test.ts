import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { EmulatorControl } from '../../emulator/control-client';
import type { RunningEmulator } from '../../emulator/server';
import { startFleet } from '../../client/fleet/temporal';
import { FailureTypes } from '../../workflows/errors';
import type { FleetResult, WaveQuotaCheck } from '../../workflows/fleet/types';
import { emulatorCalls, startTestWorker, type TestWorker, uploadDirectoryBackup } from '../helpers/migration';
import { startTestEmulator } from '../emulator/fixture';
import { executionSpans, fleetManifest } from './fleet-helpers';

async function fleetFailure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowFailedError)) throw new Error(`expected the fleet to fail, got ${String(err)}`);
  return err.cause as ApplicationFailure;
}

// Quotas are account-wide: this file has its own emulator, so no other test's clusters count.
describe('a fleet checks the account quotas before each wave', () => {
  let emulator: RunningEmulator;
  let tw: TestWorker;
  let control: EmulatorControl;
  let backup: { bucket: string; prefix: string };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    control = new EmulatorControl(emulator.endpoint);
    tw = await startTestWorker({ emulatorEndpoint: emulator.endpoint });
    backup = await uploadDirectoryBackup({ version: '5.7' });
  });
  afterAll(async () => {
    await tw?.stop();
    await emulator?.close();
  });

  test('a wave that would exceed the DB instance quota is refused with the numbers, and nothing starts', async () => {
    await control.setQuotas({ DBClusters: 40, DBInstances: 2 });
    const { manifest, workflowIds } = fleetManifest({ backup, count: 3, options: { maxInFlight: 3 } });
    const started = await startFleet(tw.client, tw.config, manifest);
    const failure = await fleetFailure(tw.client.workflow.getHandle(started.workflowId).result());

    expect(failure.type).toBe(FailureTypes.FleetQuotaExceeded);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('DB instances: the account uses 0 of its 2 in us-east-1; wave 1 adds 3, 1 over');
    expect(await executionSpans(tw.client, workflowIds)).toEqual([undefined, undefined, undefined]);
    expect((await emulatorCalls(emulator.endpoint)).RestoreDBClusterFromS3 ?? 0).toBe(0);
  });

  test('the second wave is refused once the first used the cluster quota; a re-run counts its own clusters as used', async () => {
    await control.setQuotas({ DBClusters: 2, DBInstances: 40 });
    const { manifest, workflowIds } = fleetManifest({ backup, count: 3, options: { maxInFlight: 2, waveSize: 2 } });
    const first = await startFleet(tw.client, tw.config, manifest);
    const failure = await fleetFailure(tw.client.workflow.getHandle(first.workflowId).result());

    expect(failure.type).toBe(FailureTypes.FleetQuotaExceeded);
    expect(failure.message).toContain('DB clusters: the account uses 2 of its 2 in us-east-1; wave 2 adds 1, 1 over');
    expect((await executionSpans(tw.client, workflowIds)).map((s) => s?.status)).toEqual([
      'COMPLETED',
      'COMPLETED',
      undefined,
    ]);

    // One wave of all three: the two clusters that exist, tagged by their migrations, add nothing.
    await control.setQuotas({ DBClusters: 3 });
    const again = await startFleet(tw.client, tw.config, {
      ...manifest,
      options: { maxInFlight: 3, adoptedPollInterval: '1s' },
    });
    const result = (await tw.client.workflow.getHandle(again.workflowId).result()) as FleetResult;
    expect(result.counts.completed).toBe(3);
    const adopted = result.outcomes.filter((o) => o.adopted).map((o) => o.workflowId);
    expect(adopted.sort()).toEqual(workflowIds.slice(0, 2).sort());
    const check = (failure.details?.[0] ?? {}) as WaveQuotaCheck;
    expect(check.clusters).toEqual({ used: 2, max: 2, adding: 1 });
  });
});
