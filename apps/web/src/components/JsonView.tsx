import { fmtNumber, isRecord } from '../format';

/**
 * Any JSON value as nested, readable definition lists and tables (events' evidence, metadata):
 * arrays of flat objects become tables, numbers are rounded, nothing is dropped.
 */
export function JsonView({ value, depth = 0 }: { value: unknown; depth?: number }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'number') return <span className="num">{fmtNumber(value)}</span>;
  if (typeof value === 'boolean') return <span>{value ? 'yes' : 'no'}</span>;
  if (typeof value === 'string') return <span>{value}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    if (value.every((v) => isRecord(v) && Object.values(v).every((x) => !isRecord(x) && !Array.isArray(x)))) {
      const columns = [...new Set(value.flatMap((v) => Object.keys(v as Record<string, unknown>)))];
      return (
        <div className="table-scroll">
          <table className="json-table">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {value.map((row, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c}>
                      <JsonView value={(row as Record<string, unknown>)[c]} depth={depth + 1} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    if (value.every((v) => !isRecord(v) && !Array.isArray(v))) {
      return <span>{value.map((v) => (typeof v === 'number' ? fmtNumber(v) : String(v))).join(', ')}</span>;
    }
    return (
      <ol className="json-list">
        {value.map((v, i) => (
          <li key={i}>
            <JsonView value={v} depth={depth + 1} />
          </li>
        ))}
      </ol>
    );
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return <span className="muted">empty</span>;
    return (
      <dl className={`json-dl depth-${Math.min(depth, 3)}`}>
        {entries.map(([k, v]) => (
          <div key={k} className="json-entry">
            <dt>{k}</dt>
            <dd>
              <JsonView value={v} depth={depth + 1} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <span>{String(value)}</span>;
}
