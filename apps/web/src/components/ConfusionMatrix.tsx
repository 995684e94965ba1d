/**
 * A confusion matrix as a semantic table with a colour scale (a heatmap screen readers can read):
 * each cell's shade is its share of the actual class's row, its text the exact count.
 */
export function ConfusionMatrix({
  matrix,
  labels,
  caption,
}: {
  matrix: number[][];
  labels: string[];
  caption: string;
}) {
  return (
    <div className="table-scroll">
      <table className="confusion">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="corner">
              actual ↓ / predicted →
            </th>
            {labels.map((label) => (
              <th key={label} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {matrix.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0);
            return (
              <tr key={labels[i] ?? i}>
                <th scope="row">{labels[i] ?? i}</th>
                {row.map((count, j) => {
                  const share = total ? count / total : 0;
                  return (
                    <td
                      key={j}
                      className={i === j ? 'diagonal' : undefined}
                      style={cellStyle(share, i === j)}
                      title={`actual ${labels[i] ?? i}, predicted ${labels[j] ?? j}: ${count} (${(share * 100).toFixed(1)}% of the row)`}
                    >
                      {count}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

// Diagonal cells (right) shade blue, the others (confusions) orange; the text colour keeps a
// contrast ratio above 4.5 on every shade.
function cellStyle(share: number, diagonal: boolean): React.CSSProperties {
  if (share === 0) return {};
  const lightness = Math.round(96 - share * 62);
  const hue = diagonal ? 212 : 24;
  return { backgroundColor: `hsl(${hue} 75% ${lightness}%)`, color: lightness < 58 ? '#fff' : '#111' };
}

/** Reads `confusionMatrix` and the class labels from an evaluation's metrics JSON. */
export function confusionOf(metrics: unknown): { matrix: number[][]; labels: string[] } | null {
  if (!metrics || typeof metrics !== 'object') return null;
  const m = metrics as { confusionMatrix?: unknown; perClass?: { label?: unknown }[]; labels?: unknown };
  if (!Array.isArray(m.confusionMatrix) || !m.confusionMatrix.every((r) => Array.isArray(r))) return null;
  const matrix = m.confusionMatrix as number[][];
  const labels = Array.isArray(m.labels)
    ? (m.labels as unknown[]).map(String)
    : Array.isArray(m.perClass) && m.perClass.length === matrix.length
      ? m.perClass.map((c, i) => String(c.label ?? i))
      : matrix.map((_, i) => String(i));
  return { matrix, labels };
}
