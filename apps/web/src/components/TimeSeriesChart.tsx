import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: (number | null)[];
  /** Dashed: a limit the other series are judged against. */
  limit?: boolean;
}

const palette = ['#1f63b5', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207'];

/**
 * A time series chart (uPlot): x is Unix seconds. `stepped` draws values that hold until the next
 * point (traffic weights). A caption and uPlot's legend table carry the numbers for readers who
 * cannot see the canvas.
 */
export function TimeSeriesChart({
  title,
  x,
  series,
  unit,
  stepped = false,
  height = 220,
  yRange,
}: {
  title: string;
  x: number[];
  series: Series[];
  unit: string;
  stepped?: boolean;
  height?: number;
  yRange?: [number, number];
}) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = `${series.map((s) => `${s.label}${s.limit ? '!' : ''}`).join('|')}|${stepped}|${unit}`;

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 280),
      height,
      scales: {
        x: { time: true },
        y: yRange ? { range: yRange } : { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
      },
      axes: [{}, { label: unit, size: 60 }],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: s.limit ? '#6b7280' : palette[i % palette.length],
          width: s.limit ? 1.5 : 2,
          dash: s.limit ? [6, 4] : undefined,
          paths: stepped ? uPlot.paths.stepped!({ align: 1 }) : undefined,
          points: { show: x.length < 30 },
          spanGaps: false,
        })),
      ],
      legend: { live: false },
    };
    plot.current = new uPlot(opts, [[], ...series.map(() => [])], el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(el.clientWidth, 280), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its series change shape; data updates go through setData.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData([x, ...series.map((s) => s.values)] as uPlot.AlignedData);
  });

  const last = series.map((s) => `${s.label} ${formatLast(s.values)}`).join('; ');
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={container} role="img" aria-label={`${title} (${unit}). Latest: ${last || 'no data yet'}`} />
      {x.length === 0 && <p className="muted small">No data yet.</p>}
    </figure>
  );
}

function formatLast(values: (number | null)[]): string {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (typeof v === 'number') return Number(v.toFixed(3)).toString();
  }
  return '—';
}
