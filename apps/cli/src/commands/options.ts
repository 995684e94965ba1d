import { Option } from 'commander';

import {
  type DatasetCompression,
  type DatasetFormat,
  type EndpointBackend,
  type Modality,
  type ModelTask,
  type Role,
} from '@fledge/client';

/** Every command takes --json: machine-readable output on stdout, nothing else there. */
export const jsonOption = () => new Option('--json', 'print machine-readable JSON on stdout');

export const TASK_CHOICES: readonly Lowercase<ModelTask>[] = ['classification', 'regression'];
export const MODALITY_CHOICES: readonly Lowercase<Modality>[] = ['image', 'text', 'tabular'];
export const ROLE_CHOICES: readonly Lowercase<Role>[] = ['viewer', 'scientist', 'engineer', 'admin', 'alerts'];
export const FORMAT_CHOICES: readonly Lowercase<DatasetFormat>[] = ['jsonl', 'csv'];
export const BACKEND_CHOICES: readonly Lowercase<EndpointBackend>[] = ['local', 'sagemaker'];
export const COMPRESSION_CHOICES: readonly Lowercase<DatasetCompression>[] = ['none', 'gzip'];

/** A lower-case option value as the API's enum name (`classification` → `CLASSIFICATION`). */
export function apiEnum<T extends string>(value: Lowercase<T>): T;
export function apiEnum<T extends string>(value: Lowercase<T> | undefined): T | undefined;
export function apiEnum<T extends string>(value: Lowercase<T> | undefined): T | undefined {
  return value === undefined ? undefined : (value.toUpperCase() as T);
}
