/**
 * `migrateFleet`: migrates many databases, each a child `migrateToAurora` with its usual workflow ID, at most
 * `maxInFlight` at once, in waves (account quotas checked, and optionally an approval awaited, before each), and
 * stops starting new ones once the failure budget is spent. History stays bounded: after `continueAsNewAfter`
 * databases the fleet continues as new, carrying its state; the migrations still running are adopted.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  ContinueAsNew,
  continueAsNew,
  defineQuery,
  getExternalWorkflowHandle,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { msToNumber, type Duration } from '@temporalio/common/lib/time';
import { FailureTypes } from '../errors';
import { adopt, databaseWorkflowId, runDatabase, type RunningDatabase } from './database-run';
import { buildFleetProgress, enterStep, type FleetView, refreshDetails } from './fleet-progress';
import { prepareWave } from './prepare-wave';
import { FleetMessages } from './ids';
import type { DatabaseOutcome, FleetInput, FleetProgress, FleetResult, FleetState } from './types';
import { installWaveGate } from './wave-gate';

/** Answers the fleet's live progress. */
export const fleetProgressQuery = defineQuery<FleetProgress>(FleetMessages.progressQuery);

const DEFAULTS = { maxInFlight: 5, approvalTimeout: '7d', adoptedPollInterval: '30s', continueAsNewAfter: 200 };

/** Migrates every database of the input's manifest, each as its own `migrateToAurora`. */
export async function migrateFleet(input: FleetInput): Promise<FleetResult> {
  const options = input.options ?? {};
  const maxInFlight = options.maxInFlight ?? DEFAULTS.maxInFlight;
  const waveSize = options.waveSize ?? input.databases.length;
  const adoptedPollMs = ms(options.adoptedPollInterval ?? DEFAULTS.adoptedPollInterval);
  const total = input.databases.length;
  const state: FleetState = input.state ?? {
    startedAt: new Date(Date.now()).toISOString(),
    next: 0,
    preparedWave: -1,
    inFlight: [],
    outcomes: [],
    approvals: {},
    continuedAsNew: 0,
  };
  const running = new Map<string, RunningDatabase>();
  const gate = installWaveGate(state, options.approvalBetweenWaves === true);
  const view: FleetView = { step: 'running', input, state, running, gate, waveSize, maxInFlight };
  setHandler(fleetProgressQuery, () => buildFleetProgress(view));
  const failures = (): number => state.outcomes.filter((o) => o.status === 'failed').length;
  const exhausted = (): boolean => options.failureBudget !== undefined && failures() >= options.failureBudget;
  // Only new starts count: adoptions after continue-as-new must not trigger the next one.
  let startedThisRun = 0;

  const track = (workflowId: string, entry: RunningDatabase, outcome: Promise<DatabaseOutcome>): void => {
    running.set(workflowId, entry);
    refreshDetails(view);
    // runDatabase and adopt never reject: every ending is an outcome.
    void outcome.then((o) => {
      running.delete(workflowId);
      state.outcomes.push(o);
      refreshDetails(view);
    });
  };

  if (state.inFlight.length > 0) {
    const hashes = new Map(input.databases.map((db) => [databaseWorkflowId(db), db.specHash]));
    for (const id of state.inFlight) {
      const entry = { settled: true, adopted: true };
      track(id, entry, adopt(id, entry, adoptedPollMs, hashes.get(id)));
    }
  }
  state.inFlight = [];

  try {
    while (state.next < total && !exhausted()) {
      const wave = Math.floor(state.next / waveSize);
      if (wave > state.preparedWave) {
        enterStep(view, 'draining');
        await condition(() => running.size === 0);
        if (exhausted()) break;
        await prepareWave(view, wave, ms(options.approvalTimeout ?? DEFAULTS.approvalTimeout));
        state.preparedWave = wave;
      }
      if (startedThisRun >= (options.continueAsNewAfter ?? DEFAULTS.continueAsNewAfter) || suggested()) {
        // Every child start must be confirmed first: the next run adopts them by ID.
        await condition(() => [...running.values()].every((r) => r.settled) && allHandlersFinished());
        state.inFlight = [...running.keys()];
        state.continuedAsNew += 1;
        await continueAsNew<typeof migrateFleet>({ ...input, state });
      }
      enterStep(view, 'running');
      await condition(() => running.size < maxInFlight || exhausted());
      if (exhausted()) break;
      const db = input.databases[state.next];
      state.next += 1;
      if (!db) continue;
      const entry = { settled: false, adopted: false };
      track(databaseWorkflowId(db), entry, runDatabase(db, entry, adoptedPollMs));
      startedThisRun += 1;
    }
    enterStep(view, 'draining');
    await condition(() => running.size === 0);
  } catch (err) {
    throw await stop(view, err);
  }

  const progress = buildFleetProgress(view);
  if (exhausted() && state.next < total) {
    view.lastError =
      `${failures()} migrations failed, reaching the failure budget of ${options.failureBudget}: ` +
      `${total - state.next} databases were not started`;
    enterStep(view, 'failed');
    throw ApplicationFailure.create({
      type: FailureTypes.FleetFailureBudgetExhausted,
      nonRetryable: true,
      message: `${view.lastError}. Fix the failures (see the fleet's progress) and start the fleet again: completed migrations are adopted, not redone.`,
      details: [{ counts: progress.counts, failures: progress.failures }],
    });
  }
  enterStep(view, 'completed');
  return {
    workflowId: workflowInfo().workflowId,
    total,
    outcomes: state.outcomes,
    counts: buildFleetProgress(view).counts,
    continuedAsNew: state.continuedAsNew,
  };
}

/**
 * On cancellation: cancel every running migration (children get it from the scope too; adopted ones only from
 * here), wait until they have applied their failure policies, and return the error to throw.
 */
async function stop(view: FleetView, err: unknown): Promise<unknown> {
  if (err instanceof ContinueAsNew) return err;
  if (!isCancellation(err)) {
    view.lastError = err instanceof Error ? err.message : String(err);
    enterStep(view, 'failed');
    return err;
  }
  await CancellationScope.nonCancellable(async () => {
    await Promise.all(
      [...view.running.keys()].map((id) =>
        getExternalWorkflowHandle(id)
          .cancel()
          .catch(() => undefined),
      ),
    );
    await condition(() => view.running.size === 0);
  });
  enterStep(view, 'cancelled');
  return err;
}

function suggested(): boolean {
  return workflowInfo().continueAsNewSuggested;
}

function ms(value: string | number): number {
  return msToNumber(value as Duration);
}
