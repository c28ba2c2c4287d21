import { memo, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Per host a colour; "out" lines of the same host are dashed in the same colour. */
const PALETTE = ['#38bdf8', '#f59e0b', '#a78bfa', '#34d399', '#f472b6', '#facc15', '#60a5fa', '#fb7185'];

export interface ChartProps {
  readonly title: string;
  /** Column 0: times in seconds; then one column per label. */
  readonly data: (number | null)[][];
  readonly labels: readonly string[];
  /** Formats a y value for the axis and the legend. */
  readonly format: (v: number) => string;
  /** Re-reads `data` when it changes (the arrays are appended to in place). */
  readonly version: number;
  readonly height?: number;
}

/** A uPlot time chart: recreated when its series change, fed new data otherwise. */
function Chart({ title, data, labels, format, version, height = 150 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = labels.join('|');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const hosts = [...new Set(labels.map((l) => l.split(' ')[0]))];
    // uPlot draws on a canvas, which knows no CSS variables: take the theme's colours as they are now.
    const css = getComputedStyle(el);
    const muted = css.getPropertyValue('--muted').trim() || '#9ca3af';
    const grid = { stroke: 'rgba(128,128,128,.18)', width: 1 };
    const opts: uPlot.Options = {
      title,
      width: Math.max(200, el.clientWidth),
      height,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, 1)] } },
      axes: [
        { stroke: muted, grid, ticks: grid },
        { stroke: muted, grid, ticks: grid, size: 84, values: (_u, vals) => vals.map((v) => format(v)) },
      ],
      series: [
        {},
        ...labels.map((label) => {
          const colour = PALETTE[hosts.indexOf(label.split(' ')[0]) % PALETTE.length]!;
          return { label, stroke: colour, width: 1.5, points: { show: false }, ...(label.endsWith(' out') ? { dash: [5, 4] } : {}), value: (_u: uPlot, v: number | null) => (v === null ? '–' : format(v)) };
        }),
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
    plot.current = new uPlot(opts, data as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Recreated only when what is drawn changes (`key` stands for the labels); new points go through
    // setData below.
  }, [key, title, height, format]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data, version]);

  return <div className="traffic-chart" ref={box} />;
}

export default memo(Chart);
