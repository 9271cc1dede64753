import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testStack } from '../helpers/stack';

const HISTORIES = join(__dirname, '..', 'histories');

describe('recorded histories', () => {
  const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));

  test('exist for a completed, a failed and a cancelled migration', () => {
    expect(files.sort()).toEqual(expect.arrayContaining(['cancelled.json', 'completed.json', 'failed.json']));
  });

  // The bundle the run's workers load (the build's lib/workflow-bundle.js when current): what is replayed is what runs.
  test.each(files)('%s replays against the current workflow bundle without nondeterminism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: { codePath: testStack().workflowBundle } }, history, file);
  });
});
