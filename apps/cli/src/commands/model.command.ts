import {
  ArchiveModelVersionDocument,
  CreateModelDocument,
  ModelsPageDocument,
  ModelVersionDocument,
  ModelWithVersionsDocument,
  RegisterModelVersionDocument,
  SetModelAliasDocument,
  type Modality,
  type ModelTask,
  type ScoreType,
} from '@fledge/client';
import { Command, Option } from 'commander';

import { required } from '../client/required.js';
import { type CliContext, type OutputOptions } from '../cli-context.js';
import {
  renderModel,
  renderModelList,
  renderModelVersion,
  renderPrediction,
  renderTensors,
} from '../render/model.renderer.js';
import { lower } from '../render/format.util.js';
import { uploadFile } from '../upload/uploader.js';
import {
  parseExactVersionRef,
  parseJsonObject,
  parsePositiveInt,
  parseVersionNumber,
  parseVersionRef,
  type Json,
  type VersionRef,
} from './args.util.js';
import { collectPages } from './paginate.util.js';
import { apiEnum, jsonOption, MODALITY_CHOICES, TASK_CHOICES } from './options.js';
import { resolveModelVersion } from './version-ref.util.js';

export function modelCommand(ctx: CliContext): Command {
  const model = new Command('model').description('Register, list and inspect models and their versions.');

  model
    .command('create')
    .description('Create a model (a named series of versions).')
    .argument('<name>', 'unique name: lower-case letters, digits, dashes')
    .addOption(new Option('--task <task>', 'what it predicts').choices(TASK_CHOICES).makeOptionMandatory())
    .addOption(new Option('--modality <modality>', 'what it reads').choices(MODALITY_CHOICES).makeOptionMandatory())
    .option('--description <text>', 'free text')
    .addOption(jsonOption())
    .action(
      async (
        name: string,
        opts: OutputOptions & { task: Lowercase<ModelTask>; modality: Lowercase<Modality>; description?: string },
      ) => {
        const client = await ctx.client();
        const { createModel: created } = await client.request(CreateModelDocument, {
          input: {
            name,
            task: apiEnum<ModelTask>(opts.task),
            modality: apiEnum<Modality>(opts.modality),
            description: opts.description,
          },
        });
        ctx.print(
          opts,
          created,
          () => `Created model ${created.name} (${lower(created.task)}, ${lower(created.modality)}).`,
        );
      },
    );

  model
    .command('register')
    .description('Upload an ONNX file and register it as the next version of a model.')
    .argument('<name>', 'model name')
    .argument('<file>', 'the .onnx file')
    .option('--description <text>', 'what changed in this version')
    .option('--metadata <json>', 'hyperparameters, training metrics, tags: inline JSON or @file.json', (v) =>
      parseJsonObject(v),
    )
    .option(
      '--training-dataset <dataset@version>',
      'the dataset version it was trained on (lineage)',
      parseExactVersionRef,
    )
    .option('--prediction-output <name>', 'the output to compare and grade (default: detected from the file)')
    .addOption(
      new Option('--scores <type>', 'the class scores are probabilities or logits (default: detected)').choices([
        'probabilities',
        'logits',
      ]),
    )
    .addOption(jsonOption())
    .action(
      async (
        name: string,
        file: string,
        opts: OutputOptions & {
          description?: string;
          metadata?: Json;
          trainingDataset?: { name: string; version: number };
          predictionOutput?: string;
          scores?: 'probabilities' | 'logits';
        },
      ) => {
        const client = await ctx.client();
        const { upload } = await uploadFile(client, 'MODEL', file, ctx.progress(opts));
        const { registerModelVersion: version } = await client.request(RegisterModelVersionDocument, {
          input: {
            model: name,
            uploadId: upload.id,
            description: opts.description,
            metadata: opts.metadata,
            trainingDataset: opts.trainingDataset
              ? { dataset: opts.trainingDataset.name, version: opts.trainingDataset.version }
              : undefined,
            prediction:
              opts.predictionOutput || opts.scores
                ? { output: opts.predictionOutput, scores: opts.scores && apiEnum<ScoreType>(opts.scores) }
                : undefined,
          },
        });
        ctx.print(opts, version, () =>
          [
            `Registered ${version.model.name} version ${version.version}.`,
            `sha256: ${version.sha256}`,
            '',
            renderTensors(version.signature.inputs, version.signature.outputs),
            ...(version.prediction
              ? ['', `Prediction: ${renderPrediction(version.prediction).replaceAll('\n', '; ')}`]
              : []),
          ].join('\n'),
        );
      },
    );

  model
    .command('list')
    .description('List models, by name.')
    .option('--name-contains <text>', 'only names containing this (case-insensitive)')
    .addOption(new Option('--task <task>', 'only this task').choices(TASK_CHOICES))
    .addOption(new Option('--modality <modality>', 'only this modality').choices(MODALITY_CHOICES))
    .addOption(new Option('--limit <n>', 'at most this many').argParser(parsePositiveInt).default(20).conflicts('all'))
    .option('--all', 'every model (follows pages)')
    .addOption(jsonOption())
    .action(
      async (
        opts: OutputOptions & {
          nameContains?: string;
          task?: Lowercase<ModelTask>;
          modality?: Lowercase<Modality>;
          limit: number;
          all?: boolean;
        },
      ) => {
        const client = await ctx.client();
        const filter = {
          nameContains: opts.nameContains,
          task: apiEnum<ModelTask>(opts.task),
          modality: apiEnum<Modality>(opts.modality),
        };
        const { items, totalCount, hasMore } = await collectPages(
          async (page) => (await client.request(ModelsPageDocument, { filter, ...page })).models,
          opts.all ? Number.POSITIVE_INFINITY : opts.limit,
        );
        ctx.print(opts, { totalCount, hasMore, models: items }, () => renderModelList(items, totalCount));
      },
    );

  model
    .command('show')
    .description('Show a model and its versions, or one version with its signature and lineage.')
    .argument('<ref>', '<name>, <name>@<version> or <name>@<alias>', parseVersionRef)
    .addOption(jsonOption())
    .action(async (ref: VersionRef, opts: OutputOptions) => {
      const client = await ctx.client();
      if (ref.version === undefined && ref.alias === undefined) {
        const { model: found } = await client.request(ModelWithVersionsDocument, { name: ref.name, first: 20 });
        const model = required(found, 'model', ref.name);
        ctx.print(opts, model, () => renderModel(model));
        return;
      }
      const { modelVersion: version } = await client.request(ModelVersionDocument, {
        model: ref.name,
        version: await resolveModelVersion(client, ref),
      });
      ctx.print(opts, version, () => renderModelVersion(version));
    });

  model
    .command('alias')
    .description('Point an alias (e.g. production, champion) at a version.')
    .argument('<name>', 'model name')
    .argument('<alias>', 'alias name')
    .argument('<version>', 'version number', parseVersionNumber)
    .addOption(jsonOption())
    .action(async (name: string, alias: string, version: number, opts: OutputOptions) => {
      const client = await ctx.client();
      const { setModelAlias: set } = await client.request(SetModelAliasDocument, {
        input: { model: name, alias, version },
      });
      ctx.print(opts, { model: name, ...set }, () => `${name}@${set.name} → version ${set.version}`);
    });

  model
    .command('archive')
    .description('Archive a version (it can no longer be deployed).')
    .argument('<name@version>', 'the version to archive', parseExactVersionRef)
    .addOption(jsonOption())
    .action(async (ref: { name: string; version: number }, opts: OutputOptions) => {
      const client = await ctx.client();
      const { archiveModelVersion: archived } = await client.request(ArchiveModelVersionDocument, {
        input: { model: ref.name, version: ref.version },
      });
      ctx.print(
        opts,
        archived,
        () => `Archived ${archived.model.name} version ${archived.version} (${lower(archived.status)}).`,
      );
    });

  return model;
}
