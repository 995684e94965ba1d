/** The string a label value is compared as (so 7 and "7" are one class); undefined if not a scalar. */
export function labelKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return undefined;
  }
}
