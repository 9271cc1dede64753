import { getProgress } from '../../client/progress';
import { addEmulatorRule, sampleSpec, startMigration, uploadDirectoryBackup } from '../helpers/migration';
import { useTestWorker } from '../helpers/use-test-worker';

describe('progress of a running migration', () => {
  const tw = useTestWorker();

  test('shows the retries and last error of a call that is still being retried', async () => {
    const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
    // Every SDK attempt is throttled for a while: the activity itself retries, visibly.
    await addEmulatorRule({
      match: { action: 'RestoreDBClusterFromS3', clusterId: spec.restore.DBClusterIdentifier },
      fault: { type: 'throttle', count: 9 },
    });
    const handle = await startMigration(tw, spec);
    let seen: Awaited<ReturnType<typeof getProgress>> | undefined;
    for (let i = 0; i < 200 && !seen; i += 1) {
      const progress = await getProgress(tw.client, handle.workflowId);
      if (progress.step === 'restoring' && progress.retries > 0) seen = progress;
      else await new Promise((r) => setTimeout(r, 100));
    }

    expect(seen?.retries).toBeGreaterThan(0);
    expect(seen?.lastError).toMatch(/Throttling/);
    const result = await handle.result();
    expect(result.cluster.Status).toBe('available');
  });
});
