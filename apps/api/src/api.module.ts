import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import {
  ApiKeyRepository,
  AuditRepository,
  DatasetRepository,
  DatasetVersionRepository,
  AlarmRepository,
  EndpointRepository,
  EvaluationRepository,
  LineageRepository,
  ModelAliasRepository,
  ModelAliasService,
  ModelRepository,
  ModelVersionRepository,
  RolloutRepository,
  UploadRepository,
  type PrismaClient,
} from '@fledge/db';
import { type ArtifactStore } from '@fledge/storage';

import { AlarmResolver } from './alarm/alarm.resolver.js';
import { AlarmService } from './alarm/alarm.service.js';
import { ApiKeyResolver } from './api-key/api-key.resolver.js';
import { ApiKeyService } from './api-key/api-key.service.js';
import { type ApiSettings } from './api.settings.js';
import {
  API_SETTINGS,
  ARTIFACT_STORE,
  DB,
  GRADING_LAUNCHER,
  HOSTING_BACKENDS,
  MODEL_INSPECTOR,
  ROLLOUT_WORKFLOWS,
  SNS_VERIFIER,
} from './api.tokens.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { AuthService } from './auth/auth.service.js';
import { HttpErrorFilter } from './common/http-error.filter.js';
import { LoadersFactory, type GraphqlContext } from './common/loaders.js';
import { DatasetResolver, DatasetVersionResolver } from './dataset/dataset.resolver.js';
import { DatasetService } from './dataset/dataset.service.js';
import { EvaluationResolver } from './evaluation/evaluation.resolver.js';
import { EvaluationService } from './evaluation/evaluation.service.js';
import { type GradingLauncher } from './evaluation/grading.launcher.js';
import { complexityPlugin } from './graphql/complexity.plugin.js';
import { errorLoggingPlugin, graphqlErrorFormatter } from './graphql/format-error.js';
import { inputLimitsPlugin } from './graphql/input-limits.js';
import { JsonScalar } from './graphql/json.scalar.js';
import { queryLimitRules } from './graphql/query-limits.js';
import { EndpointResolver, EndpointVariantResolver } from './endpoint/endpoint.resolver.js';
import { EndpointService, type HostingBackends } from './endpoint/endpoint.service.js';
import { HealthResolver } from './health/health.resolver.js';
import { AlarmWebhookController } from './rollout/alarm-webhook.controller.js';
import { EndpointRolloutsResolver, RolloutEventResolver, RolloutResolver } from './rollout/rollout.resolver.js';
import { RolloutService } from './rollout/rollout.service.js';
import { type RolloutWorkflows } from './rollout/rollout.workflows.js';
import { type SnsMessageVerifier } from './rollout/sns-message.verifier.js';
import { ModelResolver, ModelVersionResolver } from './model/model.resolver.js';
import { ModelService, type ModelInspector } from './model/model.service.js';
import { UploadController } from './upload/upload.controller.js';
import { UploadResolver } from './upload/upload.resolver.js';
import { UploadService } from './upload/upload.service.js';

/** Everything the API is built from; the process entry point and tests construct it. */
export interface ApiContext {
  db: PrismaClient;
  store: ArtifactStore;
  inspector: ModelInspector;
  settings: ApiSettings;
  /** Starts grading workflows on Temporal. */
  grading: GradingLauncher;
  /** Starts, signals and queries rollout workflows on Temporal. */
  rollouts: RolloutWorkflows;
  /** Checks Amazon SNS message signatures (and confirms subscriptions). */
  sns: SnsMessageVerifier;
  /** Where endpoints are hosted, for their live statistics. */
  hosting: HostingBackends;
}

/** Every resolver; the schema printer builds the SDL from the same list. */
export const resolvers = [
  HealthResolver,
  ModelResolver,
  ModelVersionResolver,
  DatasetResolver,
  DatasetVersionResolver,
  UploadResolver,
  ApiKeyResolver,
  AuditResolver,
  EvaluationResolver,
  EndpointResolver,
  EndpointVariantResolver,
  EndpointRolloutsResolver,
  RolloutResolver,
  RolloutEventResolver,
  AlarmResolver,
];

const repositories = [
  ModelRepository,
  ModelVersionRepository,
  ModelAliasRepository,
  DatasetRepository,
  DatasetVersionRepository,
  UploadRepository,
  ApiKeyRepository,
  AuditRepository,
  LineageRepository,
  EvaluationRepository,
  EndpointRepository,
  RolloutRepository,
  AlarmRepository,
  // Shared with the worker, so it lives beside the repositories.
  ModelAliasService,
];

@Global()
@Module({})
class CoreModule {
  static register(context: ApiContext): DynamicModule {
    const providers = [
      { provide: DB, useValue: context.db },
      { provide: ARTIFACT_STORE, useValue: context.store },
      { provide: MODEL_INSPECTOR, useValue: context.inspector },
      { provide: API_SETTINGS, useValue: context.settings },
      { provide: GRADING_LAUNCHER, useValue: context.grading },
      { provide: ROLLOUT_WORKFLOWS, useValue: context.rollouts },
      { provide: SNS_VERIFIER, useValue: context.sns },
      { provide: HOSTING_BACKENDS, useValue: context.hosting },
      ...repositories,
      LoadersFactory,
    ];
    return { module: CoreModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }
}

@Module({})
export class ApiModule {
  static register(context: ApiContext): DynamicModule {
    const { settings } = context;
    return {
      module: ApiModule,
      imports: [
        CoreModule.register(context),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [LoadersFactory, GraphQLSchemaHost],
          useFactory: (loaders: LoadersFactory, schemaHost: GraphQLSchemaHost) => ({
            autoSchemaFile: true,
            sortSchema: true,
            resolvers: { JSON: JsonScalar },
            // The schema is published as apps/api/schema.graphql; asking the server for it (and for
            // stack traces) is for developers only.
            introspection: settings.graphql.debug,
            includeStacktraceInErrorResponses: settings.graphql.debug,
            graphiql: false,
            parseOptions: { maxTokens: settings.graphql.maxTokens },
            validationRules: queryLimitRules(settings.graphql),
            formatError: graphqlErrorFormatter({ debug: settings.graphql.debug }),
            plugins: [
              complexityPlugin(() => schemaHost.schema, settings.graphql.maxComplexity),
              inputLimitsPlugin(),
              errorLoggingPlugin(new Logger('GraphQL') as never),
            ],
            context: ({ req }: { req: GraphqlContext['req'] }): GraphqlContext => ({ req, loaders: loaders.create() }),
          }),
        }),
      ],
      controllers: [UploadController, AlarmWebhookController],
      providers: [
        AuthService,
        ApiKeyService,
        UploadService,
        ModelService,
        DatasetService,
        EvaluationService,
        EndpointService,
        RolloutService,
        AlarmService,
        ...resolvers,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
