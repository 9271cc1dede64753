/** What each benchmark hands back to the runner: its markdown section and a few headline lines. */

/** One benchmark's results. */
export interface BenchSection {
  /** `## 1. Noticing availability` etc. */
  title: string;
  markdown: string;
  /** One-line findings for the console summary. */
  headlines: string[];
}
