/**
 * Server-rendered SVG bar charts, each with its data table (the table is what screen readers and spreadsheets read;
 * the chart is `aria-hidden`). No client library. The table sits beside the chart when the figure is wide enough
 * (a container query: 48 rem and more), under it in the dashboard's two columns and on a phone.
 */
type Bar = {
  /** The row's name in the table (« janv. 2026 »). */
  label: string;
  /** Under its bar when the label is too long for it (« janv. »); the label itself otherwise. */
  axisLabel?: string;
  /** A second line under the axis label (a month's year, under January and the first month). */
  axisNote?: string;
  values: number[];
};

const PALETTE = ["#1d4ed8", "#f59e0b", "#059669"];
const WIDTH = 360;
const HEIGHT = 170;
const LEFT = 26;
/** About the width of one character at the axis's 8-unit font. */
const CHAR_WIDTH = 5.2;

/** A bar per month written 2026-01 (the figures' month keys): « janv. 2026 » in the table, « janv » under its bar. */
const MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
/** Under a bar of twelve, four letters at most. */
const MONTH_AXIS = ["janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"];
export function monthBars<T>(months: T[], month: (item: T) => string, values: (item: T) => number[]): Bar[] {
  return months.map((item, position) => {
    const key = month(item);
    const [year, index] = [key.slice(0, 4), Number(key.slice(5, 7)) - 1];
    const name = MONTHS[index];
    if (!name) return { label: key, values: values(item) };
    return { label: `${name} ${year}`, axisLabel: MONTH_AXIS[index], axisNote: index === 0 || position === 0 ? year : undefined, values: values(item) };
  });
}

function fitted(text: string, room: number) {
  const chars = Math.max(3, Math.floor(room / CHAR_WIDTH));
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}

export function BarChart({
  title,
  series,
  bars,
  unit = "",
  max,
}: {
  title: string;
  series: string[];
  bars: Bar[];
  unit?: string;
  max?: number;
}) {
  const top = Math.max(max ?? 0, 1, ...bars.flatMap((b) => b.values));
  const band = bars.length ? (WIDTH - LEFT - 4) / bars.length : WIDTH;
  const barWidth = Math.max(2, (band - Math.min(12, band * 0.25)) / Math.max(1, series.length));
  const valuesOnBars = band / Math.max(1, series.length) >= 14;
  // Labels flat under their bars when they fit (shortened to their band otherwise); slanted only for many bars.
  const slanted = band < 24;
  const axisText = (bar: Bar) => bar.axisLabel ?? bar.label;
  const labelRoom = slanted ? 60 : band - 2;
  return (
    <figure className="@container rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 font-semibold">{title}</figcaption>
      <div className="grid gap-4 @3xl:grid-cols-[3fr_2fr]">
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + (slanted ? 44 : bars.some((b) => b.axisNote) ? 26 : 18)}`} className="h-auto w-full" aria-hidden="true">
          <line x1={LEFT} y1={12} x2={WIDTH} y2={12} stroke="#e2e8f0" />
          <line x1={LEFT} y1={(HEIGHT + 12) / 2} x2={WIDTH} y2={(HEIGHT + 12) / 2} stroke="#e2e8f0" />
          <line x1={LEFT} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} stroke="#94a3b8" />
          <text x={LEFT - 3} y="15" fontSize="8" textAnchor="end" fill="#475569">
            {top}
            {unit.trim()}
          </text>
          <text x={LEFT - 3} y={HEIGHT + 3} fontSize="8" textAnchor="end" fill="#475569">
            0
          </text>
          {bars.map((bar, i) =>
            bar.values.map((v, j) => {
              const h = (v / top) * (HEIGHT - 12);
              const x = LEFT + 2 + i * band + (band - barWidth * series.length) / 2 + j * barWidth;
              return (
                <g key={`${bar.label}-${j}`}>
                  <rect x={x} y={HEIGHT - h} width={Math.max(1, barWidth - 1)} height={h} fill={PALETTE[j % PALETTE.length]} />
                  {valuesOnBars && v > 0 ? (
                    <text x={x + barWidth / 2} y={HEIGHT - h - 2} fontSize="7.5" textAnchor="middle" fill="#0f172a">
                      {v}
                    </text>
                  ) : null}
                </g>
              );
            }),
          )}
          {bars.map((bar, i) => {
            const x = LEFT + 2 + i * band + band / 2;
            return slanted ? (
              <text key={bar.label} x={x} y={HEIGHT + 10} fontSize="8" textAnchor="end" transform={`rotate(-40 ${x} ${HEIGHT + 10})`} fill="#334155">
                {fitted(bar.axisNote ? `${axisText(bar)} ${bar.axisNote}` : axisText(bar), labelRoom)}
              </text>
            ) : (
              <text key={bar.label} x={x} y={HEIGHT + 12} fontSize="8" textAnchor="middle" fill="#334155">
                {fitted(axisText(bar), labelRoom)}
                {bar.axisNote ? (
                  <tspan x={x} dy="9" fill="#64748b">
                    {bar.axisNote}
                  </tspan>
                ) : null}
              </text>
            );
          })}
        </svg>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col" className="pr-2"></th>
                {series.map((s, j) => (
                  <th key={s} scope="col" className="pr-2 text-right font-medium">
                    <span className="mr-1 inline-block h-2 w-2" style={{ background: PALETTE[j % PALETTE.length] }} />
                    {s}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {bars.map((bar) => (
                <tr key={bar.label} className="border-t border-slate-100">
                  <th scope="row" className="pr-2 font-normal">
                    {bar.label}
                  </th>
                  {bar.values.map((v, j) => (
                    <td key={j} className="pr-2 text-right tabular-nums">
                      {v}
                      {unit}
                    </td>
                  ))}
                </tr>
              ))}
              {bars.length === 0 ? (
                <tr>
                  <td colSpan={series.length + 1}>Aucune donnée sur la période.</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </div>
    </figure>
  );
}
