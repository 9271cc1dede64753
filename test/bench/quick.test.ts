/**
 * The benchmarks cannot rot unnoticed: the test command runs a smoke pass of every section `bench/run.ts` lists
 * (`BENCH_QUICK=1`, its own servers, results to a temporary file, never bench/RESULTS.md) and requires a clean
 * exit and, for each section, its result table. Sections are read from run.ts, so one added there is covered
 * here without editing this file.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');
/**
 * The whole smoke pass, every section in one process (one set of servers): about 7 min for six sections on the
 * shared 2-core machine (417 s: bench 1 141 s, fleet 92 s, the others 10 to 61 s), with room for sections to come.
 */
const RUN_LIMIT_MS = 12 * 60_000;

/** The sections `bench/run.ts` runs: `[1, 'Noticing availability', runNoticing]` → `{ n: 1, name }`. */
function listedSections(): Array<{ n: number; name: string }> {
  const source = readFileSync(join(repo, 'bench', 'run.ts'), 'utf8');
  return [...source.matchAll(/^\s*\[(\d+),\s*'([^']+)',\s*\w+\]/gm)].map((m) => ({ n: Number(m[1]), name: m[2]! }));
}

/** The markdown of section `n` in the results: from its `## n.` heading to the next section's. */
function sectionText(markdown: string, n: number): string | undefined {
  const start = markdown.search(new RegExp(`^## ${n}\\. `, 'm'));
  if (start < 0) return undefined;
  const rest = markdown.slice(start + 1);
  const next = rest.search(/^## \d+\. /m);
  return next < 0 ? rest : rest.slice(0, next);
}

function runBench(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repo, 'lib', 'bench', 'run.js')], {
      cwd: repo,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // A hung run must not outlive the test: its whole process group (servers included) goes.
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, RUN_LIMIT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test(
  'a quick pass of every benchmark section exits 0 and prints each section’s result table',
  async () => {
    const sections = listedSections();
    // run.ts lists its sections in the form the pattern reads; if it stops doing so, this must fail, not pass empty.
    expect(sections.length).toBeGreaterThanOrEqual(5);
    expect(existsSync(join(repo, 'lib', 'bench', 'run.js'))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'bench-quick-'));
    const outFile = join(dir, 'RESULTS.md');
    try {
      const started = Date.now();
      const { code, output } = await runBench({
        BENCH_QUICK: '1',
        BENCH_ONLY: sections.map((s) => s.n).join(','),
        BENCH_OUT: outFile,
        BENCH_DATA_DIR: join(dir, 'data'),
      });
      const seconds = (Date.now() - started) / 1000;
      const tookLines = output.split('\n').filter((l) => / took \d+ s$/.test(l));
      console.log(`bench quick pass: ${seconds.toFixed(0)} s\n${tookLines.join('\n')}`);
      const markdown = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
      for (const { n, name } of sections) {
        const text = sectionText(markdown, n);
        expect({ section: `${n}. ${name}`, found: text !== undefined }).toEqual({
          section: `${n}. ${name}`,
          found: true,
        });
        expect(text).not.toContain('**Did not complete**');
        // A result table: a header row and its separator.
        expect(text).toMatch(/^\| .+ \|\n\| (?:--- \| )*--- \|$/m);
      }
      expect({ code, tail: code === 0 ? '' : output.slice(-4000) }).toEqual({ code: 0, tail: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  RUN_LIMIT_MS + 60_000,
);
