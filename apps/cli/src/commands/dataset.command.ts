import path from 'node:path';

import {
  CreateDatasetDocument,
  DatasetsPageDocument,
  DatasetVersionDocument,
  DatasetWithVersionsDocument,
  RegisterDatasetVersionDocument,
  type DatasetCompression,
  type DatasetFormat,
} from '@fledge/client';
import { Command, Option } from 'commander';

import { required } from '../client/required.js';
import { type CliContext, type OutputOptions } from '../cli-context.js';
import { renderDataset, renderDatasetList, renderDatasetVersion } from '../render/dataset.renderer.js';
import { uploadFile } from '../upload/uploader.js';
import { UsageError } from '../usage-error.js';
import {
  parseColumnList,
  parseJsonObject,
  parsePositiveInt,
  parseVersionRef,
  type Json,
  type VersionRef,
} from './args.util.js';
import { apiEnum, COMPRESSION_CHOICES, FORMAT_CHOICES, jsonOption } from './options.js';
import { collectPages } from './paginate.util.js';

/** `rows.jsonl`, `rows.ndjson`, `rows.csv`, each optionally `.gz`. */
export function formatFromFileName(file: string): Lowercase<DatasetFormat> | undefined {
  const name = path.basename(file).toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.csv')) return 'csv';
  return undefined;
}

export function datasetCommand(ctx: CliContext): Command {
  const dataset = new Command('dataset').description('Register, list and inspect datasets and their versions.');

  dataset
    .command('create')
    .description('Create a dataset (a named series of versions).')
    .argument('<name>', 'unique name: lower-case letters, digits, dashes')
    .option('--description <text>', 'free text')
    .addOption(jsonOption())
    .action(async (name: string, opts: OutputOptions & { description?: string }) => {
      const client = await ctx.client();
      const { createDataset: created } = await client.request(CreateDatasetDocument, {
        input: { name, description: opts.description },
      });
      ctx.print(opts, created, () => `Created dataset ${created.name}.`);
    });

  dataset
    .command('register')
    .description('Upload a JSON Lines or CSV file (optionally gzip) and register it as the next version.')
    .argument('<name>', 'dataset name')
    .argument('<file>', 'the data file')
    .addOption(new Option('--format <format>', 'file format (default: from the file name)').choices(FORMAT_CHOICES))
    .requiredOption('--features <columns>', 'feature columns, comma-separated', parseColumnList)
    .requiredOption('--label <column>', 'label column')
    .addOption(
      new Option('--compression <compression>', 'compression (default: detected from the file)').choices(
        COMPRESSION_CHOICES,
      ),
    )
    .option('--metadata <json>', 'free metadata: inline JSON or @file.json', (v) => parseJsonObject(v))
    .addOption(jsonOption())
    .action(
      async (
        name: string,
        file: string,
        opts: OutputOptions & {
          format?: Lowercase<DatasetFormat>;
          features: string[];
          label: string;
          compression?: Lowercase<DatasetCompression>;
          metadata?: Json;
        },
      ) => {
        const format = opts.format ?? formatFromFileName(file);
        if (!format) throw new UsageError(`cannot tell the format of ${file} from its name: pass --format jsonl|csv`);
        const client = await ctx.client();
        const { upload } = await uploadFile(client, 'DATASET', file, ctx.progress(opts));
        const { registerDatasetVersion: version } = await client.request(RegisterDatasetVersionDocument, {
          input: {
            dataset: name,
            uploadId: upload.id,
            format: apiEnum<DatasetFormat>(format),
            compression: apiEnum<DatasetCompression>(opts.compression),
            featureColumns: opts.features,
            labelColumn: opts.label,
            metadata: opts.metadata,
          },
        });
        ctx.print(opts, version, () =>
          [
            `Registered ${version.dataset.name} version ${version.version}: ${version.rowCount} rows.`,
            `sha256: ${version.sha256}`,
          ].join('\n'),
        );
      },
    );

  dataset
    .command('list')
    .description('List datasets, by name.')
    .addOption(new Option('--limit <n>', 'at most this many').argParser(parsePositiveInt).default(20).conflicts('all'))
    .option('--all', 'every dataset (follows pages)')
    .addOption(jsonOption())
    .action(async (opts: OutputOptions & { limit: number; all?: boolean }) => {
      const client = await ctx.client();
      const { items, totalCount, hasMore } = await collectPages(
        async (page) => (await client.request(DatasetsPageDocument, page)).datasets,
        opts.all ? Number.POSITIVE_INFINITY : opts.limit,
      );
      ctx.print(opts, { totalCount, hasMore, datasets: items }, () => renderDatasetList(items, totalCount));
    });

  dataset
    .command('show')
    .description('Show a dataset and its versions, or one version.')
    .argument('<ref>', '<name> or <name>@<version>', parseVersionRef)
    .addOption(jsonOption())
    .action(async (ref: VersionRef, opts: OutputOptions) => {
      if (ref.alias !== undefined) throw new UsageError('datasets have no aliases: use <name>@<version>');
      const client = await ctx.client();
      if (ref.version === undefined) {
        const { dataset: found } = await client.request(DatasetWithVersionsDocument, { name: ref.name, first: 20 });
        const dataset = required(found, 'dataset', ref.name);
        ctx.print(opts, dataset, () => renderDataset(dataset));
        return;
      }
      const { datasetVersion: version } = await client.request(DatasetVersionDocument, {
        dataset: ref.name,
        version: ref.version,
      });
      ctx.print(opts, version, () => renderDatasetVersion(version));
    });

  return dataset;
}
