import { Inject, Injectable } from '@nestjs/common';
import { inspectDataset } from '@fledge/datasets';
import {
  assertResourceName,
  type DatasetRecord,
  type DatasetVersionRecord,
  type ModelVersionRecord,
} from '@fledge/domain';
import {
  AuditRepository,
  DatasetRepository,
  DatasetVersionRepository,
  LineageRepository,
  UploadRepository,
  type PrismaClient,
  type EvaluationSummary,
  type Page,
  type PageResult,
} from '@fledge/db';
import { FledgeError, notFound } from '@fledge/errors';
import { type ArtifactStore } from '@fledge/storage';

import { ARTIFACT_STORE, DB } from '../api.tokens.js';
import { type CallContext } from '../auth/auth.decorators.js';
import { assertRole } from '../auth/role.js';
import { createAudited, inTransaction } from '../common/transaction.js';
import { checkMetadata } from '../model/model.service.js';
import { UploadService } from '../upload/upload.service.js';
import { type CreateDatasetInput, type RegisterDatasetVersionInput } from './dataset.types.js';

const MAX_COLUMNS = 10_000;

@Injectable()
export class DatasetService {
  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(DatasetRepository) private readonly datasets: DatasetRepository,
    @Inject(DatasetVersionRepository) private readonly versions: DatasetVersionRepository,
    @Inject(UploadRepository) private readonly uploadRows: UploadRepository,
    @Inject(LineageRepository) private readonly lineage: LineageRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(UploadService) private readonly uploads: UploadService,
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
  ) {}

  async createDataset(call: CallContext, input: CreateDatasetInput): Promise<DatasetRecord> {
    assertRole(call.actor, 'scientist', 'createDataset');
    const name = assertResourceName('dataset', input.name);
    return createAudited(this.db, this.audit, call, { type: 'dataset', name }, (tx) =>
      this.datasets.create(tx, { name, owner: call.actor.name, description: (input.description ?? '').slice(0, 4000) }),
    );
  }

  async requireDataset(name: string): Promise<DatasetRecord> {
    const dataset = await this.datasets.findByName(this.db, name);
    if (!dataset) throw notFound(`dataset ${name} does not exist`, { reason: 'DATASET_NOT_FOUND' });
    return dataset;
  }

  findDataset(name: string): Promise<DatasetRecord | null> {
    return this.datasets.findByName(this.db, name);
  }

  listDatasets(page: Page): Promise<PageResult<DatasetRecord>> {
    return this.datasets.list(this.db, page);
  }

  listVersions(datasetId: string, page: Page): Promise<PageResult<DatasetVersionRecord>> {
    return this.versions.listByDataset(this.db, datasetId, page);
  }

  /** Where used: evaluations graded on the dataset version, newest first. */
  evaluationsOn(datasetVersionId: string, limit: number): Promise<EvaluationSummary[]> {
    return this.lineage.evaluationsOnDatasetVersion(this.db, datasetVersionId, limit);
  }

  /** Where used: model versions trained on the dataset version, newest first. */
  versionsTrainedOn(datasetVersionId: string, limit: number): Promise<ModelVersionRecord[]> {
    return this.lineage.versionsTrainedOn(this.db, datasetVersionId, limit);
  }

  async requireVersion(name: string, version: number): Promise<DatasetVersionRecord> {
    const dataset = await this.requireDataset(name);
    const found = await this.versions.find(this.db, dataset.id, version);
    if (!found)
      throw notFound(`dataset version ${name}@${version} does not exist`, { reason: 'DATASET_VERSION_NOT_FOUND' });
    return found;
  }

  /**
   * Registers an uploaded data file as the dataset's next version. Every row is read once (streamed,
   * sha256 verified) to count rows and check the declared columns; a bad file is refused naming the
   * row, and its bytes are deleted.
   */
  async registerVersion(call: CallContext, input: RegisterDatasetVersionInput): Promise<DatasetVersionRecord> {
    assertRole(call.actor, 'scientist', 'registerDatasetVersion');
    const dataset = await this.requireDataset(input.dataset);
    const metadata = checkMetadata(input.metadata);
    const featureColumns = checkColumns(input.featureColumns, input.labelColumn);
    const upload = await this.uploads.requireCompleted(call, input.uploadId, 'dataset');

    let inspection: Awaited<ReturnType<typeof inspectDataset>>;
    try {
      inspection = await inspectDataset(await this.store.get(upload.uri, { sha256: upload.sha256 }), {
        format: input.format,
        compression: input.compression ?? 'auto',
        featureColumns,
        labelColumn: input.labelColumn,
      });
    } catch (error) {
      await this.uploads.discard(upload.id);
      throw error;
    }

    return inTransaction(this.db, async (tx) => {
      await this.uploadRows.consume(tx, upload.id);
      const version = await this.versions.allocateVersion(tx, dataset.id);
      const created = await this.versions.create(tx, {
        datasetId: dataset.id,
        version,
        uri: upload.uri,
        sha256: upload.sha256,
        sizeBytes: upload.sizeBytes,
        rowCount: inspection.rowCount,
        format: input.format,
        compression: inspection.compression,
        featureColumns,
        labelColumn: input.labelColumn,
        labels: inspection.labels,
        metadata,
        createdBy: call.actor.name,
      });
      await this.audit.record(tx, {
        actor: call.actor,
        action: 'dataset_version.register',
        subjectType: 'dataset_version',
        subjectId: created.id,
        after: { dataset: dataset.name, ...created },
        requestId: call.requestId,
      });
      return created;
    });
  }
}

function checkColumns(featureColumns: string[], labelColumn: string): string[] {
  const bad = (message: string) => new FledgeError('INVALID_ARGUMENT', message, { reason: 'COLUMNS_INVALID' });
  if (featureColumns.length === 0) throw bad('declare at least one feature column');
  if (featureColumns.length > MAX_COLUMNS) throw bad(`declare at most ${MAX_COLUMNS} feature columns`);
  if (new Set(featureColumns).size !== featureColumns.length) throw bad('feature columns must be distinct');
  if (!labelColumn) throw bad('declare the label column');
  if (featureColumns.includes(labelColumn)) throw bad(`the label column ${labelColumn} cannot also be a feature`);
  return featureColumns;
}
