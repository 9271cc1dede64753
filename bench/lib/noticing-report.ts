/** The tables of benchmark 1 (noticing availability), built from the measured restores. */
import { STRATEGY_LABELS, OUR_MODES_LIST, type NoticingRun } from './noticing-types';
import { fixed, formatSim, percentile, table } from './stats';
import { TERRAFORM_DEFAULT_CREATE_TIMEOUT_SECONDS } from '../strategies/terraform';

/** Markdown of one run, the "where we lose" lines and the headline figures. */
export function renderNoticing(run: NoticingRun): { markdown: string; headlines: string[] } {
  const { measured, history, durations } = run;
  const keys = run.keys ?? ['sdk', 'cli', 'tf', 'off', 'on'];
  const ourModes = run.ourModes ?? OUR_MODES_LIST;
  const peerKeys = keys.filter((k) => !ourModes.includes(k));
  const stats = new Map(
    keys.map((key) => {
      const mine = measured.filter((m) => m.w.strategy === key);
      const lat = mine.flatMap((m) => (m.latency === undefined ? [] : [m.latency]));
      const perHour = mine.reduce((n, m) => n + m.describeCalls, 0) / mine.reduce((h, m) => h + m.watchedHours, 0);
      return [key, { mine, lat, p50: percentile(lat, 50), p95: percentile(lat, 95), perHour }];
    }),
  );
  const rows = keys.map((key) => {
    const { mine, lat, p50, p95, perHour } = stats.get(key)!;
    const missed = mine.filter((m) => m.latency === undefined);
    const note = missed.length
      ? `${missed.length} not noticed: ${[...new Set(missed.map((m) => m.outcome.reason.slice(0, 60)))].join('; ')}`
      : '';
    return [
      STRATEGY_LABELS[key] ?? key,
      `${lat.length}/${mine.length}`,
      formatSim(p50),
      formatSim(p95),
      formatSim(lat.length ? Math.max(...lat) : NaN),
      fixed(p50 * 1000 * run.scaleFactor, 0),
      formatSim(
        percentile(
          mine.flatMap((m) => m.gaps),
          50,
        ),
      ),
      fixed(perHour, 1),
      note,
    ];
  });
  const losses: string[] = [];
  for (const mode of ourModes) {
    const ours = stats.get(mode)!;
    for (const peer of peerKeys) {
      const theirs = stats.get(peer)!;
      const label = `${STRATEGY_LABELS[mode]} vs ${STRATEGY_LABELS[peer]}`;
      if (theirs.p50 < ours.p50) {
        losses.push(`- **We lose** on p50 latency, ${label}: ${formatSim(ours.p50)} vs ${formatSim(theirs.p50)}.`);
      }
      if (theirs.p95 < ours.p95) {
        losses.push(`- **We lose** on p95 latency, ${label}: ${formatSim(ours.p95)} vs ${formatSim(theirs.p95)}.`);
      }
      if (theirs.perHour < ours.perHour) {
        losses.push(
          `- **We lose** on DescribeDBClusters calls per restore-hour, ${label}: ${fixed(ours.perHour)} vs ` +
            `${fixed(theirs.perHour)}${peer === 'cli' ? ' (the CLI gave up on most restores)' : ''}.`,
        );
      }
    }
  }
  const perRestore = durations.map((d, index) => [
    formatSim(d),
    ...keys.map((key) => {
      const m = measured.find((x) => x.w.strategy === key && x.w.index === index);
      return m?.latency === undefined ? `– (${m?.outcome.result ?? '?'})` : formatSim(m.latency);
    }),
  ]);
  const tfDefaultTimeouts = durations.filter((d) => d + 30 > TERRAFORM_DEFAULT_CREATE_TIMEOUT_SECONDS).length;
  const last = durations.length - 1;
  const historyRows = ourModes.map((mode) => [
    STRATEGY_LABELS[mode] ?? mode,
    String(history[`${mode}:0`] ?? '–'),
    String(history[`${mode}:${last}`] ?? '–'),
  ]);
  const byKey = (k: string): string[] => rows[keys.indexOf(k)] ?? [];
  const markdown = [
    `${durations.length} restores, ${formatSim(durations[0] ?? NaN)} to ${formatSim(durations[last] ?? NaN)} ` +
      `(seed 6, log-uniform), all ${keys.length} strategies watching at the same time; ${run.realSeconds.toFixed(0)} s real.`,
    "Latency: the cluster status flips to `available` → the strategy's next step (its CreateDBInstance reaches the " +
      "emulator), in simulated time. Calls: DescribeDBClusters for that cluster in the emulator's call log, from the " +
      'restore call until the next step (or until the waiter gave up), per simulated hour of that window.',
    '',
    table(
      [
        'Strategy',
        'Noticed',
        'p50',
        'p95',
        'max',
        'p50, real ms at this scale',
        'median gap between polls',
        'DescribeDBClusters / restore-hour',
        'Notes',
      ],
      rows,
    ),
    '',
    `Per restore (latency to the next step):`,
    '',
    table(['Restore', ...keys.map((k) => k)], perRestore),
    '',
    `Workflow history events per migration (whole run, including instance creation and waits):`,
    '',
    table(
      ['Ours', `${formatSim(durations[0] ?? NaN)} restore`, `${formatSim(durations[last] ?? NaN)} restore`],
      historyRows,
    ),
    '',
    `- SDK and Terraform get a 48 h bound (maxWaitTime / \`timeouts { create = "48h" }\`), as ours (clusterTimeout). ` +
      `With Terraform's default 120 min create timeout, ${tfDefaultTimeouts} of these ${durations.length} restores ` +
      `would have failed with a timeout and a tainted cluster.`,
    `- The AWS CLI waiter cannot be configured: it gives up after 60 × 30 s ≈ 30 min, so every restore longer than ` +
      `that ends with "Max attempts exceeded" (exit 255).`,
    run.wakeSeconds === undefined
      ? '- No early-wake events in this run.'
      : `- Early wake: a watcher standing in for EventBridge reads the emulator inventory every ` +
        `${formatSim(run.wakeSeconds)} (simulated) and POSTs the EventBridge event to our \`POST /events/rds\`; ` +
        `${run.wakeDelivered} events delivered. Real EventBridge delivery delay is not modelled.`,
    `- Our latency includes Temporal's retry timer, the worker's poll, the workflow task and the createInstance ` +
      `activity dispatch, all in real (unscaled) milliseconds that the time scale ${run.scaleLabel} magnifies ` +
      `(1 real ms = ${(1 / 1000 / run.scaleFactor).toFixed(2)} simulated s).`,
    run.lost ? `- ⚠ ${run.lost} call-log entries were dropped before they were read.` : '',
    '',
    losses.length ? 'Where we lose:\n\n' + losses.join('\n') : 'We do not lose to a peer on any of these figures.',
  ].join('\n');
  const headlines = [
    'noticing p50/p95 (sim): ' + keys.map((k) => `${k} ${byKey(k)[2]}/${byKey(k)[3]}`).join(', '),
    'DescribeDBClusters/restore-hour: ' + keys.map((k) => `${k} ${byKey(k)[7]}`).join(', '),
    'history events (shortest / longest restore): ' +
      historyRows.map((r, i) => `${ourModes[i]} ${r[1]}/${r[2]}`).join(', '),
  ];
  return { markdown, headlines };
}
