import { type EvaluationFieldsFragment as EvaluationDetail } from '@fledge/client';
import cliProgress from 'cli-progress';

export interface EvaluationProgress {
  update(evaluation: EvaluationDetail): void;
  stop(): void;
}

/** A grading progress bar on stderr (only when stderr is a terminal and --json is off). */
export function createEvaluationProgress(stream: NodeJS.WritableStream): EvaluationProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'grading [{bar}] {percentage}% | {value} of {total} rows | {status} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(e) {
      const total = e.rowsTotal ?? 0;
      const payload = { status: e.status.toLowerCase() };
      if (!started) {
        bar.start(total, e.rowsDone, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(e.rowsDone, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
