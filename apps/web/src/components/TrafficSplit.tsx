import { fmtPercent } from '../format';

const colors = ['#1f63b5', '#c2410c', '#15803d', '#7e22ce'];

/** The endpoint's routed traffic per variant as a bar and a list; shadows get mirrored traffic. */
export function TrafficSplit({
  variants,
}: {
  variants: { name: string; role: string; weight: number; shadowSampleRate: number }[];
}) {
  if (variants.length === 0) return <p className="muted">Serves nothing yet.</p>;
  const routed = variants.filter((v) => v.role !== 'shadow');
  return (
    <>
      <div className="split-bar" aria-hidden="true">
        {routed.map((v, i) => (
          <span key={v.name} style={{ width: `${v.weight}%`, backgroundColor: colors[i % colors.length] }} />
        ))}
      </div>
      <ul className="split-list">
        {variants.map((v) => (
          <li key={v.name}>
            <strong>{v.name}</strong> {v.role}:{' '}
            {v.role === 'shadow'
              ? `mirrors ${fmtPercent(v.shadowSampleRate, 0)} of requests`
              : `${v.weight}% of traffic`}
          </li>
        ))}
      </ul>
    </>
  );
}
