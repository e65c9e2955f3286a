/**
 * Server-rendered SVG bar charts, each with its data table beside it (the table is what screen readers and
 * spreadsheets read; the chart is `aria-hidden`). No client library.
 */
type Bar = { label: string; values: number[] };

const PALETTE = ["#1d4ed8", "#f59e0b", "#059669"];

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
  const width = 360;
  const height = 180;
  const band = bars.length ? (width - 30) / bars.length : width;
  const barWidth = Math.max(2, (band - 6) / Math.max(1, series.length));
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 font-semibold">{title}</figcaption>
      <div className="grid gap-4 lg:grid-cols-[3fr_2fr]">
        <svg viewBox={`0 0 ${width} ${height + 40}`} className="h-auto w-full" aria-hidden="true">
          <line x1="28" y1={height} x2={width} y2={height} stroke="#94a3b8" />
          <text x="0" y="10" fontSize="9" fill="#475569">
            {top}
            {unit}
          </text>
          {bars.map((bar, i) =>
            bar.values.map((v, j) => {
              const h = (v / top) * (height - 14);
              return (
                <rect
                  key={`${bar.label}-${j}`}
                  x={30 + i * band + j * barWidth}
                  y={height - h}
                  width={barWidth - 1}
                  height={h}
                  fill={PALETTE[j % PALETTE.length]}
                />
              );
            }),
          )}
          {bars.map((bar, i) => (
            <text
              key={bar.label}
              x={30 + i * band + band / 2}
              y={height + 12}
              fontSize="8"
              textAnchor="end"
              transform={`rotate(-35 ${30 + i * band + band / 2} ${height + 12})`}
              fill="#334155"
            >
              {bar.label}
            </text>
          ))}
        </svg>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-xs">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col" className="pr-2"></th>
                {series.map((s, j) => (
                  <th key={s} scope="col" className="pr-2">
                    <span className="mr-1 inline-block h-2 w-2" style={{ background: PALETTE[j % PALETTE.length] }} />
                    {s}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {bars.map((bar) => (
                <tr key={bar.label}>
                  <th scope="row" className="pr-2 font-normal">
                    {bar.label}
                  </th>
                  {bar.values.map((v, j) => (
                    <td key={j} className="pr-2">
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
