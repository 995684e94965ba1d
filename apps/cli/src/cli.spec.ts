import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { graphqlData, graphqlError, startFakeApi, type FakeApi } from '../test/support/fake-api.js';
import { memoryStreams } from '../test/support/memory-streams.js';
import { runCli } from './cli.js';

const KEY = 'fledge_abcdefabcdef_topsecretvalue';

const model = {
  id: 'm1',
  name: 'digits',
  task: 'CLASSIFICATION',
  modality: 'IMAGE',
  description: 'mnist digits',
  owner: 'ci',
  createdAt: '2026-11-23T10:00:00.000Z',
  aliases: [{ name: 'production', version: 2 }],
  latestVersion: {
    version: 2,
    status: 'REGISTERED',
    sha256: 'ab'.repeat(32),
    sizeBytes: 104_000,
    createdBy: 'ci',
    createdAt: '2026-11-23T11:00:00.000Z',
    aliases: ['production'],
  },
};

describe(runCli.name, () => {
  let api: FakeApi;
  let home: string;
  let configDir: string;

  beforeAll(async () => {
    api = await startFakeApi();
    home = await mkdtemp(path.join(tmpdir(), 'fledge-cli-'));
  });
  afterAll(async () => {
    await api.close();
    await rm(home, { recursive: true, force: true });
  });
  beforeEach(async () => {
    configDir = await mkdtemp(path.join(home, 'config-'));
  });

  const run = async (args: string[], options: { env?: Record<string, string>; input?: string } = {}) => {
    const streams = memoryStreams(options.input);
    const code = await runCli(args, {
      env: { FLEDGE_CONFIG_DIR: configDir, FLEDGE_API_URL: api.url, FLEDGE_API_KEY: KEY, ...options.env },
      homeDir: home,
      streams,
    });
    return { code, out: streams.out(), err: streams.err() };
  };

  it('prints help with the exit codes and exits 0', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('Exit codes:');
    expect(out).toMatch(/7 +API unreachable/);
  });

  it.each([
    [['model', 'create', 'digits', '--modality', 'image'], /required option '--task <task>'/],
    [
      ['model', 'create', 'digits', '--task', 'clustering', '--modality', 'image'],
      /Allowed choices are classification, regression/,
    ],
    [['model', 'show', 'Not_A_Name'], /is not a name/],
    [['model', 'archive', 'digits'], /needs a version number/],
    [['model', 'alias', 'digits', 'production', 'two'], /is not a version number/],
    [['model', 'list', '--limit', '5', '--all'], /cannot be used with option '--all'/],
    [['model', 'register', 'digits', 'f.onnx', '--metadata', '{oops'], /not valid JSON/],
    [['dataset', 'register', 'ds', 'rows.txt', '--features', 'a', '--label', 'y'], /pass --format jsonl\|csv/],
    [['dataset', 'register', 'ds', 'rows.csv', '--features', 'a,,b', '--label', 'y'], /empty column name/],
    [['dataset', 'register', 'ds', 'rows.csv', '--features', 'a'], /required option '--label <column>'/],
    [['dataset', 'show', 'ds@latest'], /datasets have no aliases/],
    [['model', 'register', 'digits', 'missing.onnx'], /cannot read missing.onnx: ENOENT/],
    [['nope'], /unknown command 'nope'/],
    [['model'], /Usage: fledge model/],
  ])('exits 2 on the usage error in %j', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(api.requests.length).toBe(0);
  });

  it('lists models as a table, asking the API with the filter in its enum spelling', async () => {
    api.handle(() =>
      graphqlData({
        models: {
          totalCount: 3,
          pageInfo: { hasNextPage: true, endCursor: 'c1' },
          edges: [{ cursor: 'c1', node: model }],
        },
      }),
    );
    const { code, out } = await run(['model', 'list', '--task', 'classification', '--limit', '1']);
    expect(code).toBe(0);
    expect(out).toMatch(/^NAME +TASK +MODALITY +LATEST +ALIASES/);
    expect(out).toMatch(/digits +classification +image +2 +production→2/);
    expect(out).toContain('(1 of 3; --all lists every model)');
    expect(api.requests.at(-1)!.graphql?.variables).toEqual({
      first: 1,
      after: null,
      filter: { task: 'CLASSIFICATION' },
    });
  });

  it('follows pages with --all and prints only JSON on stdout with --json', async () => {
    let page = 0;
    api.handle(() => {
      page++;
      return graphqlData({
        models: {
          totalCount: 2,
          pageInfo: { hasNextPage: page === 1, endCursor: `c${page}` },
          edges: [{ cursor: `c${page}`, node: { ...model, name: `m${page}` } }],
        },
      });
    });
    const { code, out } = await run(['model', 'list', '--all', '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out);
    expect(parsed.models.map((m: { name: string }) => m.name)).toEqual(['m1', 'm2']);
    expect(parsed).toMatchObject({ totalCount: 2, hasMore: false });
    expect(api.requests.at(-1)!.graphql?.variables).toMatchObject({ first: 25, after: 'c1' });
  });

  it('resolves name@alias to the aliased version', async () => {
    api.handle((request) =>
      request.graphql!.query.includes('query ModelWithVersions(')
        ? graphqlData({
            model: {
              ...model,
              versions: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] },
            },
          })
        : graphqlError('NOT_FOUND', 'model digits has no version 2'),
    );
    const { code, err } = await run(['model', 'show', 'digits@production']);
    expect(api.requests.at(-1)!.graphql?.variables).toEqual({ model: 'digits', version: 2 });
    expect(code).toBe(3);
    expect(err).toBe('error: model digits has no version 2 (NOT_FOUND)\n');
  });

  it.each([
    ['NOT_FOUND', 3],
    ['UNAUTHENTICATED', 4],
    ['FORBIDDEN', 4],
    ['CONFLICT', 5],
    ['INVALID_ARGUMENT', 6],
    ['PAYLOAD_TOO_LARGE', 6],
    ['FAILED_PRECONDITION', 6],
    ['UNAVAILABLE', 7],
    ['INTEGRITY', 1],
    ['INTERNAL', 1],
  ])('exits with the code for %s and prints "error: <message> (<CODE>)" on stderr', async (errorCode, exit) => {
    api.handle(() => graphqlError(errorCode, 'it went wrong'));
    const { code, out, err } = await run([
      'model',
      'create',
      'digits',
      '--task',
      'classification',
      '--modality',
      'image',
      '--json',
    ]);
    expect(code).toBe(exit);
    expect(out).toBe('');
    expect(err).toBe(`error: it went wrong (${errorCode})\n`);
  });

  it('exits 7 when the API cannot be reached', async () => {
    const closed = await startFakeApi();
    await closed.close();
    const { code, err } = await run(['whoami'], { env: { FLEDGE_API_URL: closed.url } });
    expect(code).toBe(7);
    expect(err).toBe(`error: cannot reach the Fledge API at ${closed.url} (ECONNREFUSED) (UNAVAILABLE)\n`);
  });

  it('exits 4 with a hint when no API or key is configured', async () => {
    const { code, err } = await run(['model', 'list'], { env: { FLEDGE_API_URL: '', FLEDGE_API_KEY: '' } });
    expect(code).toBe(4);
    expect(err).toContain('fledge login');
  });

  it('logs in with a piped key: verifies it, saves it 0600 and never prints it', async () => {
    api.handle(() => graphqlData({ viewer: { name: 'alice', role: 'SCIENTIST' } }));
    const login = await run(['login', '--api', `${api.url}/graphql`], {
      env: { FLEDGE_API_URL: '', FLEDGE_API_KEY: '' },
      input: `${KEY}\n`,
    });
    expect(login.code).toBe(0);
    expect(login.out).toContain(`Logged in to ${api.url} as alice (scientist)`);
    expect(api.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
    const file = path.join(configDir, 'config.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ api: api.url, key: KEY });
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const whoami = await run(['whoami', '--json'], { env: { FLEDGE_API_URL: '', FLEDGE_API_KEY: '' } });
    expect(whoami.code).toBe(0);
    expect(JSON.parse(whoami.out)).toEqual({ api: api.url, name: 'alice', role: 'SCIENTIST' });
    for (const output of [login.out, login.err, whoami.out, whoami.err]) expect(output).not.toContain(KEY);
  });

  it('does not save a key the API refuses', async () => {
    api.handle(() => graphqlError('UNAUTHENTICATED', 'the API key is not valid'));
    const { code } = await run(['login', '--api', api.url, '--key', 'fledge_bad'], { env: { FLEDGE_API_KEY: '' } });
    expect(code).toBe(4);
    await expect(stat(path.join(configDir, 'config.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('lets FLEDGE_API_KEY override the saved key', async () => {
    await writeFile(path.join(configDir, 'config.json'), JSON.stringify({ api: api.url, key: 'fledge_saved' }));
    api.handle(() => graphqlData({ viewer: { name: 'env', role: 'VIEWER' } }));
    await run(['whoami'], { env: { FLEDGE_API_URL: '' } });
    expect(api.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
    await run(['whoami'], { env: { FLEDGE_API_URL: '', FLEDGE_API_KEY: '' } });
    expect(api.requests.at(-1)!.headers.authorization).toBe('Bearer fledge_saved');
  });

  it('prints the secret of a new API key once', async () => {
    api.handle(() =>
      graphqlData({
        createApiKey: {
          apiKey: {
            id: 'k1',
            name: 'ci',
            role: 'ENGINEER',
            lookupId: 'abc',
            createdAt: '2026-11-23T10:00:00Z',
            revokedAt: null,
            lastUsedAt: null,
          },
          secret: 'fledge_new_secret',
        },
      }),
    );
    const { code, out } = await run(['apikey', 'create', 'ci', '--role', 'engineer']);
    expect(code).toBe(0);
    expect(out).toContain('fledge_new_secret');
    expect(api.requests.at(-1)!.graphql?.variables).toEqual({ input: { name: 'ci', role: 'ENGINEER' } });
  });

  it('creates a key of the alerts role (for monitoring systems) and refuses an unknown role', async () => {
    api.handle(() =>
      graphqlData({
        createApiKey: {
          apiKey: {
            id: 'k2',
            name: 'alertmanager',
            role: 'ALERTS',
            lookupId: 'def',
            createdAt: '2026-11-23T10:00:00Z',
            revokedAt: null,
            lastUsedAt: null,
          },
          secret: 'fledge_alerts_secret',
        },
      }),
    );
    const created = await run(['apikey', 'create', 'alertmanager', '--role', 'alerts']);
    expect(created.code).toBe(0);
    expect(api.requests.at(-1)!.graphql?.variables).toEqual({ input: { name: 'alertmanager', role: 'ALERTS' } });
    const sent = api.requests.length;
    expect((await run(['apikey', 'create', 'x', '--role', 'root'])).code).not.toBe(0);
    expect(api.requests.length).toBe(sent);
  });
});
