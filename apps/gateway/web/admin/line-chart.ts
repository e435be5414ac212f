/** One line of a chart: its values, one per x position. */
export interface Series {
  name: string;
  color: string;
  values: number[];
}

export interface ChartLayout {
  width: number;
  height: number;
  /** Room on the left for the y labels, below for the x labels, above for the top label's upper half. */
  left: number;
  bottom: number;
  top: number;
}

/** What an SVG line chart draws, in pixels: one path per series and the y axis's ticks. */
export interface ChartShape {
  /** `points` too: a series of one value has a path that draws nothing, so each value is also marked. */
  paths: { name: string; color: string; d: string; points: { x: number; y: number }[] }[];
  yTicks: { y: number; label: string }[];
  yMax: number;
}

/** A round maximum at or above `value` (1, 2 or 5 times a power of ten), so the ticks read well. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value) ?? 10 * power) as number;
}

/** Lines over a shared x axis (index = position) and a y axis from 0 to a round maximum. Pure: the DOM code draws it. */
export function lineChart(series: Series[], layout: ChartLayout, ticks = 4): ChartShape {
  const points = Math.max(0, ...series.map(({ values }) => values.length));
  const yMax = niceCeiling(Math.max(0, ...series.flatMap(({ values }) => values)));
  const plotWidth = layout.width - layout.left;
  const plotHeight = layout.height - layout.bottom - layout.top;
  const x = (index: number) => layout.left + (points <= 1 ? plotWidth / 2 : (index * plotWidth) / (points - 1));
  const y = (value: number) => layout.top + plotHeight - (value / yMax) * plotHeight;
  const round = (pixel: number) => Math.round(pixel * 10) / 10;
  return {
    yMax,
    paths: series.map(({ name, color, values }) => {
      const points = values.map((value, index) => ({ x: round(x(index)), y: round(y(value)) }));
      return { name, color, points, d: points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' ') };
    }),
    yTicks: Array.from({ length: ticks + 1 }, (_, step) => {
      const value = (yMax * step) / ticks;
      return { y: round(y(value)), label: value.toLocaleString('en-US') };
    }),
  };
}
