import { Inject, Injectable } from '@nestjs/common';
import {
  assertResourceName,
  decidePrediction,
  formatVersionRef,
  type ModelFacts,
  type ModelAliasRecord,
  type ModelRecord,
  type ModelSignature,
  type ModelVersionRecord,
  type PredictionSpec,
} from '@fledge/domain';
import {
  AuditRepository,
  DatasetRepository,
  DatasetVersionRepository,
  ModelAliasRepository,
  ModelAliasService,
  ModelRepository,
  ModelVersionRepository,
  UploadRepository,
  type PrismaClient,
  type ModelFilter,
  type Page,
  type PageResult,
} from '@fledge/db';
import { FledgeError, notFound } from '@fledge/errors';

import { DB, MODEL_INSPECTOR } from '../api.tokens.js';
import { type CallContext } from '../auth/auth.decorators.js';
import { assertRole } from '../auth/role.js';
import { createAudited, inTransaction } from '../common/transaction.js';
import { UploadService } from '../upload/upload.service.js';
import { type CreateModelInput, type RegisterModelVersionInput, type SetModelAliasInput } from './model.types.js';

/** What inspecting an ONNX artifact tells: onnxruntime's signature and the facts the prediction spec needs. */
export interface ModelInspection {
  signature: ModelSignature;
  facts: ModelFacts;
}

/** Reads an ONNX artifact's signature with onnxruntime, off the event loop. */
export interface ModelInspector {
  inspect(artifact: { uri: string; sha256: string }): Promise<ModelInspection>;
}

const METADATA_MAX_BYTES = 64 * 1024;

@Injectable()
export class ModelService {
  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(ModelRepository) private readonly models: ModelRepository,
    @Inject(ModelVersionRepository) private readonly versions: ModelVersionRepository,
    @Inject(ModelAliasRepository) private readonly aliases: ModelAliasRepository,
    @Inject(ModelAliasService) private readonly aliasMoves: ModelAliasService,
    @Inject(DatasetRepository) private readonly datasets: DatasetRepository,
    @Inject(DatasetVersionRepository) private readonly datasetVersions: DatasetVersionRepository,
    @Inject(UploadRepository) private readonly uploadRows: UploadRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(UploadService) private readonly uploads: UploadService,
    @Inject(MODEL_INSPECTOR) private readonly inspector: ModelInspector,
  ) {}

  async createModel(call: CallContext, input: CreateModelInput): Promise<ModelRecord> {
    assertRole(call.actor, 'scientist', 'createModel');
    const name = assertResourceName('model', input.name);
    const description = (input.description ?? '').slice(0, 4000);
    return createAudited(this.db, this.audit, call, { type: 'model', name }, (tx) =>
      this.models.create(tx, { name, task: input.task, modality: input.modality, owner: call.actor.name, description }),
    );
  }

  async requireModel(name: string): Promise<ModelRecord> {
    const model = await this.models.findByName(this.db, name);
    if (!model) throw notFound(`model ${name} does not exist`, { reason: 'MODEL_NOT_FOUND' });
    return model;
  }

  findModel(name: string): Promise<ModelRecord | null> {
    return this.models.findByName(this.db, name);
  }

  listModels(filter: ModelFilter, page: Page): Promise<PageResult<ModelRecord>> {
    return this.models.list(this.db, filter, page);
  }

  async requireVersion(modelName: string, version: number): Promise<ModelVersionRecord> {
    const model = await this.requireModel(modelName);
    const found = await this.versions.find(this.db, model.id, version);
    if (!found) {
      throw notFound(`model version ${formatVersionRef(modelName, version)} does not exist`, {
        reason: 'MODEL_VERSION_NOT_FOUND',
      });
    }
    return found;
  }

  async listVersions(modelId: string, page: Page): Promise<PageResult<ModelVersionRecord>> {
    return this.versions.listByModel(this.db, modelId, page);
  }

  /**
   * Registers an uploaded ONNX file as the model's next version. The file is opened with
   * onnxruntime first: a file it cannot load is refused with ORT's reason and its bytes deleted,
   * so a failed registration leaves neither a row nor an artifact behind. What the version
   * predicts (its prediction spec) is decided here, from the signature, the model's task, the
   * file's class labels and the registration's override, and stored with it.
   */
  async registerVersion(call: CallContext, input: RegisterModelVersionInput): Promise<ModelVersionRecord> {
    assertRole(call.actor, 'scientist', 'registerModelVersion');
    const model = await this.requireModel(input.model);
    const metadata = checkMetadata(input.metadata);
    const upload = await this.uploads.requireCompleted(call, input.uploadId, 'model');
    const trainingDatasetVersionId = input.trainingDataset
      ? await this.resolveDatasetVersion(input.trainingDataset)
      : null;

    let signature: ModelSignature;
    let prediction: PredictionSpec | null;
    try {
      const inspection = await this.inspector.inspect({ uri: upload.uri, sha256: upload.sha256 });
      signature = inspection.signature;
      prediction = this.decide(model, signature, metadata, inspection.facts, input.prediction);
    } catch (error) {
      await this.uploads.discard(upload.id);
      if (FledgeError.is(error)) throw error;
      throw new FledgeError('INVALID_ARGUMENT', `the file is not a loadable ONNX model: ${(error as Error).message}`, {
        reason: 'ONNX_UNREADABLE',
        cause: error,
      });
    }

    return inTransaction(this.db, async (tx) => {
      await this.uploadRows.consume(tx, upload.id);
      const version = await this.versions.allocateVersion(tx, model.id);
      const created = await this.versions.create(tx, {
        modelId: model.id,
        version,
        artifactUri: upload.uri,
        sha256: upload.sha256,
        sizeBytes: upload.sizeBytes,
        signature,
        prediction,
        trainingDatasetVersionId,
        metadata,
        description: (input.description ?? '').slice(0, 4000),
        createdBy: call.actor.name,
      });
      await this.audit.record(tx, {
        actor: call.actor,
        action: 'model_version.register',
        subjectType: 'model_version',
        subjectId: created.id,
        after: { model: model.name, ...created },
        requestId: call.requestId,
      });
      return created;
    });
  }

  async setAlias(call: CallContext, input: SetModelAliasInput): Promise<ModelAliasRecord> {
    assertRole(call.actor, 'scientist', 'setModelAlias');
    const alias = assertResourceName('alias', input.alias);
    const model = await this.requireModel(input.model);
    const target = await this.requireVersion(model.name, input.version);
    if (target.status === 'archived') {
      throw new FledgeError('FAILED_PRECONDITION', `${formatVersionRef(model.name, target.version)} is archived`, {
        reason: 'MODEL_VERSION_ARCHIVED',
      });
    }
    // Set by hand, the alias is held by no endpoint: rollouts move it again only as the rule says.
    return inTransaction(this.db, (tx) =>
      this.aliasMoves.move(tx, {
        modelId: model.id,
        alias,
        versionId: target.id,
        endpointId: null,
        actor: call.actor,
        requestId: call.requestId ?? null,
      }),
    );
  }

  async archiveVersion(call: CallContext, modelName: string, version: number): Promise<ModelVersionRecord> {
    assertRole(call.actor, 'scientist', 'archiveModelVersion');
    const target = await this.requireVersion(modelName, version);
    return inTransaction(this.db, async (tx) => {
      const aliases = await this.aliases.listForVersions(tx, [target.id]);
      if (aliases.length > 0) {
        throw new FledgeError(
          'FAILED_PRECONDITION',
          `${formatVersionRef(modelName, version)} is the target of alias ${aliases.map((a) => a.name).join(', ')}; move it first`,
          { reason: 'MODEL_VERSION_ALIASED' },
        );
      }
      const archived = await this.versions.setStatus(tx, target.id, 'archived');
      await this.audit.record(tx, {
        actor: call.actor,
        action: 'model_version.archive',
        subjectType: 'model_version',
        subjectId: target.id,
        before: { status: target.status },
        after: { status: archived.status },
        requestId: call.requestId,
      });
      return archived;
    });
  }

  /**
   * The version's prediction spec. An override that does not fit the model is refused; a model
   * whose outputs fit no layout registers without one (grading and shadow then say why they cannot use it).
   */
  private decide(
    model: ModelRecord,
    signature: ModelSignature,
    metadata: Record<string, unknown>,
    facts: ModelFacts,
    override: RegisterModelVersionInput['prediction'],
  ): PredictionSpec | null {
    const input = { signature, task: model.task, metadata, facts, override };
    if (override?.output || override?.scores) return decidePrediction(input);
    try {
      return decidePrediction(input);
    } catch {
      return null;
    }
  }

  private async resolveDatasetVersion(ref: { dataset: string; version: number }): Promise<string> {
    const dataset = await this.datasets.findByName(this.db, ref.dataset);
    const found = dataset ? await this.datasetVersions.find(this.db, dataset.id, ref.version) : null;
    if (!found)
      throw notFound(`dataset version ${ref.dataset}@${ref.version} does not exist`, {
        reason: 'DATASET_VERSION_NOT_FOUND',
      });
    return found.id;
  }
}

export function checkMetadata(metadata: unknown): Record<string, unknown> {
  if (metadata === undefined || metadata === null) return {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new FledgeError('INVALID_ARGUMENT', 'metadata must be a JSON object', { reason: 'METADATA_INVALID' });
  }
  if (Buffer.byteLength(JSON.stringify(metadata)) > METADATA_MAX_BYTES) {
    throw new FledgeError('INVALID_ARGUMENT', `metadata must be at most ${METADATA_MAX_BYTES} bytes of JSON`, {
      reason: 'METADATA_TOO_LARGE',
    });
  }
  return metadata as Record<string, unknown>;
}
