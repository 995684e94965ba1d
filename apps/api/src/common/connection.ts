import { type Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { FledgeError } from '@fledge/errors';

@ObjectType('PageInfo')
export class PageInfoObject {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfoObject;
  totalCount: number;
}

export const MAX_PAGE_SIZE = 100;
/** The page size when a client leaves out `first` (query cost counts it too). */
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1..${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' })
  after?: string | null;
}

/** The `limit` argument of a short list (not a connection): clamped to 1..MAX_PAGE_SIZE. */
export const limitArg = {
  type: () => Int,
  defaultValue: DEFAULT_PAGE_SIZE,
  description: `At most this many (1..${MAX_PAGE_SIZE}).`,
};
export const clampLimit = (limit: number) => Math.min(Math.max(limit, 1), MAX_PAGE_SIZE);

export interface PageRequest {
  first: number;
  after: string | null;
}

export function pageRequest(args: PageArgs): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new FledgeError('INVALID_ARGUMENT', `first must be between 1 and ${MAX_PAGE_SIZE}`, {
      reason: 'PAGE_SIZE_INVALID',
      details: { field: 'first' },
    });
  }
  return { first, after: args.after ?? null };
}

/** Relay connection type for a node type: edges, pageInfo and totalCount. */
export function Connection<T>(node: Type<T>, name: string): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeObject {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionObject {
    @Field(() => [EdgeObject])
    edges!: Edge<T>[];

    @Field(() => PageInfoObject)
    pageInfo!: PageInfoObject;

    @Field(() => Int)
    totalCount!: number;
  }
  return ConnectionObject;
}

/** Builds a connection from a page fetched with one extra row (to know whether a next page exists). */
export function toConnection<T>(
  rows: T[],
  request: PageRequest,
  totalCount: number,
  cursorOf: (row: T) => string,
): ConnectionShape<T> {
  const page = rows.slice(0, request.first);
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: rows.length > request.first,
      hasPreviousPage: request.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
