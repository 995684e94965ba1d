import { Inject, Injectable } from '@nestjs/common';
import {
  type DatasetRecord,
  type DatasetVersionRecord,
  type ModelAliasRecord,
  type ModelRecord,
  type ModelVersionRecord,
} from '@fledge/domain';
import {
  DatasetRepository,
  DatasetVersionRepository,
  AlarmRepository,
  EndpointRepository,
  LineageRepository,
  ModelAliasRepository,
  ModelRepository,
  ModelVersionRepository,
  RolloutRepository,
  type AlarmRecord,
  type EndpointRecord,
  type PrismaClient,
  type EndpointVariantRecord,
  type EvaluationSummary,
  type Placement,
} from '@fledge/db';
import DataLoader from 'dataloader';

import { DB } from '../api.tokens.js';

/** Per-request batch loaders: a page of N models with nested fields costs a constant number of queries. */
export interface Loaders {
  modelById: DataLoader<string, ModelRecord | null>;
  modelVersionById: DataLoader<string, ModelVersionRecord | null>;
  latestVersionByModel: DataLoader<string, ModelVersionRecord | null>;
  aliasesByModel: DataLoader<string, ModelAliasRecord[]>;
  aliasesByVersion: DataLoader<string, ModelAliasRecord[]>;
  datasetById: DataLoader<string, DatasetRecord | null>;
  datasetVersionById: DataLoader<string, DatasetVersionRecord | null>;
  evaluationsByVersion: DataLoader<string, EvaluationSummary[]>;
  placementsByVersion: DataLoader<string, Placement[]>;
  variantsByEndpoint: DataLoader<string, EndpointVariantRecord[]>;
  endpointById: DataLoader<string, EndpointRecord | null>;
  alarmsByRollout: DataLoader<string, AlarmRecord[]>;
}

function byKey<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): (T | null)[] {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
}

function groupBy<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(keyOf(row), [...(map.get(keyOf(row)) ?? []), row]);
  return keys.map((k) => map.get(k) ?? []);
}

@Injectable()
export class LoadersFactory {
  constructor(
    @Inject(DB) private readonly db: PrismaClient,
    @Inject(ModelRepository) private readonly models: ModelRepository,
    @Inject(ModelVersionRepository) private readonly versions: ModelVersionRepository,
    @Inject(ModelAliasRepository) private readonly aliases: ModelAliasRepository,
    @Inject(DatasetRepository) private readonly datasets: DatasetRepository,
    @Inject(DatasetVersionRepository) private readonly datasetVersions: DatasetVersionRepository,
    @Inject(LineageRepository) private readonly lineage: LineageRepository,
    @Inject(EndpointRepository) private readonly endpoints: EndpointRepository,
    @Inject(RolloutRepository) private readonly rollouts: RolloutRepository,
    @Inject(AlarmRepository) private readonly alarms: AlarmRepository,
  ) {}

  create(): Loaders {
    const db = this.db;
    return {
      modelById: new DataLoader(async (ids) => byKey(ids, await this.models.findByIds(db, ids), (m) => m.id)),
      modelVersionById: new DataLoader(async (ids) => byKey(ids, await this.versions.findByIds(db, ids), (v) => v.id)),
      latestVersionByModel: new DataLoader(async (ids) =>
        byKey(ids, await this.versions.latestForModels(db, ids), (v) => v.modelId),
      ),
      aliasesByModel: new DataLoader(async (ids) =>
        groupBy(ids, await this.aliases.listForModels(db, ids), (a) => a.modelId),
      ),
      aliasesByVersion: new DataLoader(async (ids) =>
        groupBy(ids, await this.aliases.listForVersions(db, ids), (a) => a.versionId),
      ),
      datasetById: new DataLoader(async (ids) => byKey(ids, await this.datasets.findByIds(db, ids), (d) => d.id)),
      datasetVersionById: new DataLoader(async (ids) =>
        byKey(ids, await this.datasetVersions.findByIds(db, ids), (v) => v.id),
      ),
      evaluationsByVersion: new DataLoader(async (ids) =>
        groupBy(ids, await this.lineage.evaluationsForVersions(db, ids), (e) => e.modelVersionId),
      ),
      placementsByVersion: new DataLoader(async (ids) =>
        groupBy(ids, await this.lineage.placementsForVersions(db, ids), (p) => p.modelVersionId),
      ),
      variantsByEndpoint: new DataLoader(async (ids) =>
        groupBy(ids, await this.endpoints.variantsFor(db, ids), (v) => v.endpointId),
      ),
      endpointById: new DataLoader(async (ids) => byKey(ids, await this.endpoints.findByIds(db, ids), (e) => e.id)),
      alarmsByRollout: new DataLoader(async (ids) =>
        groupBy(ids, await this.alarms.listByRollout(db, ids), (a) => a.rolloutId ?? ''),
      ),
    };
  }
}

export interface GraphqlContext {
  req: import('../auth/auth.decorators.js').RequestWithActor;
  loaders: Loaders;
}
