import { createHash } from 'node:crypto';

import { type TestApi } from '@fledge/testing';

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export type GqlResult<T = any> = Awaited<ReturnType<TestApi['graphql']>> & { data?: T };

export function errorCode(result: { errors?: { extensions?: Record<string, unknown> }[] }): unknown {
  return result.errors?.[0]?.extensions?.code;
}

export function expectData<T>(result: GqlResult<T>): T {
  if (!result.data || result.errors?.length) throw new Error(`GraphQL failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** createUpload + PUT, as the CLI does; returns the upload id (or the HTTP failure). */
export async function upload(
  api: TestApi,
  key: string,
  kind: 'model' | 'dataset',
  bytes: Uint8Array,
): Promise<{ id: string; status: number; body: any }> {
  const created = await api.graphql<{ createUpload: { id: string; url: string } }>(
    'mutation($input: CreateUploadInput!) { createUpload(input: $input) { id url } }',
    { input: { kind: kind.toUpperCase(), filename: `file.${kind === 'model' ? 'onnx' : 'jsonl'}` } },
    key,
  );
  const { id, url } = expectData(created).createUpload;
  const res = await fetch(`${api.url}${url}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  return { id, status: res.status, body: await res.json() };
}

export const REGISTER_MODEL_VERSION = `
  mutation($input: RegisterModelVersionInput!) {
    registerModelVersion(input: $input) {
      id version sha256 sizeBytes artifactUri status
      signature { inputs { name datatype shape } outputs { name datatype shape } }
    }
  }`;

export const CREATE_MODEL = `
  mutation($input: CreateModelInput!) { createModel(input: $input) { id name task modality owner } }`;

export async function createModel(api: TestApi, key: string, name: string) {
  return api.graphql(CREATE_MODEL, { input: { name, task: 'CLASSIFICATION', modality: 'IMAGE' } }, key);
}
