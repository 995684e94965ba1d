import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import { Context } from '@temporalio/activity';
import { EvaluationRepository, type PrismaClient } from '@fledge/db';
import { isPredictionSpec, predictionClasses, predictionOf, type ModelSignature } from '@fledge/domain';
import { FledgeError, notFound } from '@fledge/errors';
import { type ModelRuntime } from '@fledge/inference';
import { type Logger } from '@fledge/logger';
import { type ArtifactStore } from '@fledge/storage';
import { type GradeDatasetOutcome, type GradingActivities, type GradingHeartbeat } from '@fledge/workflows';

import { gradeStream } from '../grading/dataset-grader.js';
import { checkDecodeWorkers, defaultDecodeWorkers } from '../grading/decode-pool.js';
import { toActivityFailure } from './activity-failure.js';

export interface GradingDeps {
  db: PrismaClient;
  store: ArtifactStore;
  runtime: ModelRuntime;
  /** Local scratch space: verified model files (kept, by sha256) and datasets (one per attempt). */
  workDir: string;
  logger: Logger;
  /** Rows per ORT run when the workflow names none. Default 256. */
  batchSize?: number;
  /** How often progress is heartbeated and written to the evaluation. Default 1 s. */
  progressIntervalMs?: number;
  /** Threads decoding rows (0: on the grading thread). Default: the cores left after ORT's thread. */
  decodeWorkers?: number;
  /**
   * Smaller datasets are decoded on the grading thread: starting the threads costs more than
   * decoding that many rows (see PARALLEL_DECODE_MIN_ROWS).
   */
  parallelDecodeMinRows?: number;
  now?: () => Date;
}

/**
 * Starting decode threads takes a few hundred milliseconds (each loads the decoding modules),
 * about what this thread spends decoding ten thousand rows.
 */
export const PARALLEL_DECODE_MIN_ROWS = 10_000;

/** Activities of the grading workflow (see GradingActivities in the workflow contracts). */
export function createGradingActivities(deps: GradingDeps): GradingActivities {
  const decodeWorkers = checkDecodeWorkers(deps.decodeWorkers ?? defaultDecodeWorkers());
  const parallelMinRows = deps.parallelDecodeMinRows ?? PARALLEL_DECODE_MIN_ROWS;
  const evaluations = new EvaluationRepository();
  const now = deps.now ?? (() => new Date());
  const modelsDir = path.join(deps.workDir, 'models');
  const datasetsDir = path.join(deps.workDir, 'datasets');

  async function loadSubject(evaluationId: string) {
    const evaluation = await deps.db.evaluation.findUnique({
      where: { id: evaluationId },
      include: { modelVersion: { include: { model: true } }, datasetVersion: true },
    });
    if (!evaluation) throw notFound(`evaluation ${evaluationId} does not exist`, { reason: 'EVALUATION_NOT_FOUND' });
    return evaluation;
  }

  /** The verified model file, downloaded once per sha256 (written whole, then renamed). */
  async function modelFile(uri: string, sha256: string): Promise<string> {
    const file = path.join(modelsDir, `${sha256}.onnx`);
    if (await stat(file).catch(() => null)) return file;
    await mkdir(modelsDir, { recursive: true });
    const partial = `${file}.${process.pid}.${Date.now()}.part`;
    await deps.store.downloadToFile(uri, { sha256 }, partial);
    await rename(partial, file);
    return file;
  }

  return {
    async startEvaluation({ evaluationId }) {
      try {
        const subject = await loadSubject(evaluationId);
        const rowsTotal = subject.datasetVersion.rowCount;
        await evaluations.markRunning(deps.db, evaluationId, rowsTotal, now());
        return { rowsTotal };
      } catch (error) {
        throw toActivityFailure(error);
      }
    },

    async gradeDataset({ evaluationId, batchSize }): Promise<GradeDatasetOutcome> {
      const ctx = Context.current();
      const resume = ctx.info.heartbeatDetails as GradingHeartbeat | undefined;
      const log = deps.logger.child({ evaluationId, attempt: ctx.info.attempt });
      let datasetFile: string | undefined;
      let modelKey: string | undefined;
      try {
        const subject = await loadSubject(evaluationId);
        const version = subject.modelVersion;
        const dataset = subject.datasetVersion;
        const task = version.model.task;
        const signature = version.signature as unknown as ModelSignature;
        const metadata = (version.metadata ?? {}) as Record<string, unknown>;
        const prediction = predictionOf({
          prediction: isPredictionSpec(version.prediction) ? version.prediction : null,
          signature,
          metadata,
          task,
        });
        const labels = task === 'classification' ? predictionClasses(prediction) : undefined;
        if (!dataset.labelColumn) {
          throw new FledgeError('INVALID_ARGUMENT', 'the dataset version has no label column to grade against', {
            reason: 'DATASET_UNLABELLED',
          });
        }

        // The whole dataset is verified against its sha256 before any row reaches the model.
        await mkdir(datasetsDir, { recursive: true });
        datasetFile = path.join(datasetsDir, `${evaluationId}.${ctx.info.attempt}.data`);
        await deps.store.downloadToFile(dataset.uri, { sha256: dataset.sha256 }, datasetFile);
        const path_ = await modelFile(version.artifactUri, version.sha256);
        modelKey = version.sha256;
        await deps.runtime.load({ key: modelKey, path: path_ });

        if (resume) log.info({ resumeAfterRow: resume.lastRow, rowsDone: resume.rowsDone }, 'resuming grading');
        else log.info({ rows: dataset.rowCount }, 'grading');
        const outcome = await gradeStream({
          runtime: deps.runtime,
          modelKey,
          signature,
          task,
          prediction,
          labels,
          source: createReadStream(datasetFile, { highWaterMark: 64 * 1024 }),
          format: dataset.format,
          compression: dataset.compression === 'gzip' ? 'gzip' : 'auto',
          featureColumns: dataset.featureColumns,
          labelColumn: dataset.labelColumn,
          batchSize: batchSize ?? deps.batchSize ?? 256,
          decodeWorkers: dataset.rowCount >= parallelMinRows ? decodeWorkers : 0,
          resume,
          progressIntervalMs: deps.progressIntervalMs ?? 1000,
          signal: ctx.cancellationSignal,
          onProgress: async (progress) => {
            ctx.heartbeat(progress);
            await evaluations.updateProgress(deps.db, evaluationId, progress.rowsDone);
          },
        });
        log.info(
          { rows: outcome.rowsDone, throughput: Math.round(outcome.throughput), run: outcome.latency.run },
          'graded',
        );
        return outcome;
      } catch (error) {
        log.warn({ err: error }, 'grading attempt failed');
        throw toActivityFailure(error);
      } finally {
        if (modelKey) await deps.runtime.release(modelKey).catch(() => undefined);
        if (datasetFile) await rm(datasetFile, { force: true });
      }
    },

    async completeEvaluation({ evaluationId, outcome }) {
      await evaluations.complete(
        deps.db,
        evaluationId,
        {
          metrics: outcome.metrics,
          rowsDone: outcome.rowsDone,
          throughput: outcome.throughput,
          latency: outcome.latency,
        },
        now(),
      );
    },

    async failEvaluation({ evaluationId, error }) {
      await evaluations.fail(deps.db, evaluationId, error, now());
    },
  };
}
